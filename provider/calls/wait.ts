// A bounded poller with exponential backoff and jitter. Pulumi's customTimeouts never reach
// dynamic providers, so every wait carries its own deadline.
import { WaitClock, systemWaitClock } from "./waitClock";

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

export interface PollOptions<T> {
  /** One status check. Errors it throws end the wait unless `isTransient` says otherwise. */
  check: () => Promise<T>;
  isDone: (value: T) => boolean;
  options: Required<WaitOptions>;
  /** Errors worth another check (throttling, 5xx, network) rather than failing the wait. */
  isTransient?: (error: unknown) => boolean;
  /** Called after every check with the value and the time spent so far. */
  onCheck?: (value: T, elapsedMs: number, nextDelayMs: number | undefined) => void;
  onTransientError?: (error: unknown, elapsedMs: number) => void;
  /** @default systemWaitClock */
  clock?: WaitClock;
}

export type PollResult<T> =
  { done: true; value: T } | { done: false; value: T | undefined; lastError?: unknown };

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

/** Checks until `isDone` or the deadline; never sleeps past the deadline. */
export async function pollUntil<T>(p: PollOptions<T>): Promise<PollResult<T>> {
  const clock = p.clock ?? systemWaitClock;
  const now = () => clock.now();
  const started = now();
  const deadline = started + p.options.timeoutSeconds * 1000;
  let delay = backoffDelayMs(p.options, 0);
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    const wait = Math.min(delay, Math.max(0, deadline - now()));
    if (wait > 0) await clock.sleep(wait);
    try {
      last = await p.check();
      lastError = undefined;
    } catch (e) {
      if (!p.isTransient?.(e)) throw e;
      lastError = e;
      p.onTransientError?.(e, now() - started);
    }
    delay = backoffDelayMs(p.options, now() - started);
    if (lastError === undefined && p.isDone(last as T)) return { done: true, value: last as T };
    const remaining = deadline - now();
    if (lastError === undefined)
      p.onCheck?.(last as T, now() - started, remaining > 0 ? delay : undefined);
    if (remaining <= 0) return { done: false, value: last, lastError };
  }
}
