// Creates that the service cannot deduplicate. Without a ClientToken, a Create whose answer was
// lost (network error, timeout, 5xx, 429) may or may not have been applied, and sending it again
// blindly, as the SDK's retry does, can make a second resource. So such a Create is sent once per
// attempt (singleAttemptClient), and after an ambiguous failure the caller's lookup looks for what
// the attempt may have made; only when there is nothing does the Create go out again.
import { PanoramaClient } from "@aws-sdk/client-panorama";
import { isTransientError } from "./awsClients";
import { WaitClock, systemWaitClock } from "./waitClock";
import { pause, RetryBackoff, retryTransient } from "./retry";

/**
 * How much earlier than our start a resource's CreatedTime may be and still count as made by
 * this call: the service rounds and its clock is not ours (the SDK corrects skew only past minutes).
 */
export const CREATED_TIME_TOLERANCE_MS = 1000;

export interface CreateOnceOptions<T> {
  /** One attempt of the Create, with no retry of its own. */
  create: () => Promise<T>;
  /**
   * What an earlier attempt may have created: a resource made at or after `startedAt` (service
   * time, ms, already less CREATED_TIME_TOLERANCE_MS), or undefined.
   */
  findCreated: (startedAt: number) => Promise<T | undefined>;
  /** Stop sending the Create after this long; the last error is thrown. */
  budgetSeconds: number;
  /** The service's clock as the SDK sees it. @default Date.now */
  serviceNow?: () => number;
  /** Called before each repeat with the error that caused it. */
  onRetry?: (error: unknown, attempt: number) => void;
  /** @default 1000 */
  firstDelayMs?: number;
  /** @default systemWaitClock */
  clock?: WaitClock;
  /** Stops the repeats at once (Aborted); an attempt in flight is let finish. */
  signal?: AbortSignal;
}

export interface CreateOnceResult<T> {
  value: T;
  /** The Create's answer was lost and `value` is what `findCreated` found. */
  adopted: boolean;
}

/** Thrown when the lookup after a lost answer itself fails: a new Create could duplicate. */
export class LookupFailed extends Error {
  constructor(
    readonly createError: unknown,
    readonly lookupError: unknown,
  ) {
    super("the lookup after an unanswered create failed");
  }
}

/** The request may have been applied though no answer says so. */
export function isAmbiguousFailure(error: unknown): boolean {
  return isTransientError(error);
}

/**
 * Refused for the signing time, never applied; the SDK has corrected its clock offset, so the
 * same request signed again gets through (what the SDK's own retry does for this error).
 */
export function isClockSkewRefusal(error: unknown): boolean {
  const e = error as {
    name?: string;
    message?: string;
    $metadata?: { clockSkewCorrected?: boolean };
  };
  return (
    e?.$metadata?.clockSkewCorrected === true ||
    (e?.name === "InvalidSignatureException" &&
      /^Signature (expired|not yet current)/.test(e.message ?? ""))
  );
}

/** Now on the service's clock, as corrected by the SDK from the answers' Date headers. */
export function serviceClock(client: PanoramaClient): () => number {
  return () => Date.now() + (client.config.systemClockOffset ?? 0);
}

/** Runs `create` until it answers, adopting what a lost answer created instead of creating it twice. */
export async function createOnce<T>(o: CreateOnceOptions<T>): Promise<CreateOnceResult<T>> {
  const clock = o.clock ?? systemWaitClock;
  const now = () => clock.now();
  const backoff = new RetryBackoff(clock, o.firstDelayMs);
  const deadline = now() + o.budgetSeconds * 1000;
  // Every lookup covers all attempts: an early one's resource may become visible late.
  const startedAt = (o.serviceNow ?? Date.now)() - CREATED_TIME_TOLERANCE_MS;
  let skewCorrected = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await o.create(), adopted: false };
    } catch (e) {
      const ambiguous = isAmbiguousFailure(e);
      // One new signature after a clock correction; a second refusal is not a matter of the clock.
      const skewed: boolean = !ambiguous && !skewCorrected && isClockSkewRefusal(e);
      if (!ambiguous && !skewed) throw e;
      skewCorrected ||= skewed;
      if (ambiguous) {
        let found: T | undefined;
        try {
          // A moment first, so the resource a lost answer made is listed (eventual consistency).
          // A cancel here leaves it unknown whether the attempt created something: LookupFailed.
          await pause(Math.max(0, Math.min(backoff.next(), deadline - now())), o.signal, clock);
          found = await retryTransient(() => o.findCreated(startedAt), {
            budgetSeconds: Math.max(0, (deadline - now()) / 1000),
            clock,
            signal: o.signal,
          });
        } catch (lookupError) {
          throw new LookupFailed(e, lookupError);
        }
        if (found !== undefined) return { value: found, adopted: true };
      }
      if (now() >= deadline) throw e;
      o.onRetry?.(e, attempt);
    }
  }
}
