// Sharing an account with other processes: the request budget (requestBudget.ts) is a ceiling for
// this process alone, so three stacks deploying at once would each send at the full ceiling and
// meet the service's quotas three times over. Every throttled answer therefore cuts this process's
// rate for the throttled class of requests, and successes probe it back up, with the SDK's own
// adaptive client-side limiter (CUBIC: cut to 70% of the measured rate, then grow back along a
// cubic curve). One limiter per class the service counts separately: the account as a whole, and
// each create/modify operation. Until the first 429 a limiter lets everything through, so a
// process alone in its account runs at the ceiling.
import { DefaultRateLimiter } from "@smithy/core/retry";
import { LIMITED_OPERATION, RequestBudgetOptions } from "./requestBudget";

/** A throttle cuts the rate to this share of what was being sent (the SDK's default). */
export const BETA = 0.7;

/** After a throttle at the ceiling, the rate is back at the ceiling this many seconds later. */
export const RECOVERY_SECONDS = 3;

/**
 * The lowest rate a throttled class is cut to, as a fraction of its ceiling: a tenth, so up to ten
 * processes can share one quota without all of them being throttled at their floor.
 */
export const FLOOR_FRACTION = 0.1;

export class AdaptiveRates {
  private overall?: DefaultRateLimiter;
  private readonly perOperation = new Map<string, DefaultRateLimiter>();

  constructor(private readonly ceilings: Pick<RequestBudgetOptions, "perSecond" | "createPerSecond">) {
    if (ceilings.perSecond > 0) this.overall = limiterFor(ceilings.perSecond);
  }

  /** Waits until this process's current rate lets one more request of `operation` go. */
  async gate(operation: string): Promise<void> {
    for (const limiter of this.limiters(operation)) await limiter.getSendToken();
  }

  /**
   * The answer to a request of `operation`: a throttled one cuts the rate of the class the service
   * counts it in (its own operation for a create, else the account), anything else lets the rates
   * of every class it went through grow.
   */
  answered(operation: string, throttled: boolean): void {
    const limiters = this.limiters(operation);
    if (!throttled) return limiters.forEach((l) => l.updateClientSendingRate({}));
    limiters[limiters.length - 1]?.updateClientSendingRate({ errorType: "THROTTLING" });
  }

  private limiters(operation: string): DefaultRateLimiter[] {
    const own = this.operationLimiter(operation);
    return [this.overall, own].filter((l): l is DefaultRateLimiter => l !== undefined);
  }

  private operationLimiter(operation: string): DefaultRateLimiter | undefined {
    if (!(this.ceilings.createPerSecond > 0) || !LIMITED_OPERATION.test(operation)) return undefined;
    let limiter = this.perOperation.get(operation);
    if (!limiter) this.perOperation.set(operation, (limiter = limiterFor(this.ceilings.createPerSecond)));
    return limiter;
  }
}

/**
 * The SDK's defaults suit quotas of tens or hundreds of requests per second (its curve regains
 * 0.4 requests/s within a second); Panorama's are 5 and 1, so the curve is scaled to the ceiling.
 */
function limiterFor(ceiling: number): DefaultRateLimiter {
  return new DefaultRateLimiter({
    minFillRate: ceiling * FLOOR_FRACTION,
    scaleConstant: (ceiling * (1 - BETA)) / RECOVERY_SECONDS ** 3,
    beta: BETA,
  });
}
