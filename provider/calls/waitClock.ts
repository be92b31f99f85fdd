// The clock waits, retries and the status scheduler run on: time, timers, chance, and sleeps that
// end early when the engine cancels. One seam, so that they run on a fake clock in tests
// (tests/support/fakeClock.ts) with the same shape as here. (The emulator keeps a clock of its own:
// the service's time, which its tests move by hand.)

export interface WaitClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or sooner once `signal` aborts (a clock may ignore it; see sleepUnlessAborted). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

export const systemWaitClock: WaitClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  random: () => Math.random(),
};

/** Thrown by a wait or retry that the signal stopped; carries the signal's reason. */
export class Aborted extends Error {
  constructor(readonly reason?: unknown) {
    super("the operation was cancelled");
    this.name = "Aborted";
  }
}

/**
 * Sleeps `ms` on the clock, or less when `signal` aborts first (then it resolves at once and the
 * caller sees `signal.aborted`), whether or not the clock itself heeds the signal.
 */
export function sleepUnlessAborted(
  clock: WaitClock,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (!signal) return clock.sleep(ms);
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done, { once: true });
    clock.sleep(ms, signal).then(done, done);
  });
}

/** Settles as `work` does, or rejects with Aborted as soon as `signal` aborts (the work goes on unheard). */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new Aborted(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new Aborted(signal.reason));
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}
