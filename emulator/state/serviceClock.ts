// Emulator time. Lifecycles are evaluated lazily from timestamps, so moving this clock forward
// (control `advanceClock`) fast-forwards every pending job without sleeping in tests.
// Signature checks deliberately use real time: clients sign with their own wall clock.

export interface Clock {
  /** Milliseconds since the epoch, as the emulator sees it. */
  now(): number;
  /** Moves emulator time forward (never backward). */
  advance(ms: number): void;
  /** How far emulator time runs ahead of the wall clock. */
  offsetMs(): number;
}

export function createClock(wallClock: () => number = Date.now): Clock {
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

/** Wire format of every Panorama timestamp: epoch seconds with a millisecond fraction. */
export function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}
