// Request rate limits like the real service's (reference §10): 5 requests/s across all Panorama
// operations of the account and 1 request/s for each create/modify operation, as token buckets
// that hold one second's worth. Off unless asked for (`rateLimits` option or the control API).
// What the service answers when throttling is not documented; like most AWS front doors we send
// 429 with `x-amzn-errortype: ThrottlingException`, which the SDK classifies as throttling.
// `GET|POST|DELETE /_emulator/rate-limits` reads, changes or turns them off.
import { ControlEndpoints, ControlError, notAllowed, ok } from "./controlEndpoint";
import type { EmulatorControl, RateLimits, RateLimitsInput } from "./emulatorControl";
import { HookContext, HookDecision, RequestHook } from "./requestHooks";

export const SERVICE_RATE_LIMITS: RateLimits = {
  enabled: true,
  overallPerSecond: 5,
  createPerSecond: 1,
};
export const NO_RATE_LIMITS: RateLimits = { ...SERVICE_RATE_LIMITS, enabled: false };

/** The operations the 1 request/s limit applies to. */
export const LIMITED_OPERATION = /^(Create|Register|Deregister|Delete|Remove)/;

export class RateLimitError extends Error {}

/** Resolves an input over `base`; impossible values are refused with a reason. */
export function resolveRateLimits(
  input: RateLimitsInput | undefined,
  base: RateLimits = NO_RATE_LIMITS,
): RateLimits {
  if (input === undefined) return { ...base };
  if (typeof input === "boolean") return { ...base, enabled: input };
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new RateLimitError(
      "rateLimits must be true, false or an object { enabled, overallPerSecond, createPerSecond }.",
    );
  for (const key of Object.keys(input))
    if (!["enabled", "overallPerSecond", "createPerSecond"].includes(key))
      throw new RateLimitError(
        `Unknown rateLimits field "${key}"; known fields: enabled, overallPerSecond, createPerSecond.`,
      );
  const out = { ...base, enabled: input.enabled ?? true, ...stripUndefined(input) };
  if (typeof out.enabled !== "boolean")
    throw new RateLimitError("rateLimits.enabled must be a boolean.");
  for (const key of ["overallPerSecond", "createPerSecond"] as const) {
    const v = out[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > 100_000)
      throw new RateLimitError(
        `rateLimits.${key} must be a number of requests per second greater than 0, got ${JSON.stringify(v)}.`,
      );
  }
  return out;
}

/** A token bucket holding at most one second's worth of requests. */
class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = Math.max(1, perSecond);
    this.last = now;
  }

  available(now: number): boolean {
    this.tokens = Math.min(
      Math.max(1, this.perSecond),
      this.tokens + ((now - this.last) / 1000) * this.perSecond,
    );
    this.last = now;
    return this.tokens >= 1;
  }

  take(): void {
    this.tokens -= 1;
  }
}

export class RateLimiter implements RequestHook {
  private limits: RateLimits;
  private overall?: TokenBucket;
  private perOperation = new Map<string, TokenBucket>();

  /**
   * @param initial the start-up setting, restored by `reset`
   * @param onThrottled called for every request refused, for the request counts
   * @param now wall-clock milliseconds; buckets refill in real time, not emulator time
   */
  constructor(
    private readonly initial: RateLimits,
    private readonly onThrottled: (ctx: HookContext) => void = () => {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.limits = { ...initial };
  }

  get(): RateLimits {
    return { ...this.limits };
  }

  /** Changes the limits (merged over the current ones); buckets start full. */
  set(input: RateLimitsInput): RateLimits {
    this.limits = resolveRateLimits(input, this.limits);
    this.overall = undefined;
    this.perOperation.clear();
    return this.get();
  }

  reset(): void {
    this.limits = { ...this.initial };
    this.overall = undefined;
    this.perOperation.clear();
  }

  onRequest(ctx: HookContext): HookDecision | undefined {
    if (!this.limits.enabled || ctx.service !== "panorama") return undefined;
    const now = this.now();
    this.overall ??= new TokenBucket(this.limits.overallPerSecond, now);
    let own: TokenBucket | undefined;
    if (LIMITED_OPERATION.test(ctx.operation)) {
      own = this.perOperation.get(ctx.operation);
      if (!own)
        this.perOperation.set(
          ctx.operation,
          (own = new TokenBucket(this.limits.createPerSecond, now)),
        );
    }
    // Both buckets are refilled first; a refused request takes from neither.
    const overallOk = this.overall.available(now);
    const ownOk = own ? own.available(now) : true;
    if (overallOk && ownOk) {
      this.overall.take();
      own?.take();
      return undefined;
    }
    this.onThrottled(ctx);
    const rate = ownOk
      ? `${this.limits.overallPerSecond} requests/s for the account`
      : `${this.limits.createPerSecond} request/s for ${ctx.operation}`;
    return {
      action: "fail",
      status: 429,
      errorType: "ThrottlingException",
      message: `Rate exceeded (${rate}).`,
    };
  }
}

export function rateLimitControls(
  limiter: RateLimiter,
): Pick<EmulatorControl, "getRateLimits" | "setRateLimits"> {
  return {
    getRateLimits: () => limiter.get(),
    setRateLimits(limits: RateLimitsInput) {
      try {
        return limiter.set(limits);
      } catch (e) {
        if (e instanceof RateLimitError) throw new ControlError(400, e.message);
        throw e;
      }
    },
  };
}

export const rateLimitEndpoints: ControlEndpoints<EmulatorControl> = {
  "rate-limits": (c, { method, id, input }) => {
    if (id) return undefined;
    if (method === "GET") return ok(c.getRateLimits());
    if (method === "POST") return ok(c.setRateLimits(input));
    if (method === "DELETE") return ok(c.setRateLimits(false));
    return notAllowed("GET, POST or DELETE");
  },
};

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
