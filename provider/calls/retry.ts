// Idempotent calls repeated past the SDK's own attempts. The SDK retries a throttled, 5xx or
// dropped request a few times within a second or so, and stops retrying altogether once its
// per-process retry quota is spent (a long storm); calls that are safe to repeat (a Create with its
// ClientToken, a Describe, a Deregister of a patch) are then repeated here, with backoff, until a
// time budget runs out. Waits use pollUntil (wait.ts), which has the same tolerance.
import { describeError, isTransientError } from "./awsClients";
import { isThrottlingAnswer } from "./requestBudget";
import { Aborted, sleepUnlessAborted, systemWaitClock, WaitClock } from "./waitClock";
import { JITTER } from "./wait";

/** The longest any single call is repeated; waits have their own, longer deadline. */
export const MAX_CALL_RETRY_SECONDS = 60;

export interface RetryOptions {
  /** Stop repeating after this long (the last error is thrown). */
  budgetSeconds: number;
  /** @default 1000 */
  firstDelayMs?: number;
  /** @default 10000 */
  maxDelayMs?: number;
  /** Told once, in a sentence, when a refused loopback connection shortens the budget. */
  announce?: (line: string) => void;
  /** Called before each repeat with the error that caused it. */
  onRetry?: (error: unknown, attempt: number, elapsedMs: number) => void;
  isTransient?: (error: unknown) => boolean;
  /**
   * For a create of a resource, the whole timeout of the resource: a throttled answer (429) is
   * the service saying "not now" to a request it did not apply, not an outage, and another client
   * of the account may hold the create quota for minutes. Throttled attempts are then repeated,
   * with the same backoff, until this many seconds, and do not count as failures toward
   * `budgetSeconds`.
   */
  throttledBudgetSeconds?: number;
  /** @default systemWaitClock */
  clock?: WaitClock;
  /** Stops the repeats at once (a call in flight is let finish, its answer kept): Aborted is thrown. */
  signal?: AbortSignal;
}

/**
 * How long a call is repeated while this machine refuses the connection: nothing listens at a
 * loopback endpoint (an emulator not started, a wrong port), and waiting a minute will not start
 * it. A restart of a local service takes less. Throttling and 5xx keep the full budget.
 */
export const LOOPBACK_REFUSED_BUDGET_SECONDS = 10;

/** A connection refused by this machine itself (ECONNREFUSED to 127.0.0.0/8, ::1 or localhost). */
export function isLoopbackRefused(error: unknown): boolean {
  const e = error as { code?: string; address?: string; message?: string };
  if (e?.code !== "ECONNREFUSED") return false;
  const address = e.address ?? /ECONNREFUSED (\S+):\d+/.exec(e.message ?? "")?.[1] ?? "";
  return /^(127\.|::1$|\[::1\]$|localhost$)/.test(address);
}

/** The longest pause between two attempts of a call. */
export const MAX_RETRY_DELAY_MS = 10_000;

/**
 * The one backoff of repeated calls (retryTransient, createOnce): the pause doubles from
 * `firstDelayMs` up to `maxDelayMs`, each shortened by up to JITTER at random, since many requests
 * fail at the same instant.
 */
export class RetryBackoff {
  private delay: number;
  constructor(
    private readonly clock: WaitClock,
    firstDelayMs = 1000,
    private readonly maxDelayMs = MAX_RETRY_DELAY_MS,
  ) {
    this.delay = firstDelayMs;
  }

  /** The next pause, in ms. */
  next(): number {
    const pause = this.delay * (1 - JITTER * this.clock.random());
    this.delay = Math.min(this.delay * 2, this.maxDelayMs);
    return pause;
  }
}

/** The budget for one call of a resource: its wait timeout, at most MAX_CALL_RETRY_SECONDS. */
export function callBudgetSeconds(timeoutSeconds: number): number {
  return Math.min(timeoutSeconds, MAX_CALL_RETRY_SECONDS);
}

/** Runs `call`, repeating it on transient errors until it succeeds or the budget is spent. */
export async function retryTransient<T>(call: () => Promise<T>, o: RetryOptions): Promise<T> {
  const clock = o.clock ?? systemWaitClock;
  const now = () => clock.now();
  const backoff = new RetryBackoff(clock, o.firstDelayMs, o.maxDelayMs);
  const isTransient = o.isTransient ?? isTransientError;
  const started = now();
  let deadline = started + o.budgetSeconds * 1000;
  const throttledDeadline =
    o.throttledBudgetSeconds === undefined ? undefined : started + o.throttledBudgetSeconds * 1000;
  let refusedLocally = false;
  for (let attempt = 1; ; attempt++) {
    if (o.signal?.aborted) throw new Aborted(o.signal.reason);
    try {
      return await call();
    } catch (e) {
      if (throttledDeadline !== undefined && isThrottlingAnswer(e)) {
        if (now() >= throttledDeadline) throw e;
        // Only failures use up the budget: the next one gets its full share again. The same
        // backoff, so a process whose request budget is off (rates 0) does not hammer the service.
        deadline = Math.max(deadline, now() + o.budgetSeconds * 1000);
        await pause(Math.min(backoff.next(), throttledDeadline - now()), o.signal, clock);
        continue;
      }
      if (!refusedLocally && isLoopbackRefused(e)) {
        refusedLocally = true;
        deadline = Math.min(deadline, started + LOOPBACK_REFUSED_BUDGET_SECONDS * 1000);
        o.announce?.(
          `${describeError(e)}: nothing listens there; trying again for up to ${LOOPBACK_REFUSED_BUDGET_SECONDS}s`,
        );
      }
      const remaining = deadline - now();
      if (!isTransient(e) || remaining <= 0) throw e;
      o.onRetry?.(e, attempt, now() - started);
      await pause(Math.min(backoff.next(), remaining), o.signal, clock);
    }
  }
}

/** A pause between two attempts; a cancel during it ends the repeats (Aborted). */
export async function pause(
  ms: number,
  signal: AbortSignal | undefined,
  clock: WaitClock,
): Promise<void> {
  await sleepUnlessAborted(clock, ms, signal);
  if (signal?.aborted) throw new Aborted(signal.reason);
}
