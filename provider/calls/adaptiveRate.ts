// Sharing an account with clients outside our coordination: the provider processes of one machine
// share the account's quotas through slots (quotaSlots.ts), but another machine, the AWS console
// or CLI send at rates of their own, and the account's 5 requests/s are met by all of them. Every
// throttled answer to one of the account's requests therefore cuts this process's rate, and
// successes probe it back up, with the SDK's own adaptive client-side limiter (CUBIC: cut to 70% of
// the measured rate, then grow back along a cubic curve). Until the first 429 it lets everything
// through, so a process alone in its account runs at the ceiling. Creates are not on this curve:
// their 1 request/s quota is shared by slots (RequestBudget.answered).
import { DefaultRateLimiter } from "@smithy/core/retry";

/** A throttle cuts the rate to this share of what was being sent (the SDK's default). */
export const BETA = 0.7;

/** After a throttle at the ceiling, the rate is back at the ceiling this many seconds later. */
export const RECOVERY_SECONDS = 3;

/**
 * The lowest rate a throttled process is cut to, as a fraction of its ceiling: a tenth, so up to
 * ten processes can share one account without all of them being throttled at their floor.
 */
export const FLOOR_FRACTION = 0.1;

export class AdaptiveRates {
  private readonly limiter?: DefaultRateLimiter;

  /** @param ceiling the budget's requests per second for the account; 0 means no limit and no adapting */
  constructor(ceiling: number) {
    if (ceiling > 0) this.limiter = limiterFor(ceiling);
  }

  /** Waits until this process's current rate lets one more request go. */
  async gate(): Promise<void> {
    await this.limiter?.getSendToken();
  }

  /** The answer to a request: a throttled one cuts the rate, anything else lets it grow. */
  answered(throttled: boolean): void {
    this.limiter?.updateClientSendingRate(throttled ? { errorType: "THROTTLING" } : {});
  }
}

/**
 * The SDK's defaults suit quotas of tens or hundreds of requests per second (its curve regains
 * 0.4 requests/s within a second); Panorama's account quota is 5, so the curve is scaled to the ceiling.
 */
function limiterFor(ceiling: number): DefaultRateLimiter {
  return new DefaultRateLimiter({
    minFillRate: ceiling * FLOOR_FRACTION,
    scaleConstant: (ceiling * (1 - BETA)) / RECOVERY_SECONDS ** 3,
    beta: BETA,
  });
}
