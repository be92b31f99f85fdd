// The service clock: the emulator's own time, which every lifecycle reads. Lifecycles are
// evaluated lazily from timestamps, so moving this clock forward (control `advanceClock`)
// fast-forwards every pending job without sleeping in tests. Signature checks deliberately use
// real time: clients sign with their own wall clock.

export interface ServiceClock {
  /** Milliseconds since the epoch, as the emulator sees it. */
  now(): number;
  /** Moves emulator time forward (never backward). */
  advance(ms: number): void;
  /** How far emulator time runs ahead of the wall clock. */
  offsetMs(): number;
}

export function createServiceClock(wallClock: () => number = Date.now): ServiceClock {
  let offset = 0;
  return {
    now: () => wallClock() + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new Error(`advanceClock needs a non-negative number of milliseconds, got ${ms}`);
      offset += ms;
    },
    offsetMs: () => offset,
  };
}
