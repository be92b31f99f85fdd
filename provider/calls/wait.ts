// A bounded poller with backoff and one acceptor (smithy's waiter). Pulumi's customTimeouts never
// reach dynamic providers (only the plugin door passes the engine's deadline), so every wait
// carries its own deadline; an AbortSignal (the engine's cancel) ends it at once.
import {
  Aborted,
  sleepUnlessAborted,
  systemWaitClock,
  unlessAborted,
  WaitClock,
} from "./waitClock";

/** How a resource waits for its remote object. Every field is optional in inputs. */
export interface WaitOptions {
  /** Wait for the terminal status at all. @default true */
  enabled?: boolean;
  /** Give up (recording the object as still in progress) after this long. @default 1800 */
  timeoutSeconds?: number;
  /** First delay between status checks. @default 0.5 */
  minDelaySeconds?: number;
  /** Longest delay between status checks. @default 60 */
  maxDelaySeconds?: number;
  /**
   * Growth of the delay after each check: the delay is (backoffRate − 1) × the time waited so far,
   * at least minDelaySeconds and at most maxDelaySeconds. @default 1.24
   */
  backoffRate?: number;
}

/**
 * The defaults, in one place. A job is checked every 0.5 s for its first 2 s, then the delay is 24%
 * of the time waited (so ×1.24 per check) up to 60 s: a job is seen finished within 24% of its
 * duration (at least 0.5 s, at most 60 s) and the number of checks grows with log(duration).
 * The shape before (0.5 s growing ×1.2 from the first check, i.e. 0.5 + 0.2·t) let a job of 2 s
 * wait up to 45% of its duration to be seen; with growth 1.2 a 10-minute job needs about 38 calls,
 * above the 4 + log₁.₂₅(600 s / 0.5 s) ≈ 36 that bench/RESULTS.md holds the provider to.
 */
export const DEFAULT_WAIT: Required<WaitOptions> = {
  enabled: true,
  timeoutSeconds: 1800,
  minDelaySeconds: 0.5,
  maxDelaySeconds: 60,
  backoffRate: 1.24,
};

/**
 * Fraction of a retry delay that is randomised (shortened, never lengthened), for calls repeated
 * after errors (retry.ts), where many requests fail at the same instant. Status checks have no
 * jitter: the request budget (requestBudget.ts) spreads bursts, checks of jobs started together
 * should fall together (they share a list page), and random shortening compounds into slower
 * growth, two or three extra checks for a 10-minute job.
 */
export const JITTER = 0.2;

export function resolveWaitOptions(options: WaitOptions | undefined): Required<WaitOptions> {
  const out = { ...DEFAULT_WAIT };
  for (const [k, v] of Object.entries(options ?? {})) {
    if (v !== undefined && v !== null) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** The rules every WaitOptions value must satisfy; messages name the property. */
export function waitOptionViolations(options: unknown, property: string): string[] {
  if (options === undefined || options === null) return [];
  if (typeof options !== "object" || Array.isArray(options))
    return [`${property}: must be an object`];
  const out: string[] = [];
  const o = options as Record<string, unknown>;
  const known = Object.keys(DEFAULT_WAIT);
  for (const key of Object.keys(o)) {
    if (!known.includes(key))
      out.push(`${property}.${key}: unknown option (known: ${known.join(", ")})`);
  }
  if (o.enabled !== undefined && typeof o.enabled !== "boolean")
    out.push(`${property}.enabled: must be a boolean`);
  const positive = (key: string, max?: number) => {
    const v = o[key];
    if (v === undefined) return;
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0)
      out.push(`${property}.${key}: must be a number greater than 0`);
    else if (max !== undefined && v > max) out.push(`${property}.${key}: must be at most ${max}`);
  };
  positive("timeoutSeconds", 7 * 24 * 3600);
  positive("minDelaySeconds", 3600);
  positive("maxDelaySeconds", 3600);
  if (
    o.backoffRate !== undefined &&
    (typeof o.backoffRate !== "number" || !(o.backoffRate >= 1) || o.backoffRate > 10)
  )
    out.push(`${property}.backoffRate: must be a number between 1 and 10`);
  const r = resolveWaitOptions(o as WaitOptions);
  if (out.length === 0 && r.minDelaySeconds > r.maxDelaySeconds)
    out.push(
      `${property}.minDelaySeconds: must not exceed maxDelaySeconds (${r.minDelaySeconds} > ${r.maxDelaySeconds})`,
    );
  return out;
}

/** The acceptor's answer (smithy's waiter states): finished well, finished badly, or keep waiting. */
export type Verdict = "success" | "failure" | "retry";

/** What one status check gave: its value, or the error it threw. */
export type CheckOutcome<T> = { value: T } | { error: unknown };

export interface PollOptions<T> {
  /** One status check. */
  check: () => Promise<T>;
  /**
   * The acceptor (smithy's): what a check's value, or the error it threw, means. A value judged
   * "success" or "failure" ends the wait with it; "retry" checks again. An error judged "retry" is
   * transient (throttling, 5xx, network: checked again); judged otherwise it ends the wait, thrown.
   */
  acceptor: (outcome: CheckOutcome<T>) => Verdict;
  options: Required<WaitOptions>;
  /**
   * After every check that did not end the wait: what it gave, the time waited so far and the
   * delay before the next check (undefined: it was the last, at the deadline). For progress lines.
   */
  onRetry?: (outcome: CheckOutcome<T>, elapsedMs: number, nextDelayMs: number | undefined) => void;
  /** Ends the wait at once, in a sleep or in a check (`aborted: true`). */
  signal?: AbortSignal;
  /** @default systemWaitClock */
  clock?: WaitClock;
  /** Durations of earlier waits of the same kind: also check around their typical end, and add this one's. */
  typical?: TypicalDurations;
}

/**
 * Checks around a job's expected end, by the typical duration of jobs of its kind that succeeded:
 * the first this long after it (the service's clock and ours differ by the create's round trip),
 * then every EXPECTED_END_STEP of the typical duration until EXPECTED_END_SPAN of it has passed;
 * the backoff's own checks go on throughout.
 */
export const EXPECTED_END_MARGIN_MS = 250;
export const EXPECTED_END_STEP = 0.04;
export const EXPECTED_END_SPAN = 1.2;
/** Successful jobs whose durations make the typical one (the median of the most recent). */
export const DURATIONS_KEPT = 9;

/** The next check, as the time waited, from `elapsedMs` on around the expected end; undefined past `span` of it. */
export function expectedEndCheckMs(
  typicalMs: number | undefined,
  elapsedMs: number,
  minDelayMs: number,
  span = EXPECTED_END_SPAN,
): number | undefined {
  if (typicalMs === undefined) return undefined;
  const first = typicalMs + EXPECTED_END_MARGIN_MS;
  if (elapsedMs < first) return first;
  const step = Math.max(minDelayMs, EXPECTED_END_STEP * typicalMs);
  const next = first + Math.ceil((elapsedMs - first + 1) / step) * step;
  return next <= span * typicalMs ? next : undefined;
}

/**
 * How long recent waits of one kind took (the deployments of a fleet, its OTA jobs), shared by the
 * waits of a process. Without it, the devices of a batch, which all take about as long, are each
 * seen done up to (backoffRate − 1) of their age late, and the next batch waits for the last of
 * them. A wait records the time waited at its last check that still saw the job pending: a lower
 * bound of its duration, as the answers of these services carry no end time.
 */
export class TypicalDurations {
  private readonly recent: number[] = [];

  typicalMs(): number | undefined {
    if (this.recent.length === 0) return undefined;
    // The lower median, as the status scheduler's.
    return [...this.recent].sort((a, b) => a - b)[(this.recent.length - 1) >> 1];
  }

  add(ms: number): void {
    this.recent.push(ms);
    if (this.recent.length > DURATIONS_KEPT) this.recent.shift();
  }
}

/**
 * `done`: the acceptor ended the wait with `value` (the caller's acceptor tells success from
 * failure). Otherwise the deadline passed (`value` the last one seen, `lastError` if the last
 * check failed) or the signal stopped the wait (`aborted`).
 */
export type PollResult<T> =
  | { done: true; value: T }
  | { done: false; value: T | undefined; lastError?: unknown; aborted?: true };

/**
 * The delay before the next check after `elapsedMs` of waiting, before jitter: (rate − 1) × the
 * time waited, between minDelaySeconds and maxDelaySeconds. Past the floor, each delay is `rate`
 * times the previous one (tₙ₊₁ = rate·tₙ), and a job that finished since the last check waits at
 * most (rate − 1) of its age to be seen. It depends only on the age, so a job whose status arrives
 * early (coalesced with others) keeps the schedule it would have had alone.
 */
export function backoffDelayMs(options: Required<WaitOptions>, elapsedMs: number): number {
  const ms = (options.backoffRate - 1) * Math.max(0, elapsedMs);
  return Math.min(options.maxDelaySeconds * 1000, Math.max(options.minDelaySeconds * 1000, ms));
}

/** Checks until the acceptor ends the wait, the deadline passes or the signal aborts; never sleeps past the deadline. */
export async function pollUntil<T>(p: PollOptions<T>): Promise<PollResult<T>> {
  const clock = p.clock ?? systemWaitClock;
  const now = () => clock.now();
  const started = now();
  const deadline = started + p.options.timeoutSeconds * 1000;
  const nextDelay = (elapsed: number) => {
    const backoff = backoffDelayMs(p.options, elapsed);
    const typical = p.typical?.typicalMs();
    // A learned duration is a lower bound, short by up to the backoff's step: look that far past it.
    const span = Math.max(EXPECTED_END_SPAN, p.options.backoffRate);
    const expected = expectedEndCheckMs(typical, elapsed, p.options.minDelaySeconds * 1000, span);
    // At least 1 ms: a check due a rounding error from now must still move the clock on.
    return expected === undefined ? backoff : Math.min(backoff, Math.max(1, expected - elapsed));
  };
  let delay = nextDelay(0);
  let last: T | undefined;
  let lastError: unknown;
  /** The time waited at the last check that saw the job pending. */
  let pendingAt: number | undefined;
  const aborted = (): PollResult<T> => ({ done: false, value: last, lastError, aborted: true });
  for (;;) {
    const wait = Math.min(delay, Math.max(0, deadline - now()));
    if (wait > 0) await sleepUnlessAborted(clock, wait, p.signal);
    if (p.signal?.aborted) return aborted();
    let outcome: CheckOutcome<T>;
    const checkedAt = now() - started;
    try {
      outcome = { value: await unlessAborted(p.check(), p.signal) };
    } catch (e) {
      if (e instanceof Aborted) return aborted();
      outcome = { error: e };
    }
    const verdict = p.acceptor(outcome);
    if ("error" in outcome) {
      if (verdict !== "retry") throw outcome.error;
      lastError = outcome.error;
    } else {
      last = outcome.value;
      lastError = undefined;
      if (verdict === "success" && pendingAt !== undefined) p.typical?.add(pendingAt);
      if (verdict !== "retry") return { done: true, value: outcome.value };
      pendingAt = checkedAt;
    }
    delay = nextDelay(now() - started);
    const remaining = deadline - now();
    p.onRetry?.(outcome, now() - started, remaining > 0 ? delay : undefined);
    if (remaining <= 0) return { done: false, value: last, lastError };
  }
}
