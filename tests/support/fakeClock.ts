// Deterministic clocks of the provider's one WaitClock shape (provider/calls/waitClock.ts). FakeClock: timers
// run in time order when the test advances time, and pending promise callbacks are drained between
// timers, so async code behaves as with real time but a ten-minute wait takes milliseconds.
// steppingClock: every sleep moves time at once, for code that only sleeps (waits, retries).
import type { WaitClock } from "../../provider/calls/waitClock";

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

export class FakeClock implements WaitClock {
  private t: number;
  private seq = 0;
  private timers = new Map<number, Timer>();

  /** @param random what `random()` answers: no jitter by default, so times are exact */
  constructor(
    start = 1_000_000,
    readonly random: () => number = () => 0,
  ) {
    this.t = start;
  }

  now = (): number => this.t;

  setTimeout = (fn: () => void, ms: number): unknown => {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.set(timer.seq, timer);
    return timer.seq;
  };

  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };

  /** A promise that resolves after `ms` of fake time, for fakes of the network. */
  sleep = (ms: number): Promise<void> => new Promise((resolve) => this.setTimeout(resolve, ms));

  /** Runs every timer due within `ms`, in order, settling promise chains in between. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const next = [...this.timers.values()]
        .filter((x) => x.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.timers.delete(next.seq);
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
    await settle();
  }

  /** Advances until `promise` settles (or `limitMs` of fake time passed) and returns its value. */
  async run<T>(promise: Promise<T>, limitMs = 24 * 3600 * 1000): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    const end = this.t + limitMs;
    while (!settled && this.t < end) {
      await settle();
      if (settled) break;
      const next = [...this.timers.values()].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next || next.at > end) {
        this.t = end;
        break;
      }
      this.timers.delete(next.seq);
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    await settle();
    return promise;
  }
}

/** A clock whose sleeps move time at once; `t` is the time now. */
export function steppingClock(
  start = 0,
  random: () => number = () => 0,
): WaitClock & { readonly t: number } {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms: number) => void (t += ms),
    setTimeout: () => {
      throw new Error("steppingClock has no timers; use FakeClock");
    },
    clearTimeout: () => undefined,
    random,
    get t() {
      return t;
    },
  };
}

/** Lets every queued promise callback run (a macrotask boundary drains the microtask queue). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
