// The wait of create and update: until the acceptor says success, with progress lines, and every
// way it can end short of that recorded in the stack (a RecordedFailure carries the object).
import { describeError, isTransientError } from "../calls/awsClients";
import { CheckOutcome, pollUntil, PollResult, TypicalDurations, Verdict } from "../calls/wait";
import { progressLines, seconds } from "./progress";
import { RecordedFailure } from "./recordedFailure";
import { capitalized, FilledHooks, Waiter } from "./resourceHooks";
import type { Call, Props, ResourceSpec } from "./resourceSpec";

/** A Describe's 404 while the wait expected the object: ends the wait (recorded). */
class NotFound extends Error {}

/**
 * The acceptor of a wait on outputs `current`: transient errors are retried, others end it. A
 * `retry` state with a patience (hooks.patienceSeconds) that lasted longer ends it too, and
 * `expired()` then says so.
 */
function waitAcceptor<R>(
  hooks: FilledHooks<R>,
  current: () => Props,
  now: () => number,
): { acceptor: (outcome: CheckOutcome<R | undefined>) => Verdict; expired: () => boolean } {
  let since: number | undefined;
  let expired = false;
  const acceptor = (o: CheckOutcome<R | undefined>): Verdict => {
    if ("error" in o) return isTransientError(o.error) ? "retry" : "failure";
    // Not readable yet (appearsLate): keep waiting.
    if (o.value === undefined) return "retry";
    const outs = hooks.merge(current(), o.value);
    const verdict = hooks.acceptor(outs);
    const patience = verdict === "retry" ? hooks.patienceSeconds?.(outs) : undefined;
    if (patience === undefined) {
      since = undefined;
      return verdict;
    }
    since ??= now();
    if (now() - since < patience * 1000) return "retry";
    expired = true;
    return "failure";
  };
  return { acceptor, expired: () => expired };
}

/** Per client (account and region) and resource type: how long its recent waits took. */
const typicalDurations = new WeakMap<object, Map<string, TypicalDurations>>();

function typicalOf(call: Call, type: string): TypicalDurations {
  let byType = typicalDurations.get(call.client);
  if (!byType) typicalDurations.set(call.client, (byType = new Map()));
  let typical = byType.get(type);
  if (!typical) byType.set(type, (typical = new TypicalDurations()));
  return typical;
}

/** One Describe per check, with the resource's acceptor; also around the type's typical end. */
function pollingWaiter<R>(
  spec: ResourceSpec,
  hooks: FilledHooks<R>,
  call: Call,
  acceptor: (outcome: CheckOutcome<R | undefined>) => Verdict,
): Waiter<R> {
  return {
    waitFor: (request) =>
      pollUntil<R | undefined>({
        options: request.options,
        clock: call.clock,
        signal: request.signal,
        typical: typicalOf(call, spec.type),
        check: async () => {
          const found = await hooks.describe(call, request.id);
          if (found === undefined && !spec.appearsLate)
            throw new NotFound(`${request.id} no longer exists in ${call.region}`);
          return found;
        },
        acceptor,
        // A 404 of an object that appears late is no progress to report.
        onRetry: (o, elapsed, next) => {
          if ("error" in o || o.value !== undefined)
            request.onRetry?.(o as CheckOutcome<R>, elapsed, next);
        },
      }) as Promise<PollResult<R>>,
  };
}

/**
 * Waits (unless waiting is off) until the acceptor says success; returns the final outputs or
 * throws a RecordedFailure: failed, timed out, cancelled, or not readable.
 */
export async function settle<R>(
  spec: ResourceSpec,
  hooks: FilledHooks<R>,
  call: Call,
  id: string,
  outs: Props,
  startedAt?: number,
): Promise<Props> {
  let current = outs;
  // Labels follow what the checks found (an instance's device name is known once described).
  let seen = outs;
  const label = () => hooks.label(seen);
  const noun = hooks.noun;
  const waited = call.wait.enabled && hooks.acceptor(current) === "retry";
  let expired = () => false;
  if (waited) {
    const judged = waitAcceptor(
      hooks,
      () => current,
      () => call.clock.now(),
    );
    expired = judged.expired;
    const waiter = hooks.waiter?.(call) ?? pollingWaiter(spec, hooks, call, judged.acceptor);
    const began = startedAt ?? call.clock.now();
    const lines = progressLines(call, label, `${noun} ${id}`, (r: R) => {
      seen = hooks.merge(current, r);
      return hooks.state(seen);
    });
    let result;
    try {
      result = await waiter.waitFor({
        id,
        options: call.wait,
        startedAt,
        signal: call.signal,
        log: (line) => call.log(`${label()}: ${line}`),
        onRetry: lines,
      });
    } catch (e) {
      throw new RecordedFailure(
        id,
        current,
        `Could not check ${noun} ${id}: ${e instanceof NotFound ? e.message : describeError(e)}. It is recorded in the stack as ` +
          `${hooks.state(current)}; fix the cause and run \`pulumi up\` again to resume waiting.`,
      );
    }
    if (result.value !== undefined) seen = current = hooks.merge(current, result.value);
    if (!result.done) {
      const object = `${capitalized(noun)} ${id}${hooks.where ? " " + hooks.where(current) : ""}`;
      const resume = `run \`pulumi up\` again to resume waiting on the same ${noun}`;
      if (result.aborted)
        throw new RecordedFailure(
          id,
          current,
          `${object} is still ${hooks.state(current)}: the wait was cancelled after ${seconds(call.clock.now() - began)}. ` +
            `It is recorded in the stack; ${resume}.`,
        );
      const why = result.lastError ? ` (last check: ${describeError(result.lastError)})` : "";
      throw new RecordedFailure(
        id,
        current,
        `${object} is still ${hooks.state(current)} after ${call.wait.timeoutSeconds}s (${call.deadline})${why}. ` +
          `It is recorded in the stack; ${resume}, or raise ${call.deadline}.`,
      );
    }
  }
  const verdict = expired() ? "failure" : hooks.acceptor(current);
  if (verdict === "failure") throw new RecordedFailure(id, current, hooks.failure(id, current));
  if (verdict === "success") {
    if (waited) call.log(`${label()}: ${noun} ${id} ${hooks.state(current)}`);
    if (hooks.complete) {
      try {
        current = await hooks.complete(call, current);
      } catch (e) {
        throw new RecordedFailure(id, current, (e as Error).message);
      }
    }
  }
  return current;
}
