// The poller on a fake clock: backoff bounds, the deadline, transient errors.
import * as assert from "assert";
import {
  CheckOutcome,
  DEFAULT_WAIT,
  pollUntil,
  resolveWaitOptions,
  TypicalDurations,
  Verdict,
} from "../../provider/calls/wait";
import { FakeClock, steppingClock } from "../support/fakeClock";

const fakeClock = () => steppingClock();

/** The acceptor of these tests: SUCCEEDED ends the wait, errors are thrown unless `transient`. */
const succeeded =
  (transient: (e: unknown) => boolean = () => false) =>
  (o: CheckOutcome<string>): Verdict =>
    "error" in o
      ? transient(o.error)
        ? "retry"
        : "failure"
      : o.value === "SUCCEEDED"
        ? "success"
        : "retry";

/** A job that finishes at `doneAtMs`; records the time of every check. */
function job(clock: { now(): number }, doneAtMs: number) {
  const checks: number[] = [];
  return {
    checks,
    check: async () => (
      checks.push(clock.now()),
      clock.now() >= doneAtMs ? "SUCCEEDED" : "PENDING"
    ),
  };
}

describe("pollUntil", () => {
  it("detects a finished job within 25% of its duration and with logarithmically many checks", async () => {
    for (const durationS of [0.7, 3.3, 13, 67, 600]) {
      const clock = fakeClock();
      const j = job(clock, durationS * 1000);
      const r = await pollUntil({
        clock,
        check: j.check,
        acceptor: succeeded(),
        options: DEFAULT_WAIT,
      });
      assert.ok(r.done);
      const lag = clock.t - durationS * 1000;
      assert.ok(lag <= Math.max(500, 0.25 * durationS * 1000), `D=${durationS}s lag ${lag}ms`);
      const bound = 4 + Math.log(durationS / 0.5) / Math.log(1.25);
      assert.ok(
        j.checks.length <= Math.max(4, bound),
        `D=${durationS}s took ${j.checks.length} checks (bound ${bound.toFixed(1)})`,
      );
    }
  });

  it("waits minDelaySeconds, then (backoffRate − 1) × the time waited, up to maxDelaySeconds", async () => {
    const clock = fakeClock();
    const j = job(clock, 1e9);
    const options = resolveWaitOptions({
      minDelaySeconds: 1,
      maxDelaySeconds: 4,
      backoffRate: 2,
      timeoutSeconds: 30,
    });
    await pollUntil({ clock, check: j.check, acceptor: () => "retry", options });
    const gaps = j.checks.map((t, i) => t - (i ? j.checks[i - 1] : 0));
    assert.deepStrictEqual(gaps.slice(0, 5), [1000, 1000, 2000, 4000, 4000]);
  });

  it("sees a job finished within max(0.5 s, 25%) of its duration whenever it ends, also between 2 and 10 s", async () => {
    // Growing from 0.5 s at once (0.5 + 0.2·t) waited up to 45% of a 3 s job; the floor shape cannot.
    for (let doneAt = 100; doneAt <= 120_000; doneAt = Math.ceil(doneAt * 1.013)) {
      const clock = fakeClock();
      const j = job(clock, doneAt);
      await pollUntil({
        clock,
        check: j.check,
        acceptor: succeeded(),
        options: DEFAULT_WAIT,
      });
      const lag = clock.t - doneAt;
      assert.ok(
        lag <= Math.max(500, 0.25 * doneAt),
        `a job done after ${doneAt} ms was seen ${lag} ms later`,
      );
    }
  });

  it("stops at the deadline with the last value and does not sleep past it", async () => {
    const clock = fakeClock();
    const j = job(clock, 1e9);
    const r = await pollUntil({
      clock,
      check: j.check,
      acceptor: succeeded(),
      options: resolveWaitOptions({ timeoutSeconds: 10 }),
    });
    assert.strictEqual(r.done, false);
    assert.strictEqual(r.value, "PENDING");
    assert.strictEqual(clock.t, 10_000);
  });

  it("rides out transient errors and rethrows permanent ones", async () => {
    const clock = fakeClock();
    let n = 0;
    const transient = Object.assign(new Error("slow down"), { name: "ThrottlingException" });
    const r = await pollUntil({
      clock,
      options: DEFAULT_WAIT,
      check: async () => {
        n++;
        if (n < 3) throw transient;
        return "SUCCEEDED";
      },
      acceptor: succeeded((e) => e === transient),
    });
    assert.deepStrictEqual(r, { done: true, value: "SUCCEEDED" });
    await assert.rejects(
      pollUntil({
        clock,
        options: DEFAULT_WAIT,
        check: async () => {
          throw new Error("AccessDenied");
        },
        acceptor: (o) => ("error" in o ? "failure" : "success"),
      }),
      /AccessDenied/,
    );
  });

  it("stops at once when the signal aborts, in a sleep or during a check, with the last value", async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const j = job(clock, 1e9);
    const waiting = pollUntil({
      clock,
      check: j.check,
      acceptor: succeeded(),
      options: DEFAULT_WAIT,
      signal: controller.signal,
    });
    await clock.advance(3_000);
    const checks = j.checks.length;
    controller.abort();
    const r = await waiting;
    assert.deepStrictEqual(r, {
      done: false,
      value: "PENDING",
      lastError: undefined,
      aborted: true,
    });
    assert.strictEqual(j.checks.length, checks, "no check after the abort");

    const hanging = new AbortController();
    const stuck = pollUntil({
      clock,
      check: () => new Promise<string>(() => undefined),
      acceptor: succeeded(),
      options: DEFAULT_WAIT,
      signal: hanging.signal,
    });
    await clock.advance(1_000);
    hanging.abort();
    assert.deepStrictEqual(await stuck, {
      done: false,
      value: undefined,
      lastError: undefined,
      aborted: true,
    });
  });

  it("waits of one kind share their typical duration: the next jobs of about that length are seen within a few percent, not a quarter late", async () => {
    const clock = fakeClock();
    /** Waits for a job of `durationMs` from now; returns how late it was seen and how many checks it took. */
    const wait = async (durationMs: number, typical?: TypicalDurations) => {
      const start = clock.t;
      const j = job(clock, start + durationMs);
      const r = await pollUntil({
        clock,
        check: j.check,
        acceptor: succeeded(),
        options: DEFAULT_WAIT,
        typical,
      });
      assert.ok(r.done);
      return { lag: Math.round(clock.t - start - durationMs), checks: j.checks.length };
    };
    const alone = await wait(18_000);
    assert.ok(alone.lag > 2500, `alone, an 18 s job is seen ${alone.lag} ms late`);

    const typical = new TypicalDurations();
    const first = await wait(18_000, typical);
    assert.deepStrictEqual(first, alone, "the first of its kind waits as a lone job does");
    assert.ok(typical.typicalMs()! < 18_000, "learned from its last pending check, a lower bound");
    // 21 s is past 1.2 × the learned 17.3 s, within the backoff's 1.24 ×: still looked for.
    for (const durationMs of [18_000, 18_400, 17_700, 19_000, 21_000]) {
      const next = await wait(durationMs, typical);
      assert.ok(next.lag <= 1000, `a ${durationMs} ms job after others seen ${next.lag} ms late`);
      assert.ok(next.checks <= alone.checks + 6, `${next.checks} checks`);
    }
    // A job much longer than the typical one falls back to the backoff: seen, at its usual lag.
    const long = await wait(60_000, typical);
    assert.ok(long.lag <= 0.25 * 60_000, `a 60 s job seen ${long.lag} ms late`);
  });
});
