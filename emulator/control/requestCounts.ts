// Per-operation request counts (`panorama:CreatePackageImportJob`, `s3:PutObject`), for tests
// and benchmarks that measure how many calls a workflow spends.

export interface RequestCounts {
  total: number;
  byOperation: Record<string, number>;
  /** Requests refused with 429 by the emulated rate limits (also counted under their operation). */
  throttled: number;
  /** Requests a fault rule affected (also counted under their operation). */
  faults: number;
}

export class RequestCounter {
  private counts: Record<string, number> = {};
  private total = 0;
  private throttled = 0;
  private faults = 0;

  record(key: string): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    this.total++;
  }

  recordThrottled(): void {
    this.throttled++;
  }

  recordFault(): void {
    this.faults++;
  }

  snapshot(): RequestCounts {
    return {
      total: this.total,
      byOperation: { ...this.counts },
      throttled: this.throttled,
      faults: this.faults,
    };
  }

  reset(): void {
    this.counts = {};
    this.total = 0;
    this.throttled = 0;
    this.faults = 0;
  }
}
