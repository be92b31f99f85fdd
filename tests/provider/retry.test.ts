// Repeating safe calls (provider/calls/retry.ts) on a stepping clock: failures use up the call's
// budget with backoff; throttled answers to a create are repeated with the same backoff for the resource's
// whole timeout, since another stack in the account may hold the create quota for minutes.
import * as assert from "assert";
import { retryTransient } from "../../provider/calls/retry";
import { steppingClock } from "../support/fakeClock";

/** An SDK-shaped error with an HTTP status. */
const answer = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const throttled = () => answer("ThrottlingException", 429);
const unavailable = () => answer("ServiceUnavailableException", 503);

/** A call that fails with `errors()` while the clock is before `untilMs`, then answers "ok". */
function failingUntil(clock: { now(): number }, untilMs: number, error: () => Error) {
  let calls = 0;
  const call = async () => {
    calls++;
    if (clock.now() < untilMs) throw error();
    return "ok";
  };
  return { call, calls: () => calls };
}

describe("retryTransient", () => {
  it("gives up on failures after the call's budget, backing off between attempts", async () => {
    const clock = steppingClock();
    const f = failingUntil(clock, 90_000, unavailable);
    await assert.rejects(
      retryTransient(f.call, { budgetSeconds: 60, clock }),
      /ServiceUnavailable/,
    );
    assert.ok(clock.t >= 60_000 && clock.t < 70_000, `gave up at ${clock.t} ms`);
    assert.ok(f.calls() <= 12, `${f.calls()} attempts in 60 s: the pauses double`);
  });

  it("repeats throttled answers past the call's budget, up to throttledBudgetSeconds, with the same backoff", async () => {
    const clock = steppingClock();
    const f = failingUntil(clock, 90_000, throttled);
    assert.strictEqual(
      await retryTransient(f.call, { budgetSeconds: 60, throttledBudgetSeconds: 1800, clock }),
      "ok",
    );
    assert.ok(
      clock.t >= 90_000 && clock.t <= 100_000,
      `succeeded at ${clock.t} ms, within the longest pause of the quota freeing up`,
    );
    assert.ok(f.calls() <= 16, `${f.calls()} attempts in 90 s: the pauses double up to 10 s`);
    const never = failingUntil(clock, Infinity, throttled);
    const started = clock.t;
    await assert.rejects(
      retryTransient(never.call, { budgetSeconds: 60, throttledBudgetSeconds: 300, clock }),
      /Throttling/,
    );
    assert.strictEqual(clock.t - started, 300_000, "gave up at the end of throttledBudgetSeconds");
  });

  it("without throttledBudgetSeconds a throttled answer is a failure like any other", async () => {
    const clock = steppingClock();
    const f = failingUntil(clock, 90_000, throttled);
    await assert.rejects(retryTransient(f.call, { budgetSeconds: 60, clock }), /Throttling/);
    assert.ok(clock.t < 70_000);
  });

  it("a failure after throttled answers still gets the call's full budget, and is thrown when it is spent", async () => {
    const clock = steppingClock();
    let calls = 0;
    let lastThrottled = 0;
    const call = async () => {
      calls++;
      if (clock.now() < 120_000) {
        lastThrottled = clock.now();
        throw throttled();
      }
      throw unavailable();
    };
    await assert.rejects(
      retryTransient(call, { budgetSeconds: 60, throttledBudgetSeconds: 1800, clock }),
      /ServiceUnavailable/,
    );
    const after = clock.t - lastThrottled;
    assert.ok(
      after >= 60_000 && after < 70_000,
      `gave up ${after} ms after the last throttled answer (at ${lastThrottled} ms)`,
    );
    assert.ok(calls > 10);
  });
});
