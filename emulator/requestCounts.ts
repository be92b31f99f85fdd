// Per-operation request counts (`panorama:CreatePackageImportJob`, `s3:PutObject`), for tests
// and benchmarks that measure how many calls a workflow spends.

export interface RequestCounts {
  total: number;
  byOperation: Record<string, number>;
}

export class RequestCounter {
  private counts: Record<string, number> = {};
  private total = 0;

  record(key: string): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    this.total++;
  }

  snapshot(): RequestCounts {
    return { total: this.total, byOperation: { ...this.counts } };
  }

  reset(): void {
    this.counts = {};
    this.total = 0;
  }
}
