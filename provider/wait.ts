// A bounded poller with exponential backoff and jitter. Pulumi's customTimeouts never reach
// dynamic providers, so every wait carries its own deadline.

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
  /** Growth of the delay after each check. @default 1.2 */
  backoffRate?: number;
}

/**
 * The defaults, in one place. Growth 1.2 keeps the detection lag under ~20% of the job's
 * duration while the number of calls grows with log(duration); the 60 s cap bounds the lag
 * of very long jobs.
 */
export const DEFAULT_WAIT: Required<WaitOptions> = {
  enabled: true,
  timeoutSeconds: 1800,
  minDelaySeconds: 0.5,
  maxDelaySeconds: 60,
  backoffRate: 1.2,
};

/** Fraction of each delay that is randomised (delays are shortened, never lengthened). */
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
  if (typeof options !== "object" || Array.isArray(options)) return [`${property}: must be an object`];
  const out: string[] = [];
  const o = options as Record<string, unknown>;
  const known = Object.keys(DEFAULT_WAIT);
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) out.push(`${property}.${key}: unknown option (known: ${known.join(", ")})`);
  }
  if (o.enabled !== undefined && typeof o.enabled !== "boolean") out.push(`${property}.enabled: must be a boolean`);
  const positive = (key: string, max?: number) => {
    const v = o[key];
    if (v === undefined) return;
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) out.push(`${property}.${key}: must be a number greater than 0`);
    else if (max !== undefined && v > max) out.push(`${property}.${key}: must be at most ${max}`);
  };
  positive("timeoutSeconds", 7 * 24 * 3600);
  positive("minDelaySeconds", 3600);
  positive("maxDelaySeconds", 3600);
  if (o.backoffRate !== undefined && (typeof o.backoffRate !== "number" || !(o.backoffRate >= 1) || o.backoffRate > 10))
    out.push(`${property}.backoffRate: must be a number between 1 and 10`);
  const r = resolveWaitOptions(o as WaitOptions);
  if (out.length === 0 && r.minDelaySeconds > r.maxDelaySeconds)
    out.push(`${property}.minDelaySeconds: must not exceed maxDelaySeconds (${r.minDelaySeconds} > ${r.maxDelaySeconds})`);
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
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export type PollResult<T> = { done: true; value: T } | { done: false; value: T | undefined; lastError?: unknown };

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Time and timers, one seam so that schedulers run on a fake clock in tests. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * The delay pollUntil uses after `elapsedMs` of waiting, without jitter. Growing the delay by
 * `backoffRate` per check is the same as making it grow linearly with the time waited:
 * after checks at t₁…tₙ the next delay is min·rateⁿ = min + (rate − 1)·tₙ. Written this way it
 * depends only on the job's age, so a job whose status arrives early (coalesced with others)
 * keeps the schedule it would have had alone.
 */
export function backoffDelayMs(options: Required<WaitOptions>, elapsedMs: number): number {
  const min = options.minDelaySeconds * 1000;
  return Math.min(options.maxDelaySeconds * 1000, min + (options.backoffRate - 1) * Math.max(0, elapsedMs));
}

/** Checks until `isDone` or the deadline; never sleeps past the deadline. */
export async function pollUntil<T>(p: PollOptions<T>): Promise<PollResult<T>> {
  const now = p.now ?? Date.now;
  const doSleep = p.sleep ?? sleep;
  const random = p.random ?? Math.random;
  const started = now();
  const deadline = started + p.options.timeoutSeconds * 1000;
  let delay = p.options.minDelaySeconds * 1000;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    const wait = Math.min(delay * (1 - JITTER * random()), Math.max(0, deadline - now()));
    if (wait > 0) await doSleep(wait);
    try {
      last = await p.check();
      lastError = undefined;
    } catch (e) {
      if (!p.isTransient?.(e)) throw e;
      lastError = e;
      p.onTransientError?.(e, now() - started);
    }
    delay = Math.min(delay * p.options.backoffRate, p.options.maxDelaySeconds * 1000);
    if (lastError === undefined && p.isDone(last as T)) return { done: true, value: last as T };
    const remaining = deadline - now();
    if (lastError === undefined) p.onCheck?.(last as T, now() - started, remaining > 0 ? delay : undefined);
    if (remaining <= 0) return { done: false, value: last, lastError };
  }
}
