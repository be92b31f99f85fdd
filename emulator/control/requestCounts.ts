// Per-operation request counts (`panorama:CreatePackageImportJob`, `s3:PutObject`), for tests
// and benchmarks that measure how many calls a workflow spends: `GET /_emulator/requests`,
// `POST /_emulator/requests/reset`.
import { ControlEndpoints, ok } from "./controlEndpoint";
import type { EmulatorControl, RequestCounts } from "./emulatorControl";

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

export function requestCountControls(
  counter: RequestCounter,
): Pick<EmulatorControl, "requestCounts" | "resetRequestCounts"> {
  return {
    requestCounts: () => counter.snapshot(),
    resetRequestCounts: () => counter.reset(),
  };
}

export const requestCountEndpoints: ControlEndpoints<EmulatorControl> = {
  requests: (c, { method, id }) => {
    if (method === "GET" && !id) return ok(c.requestCounts());
    if (method === "POST" && id === "reset") return (c.resetRequestCounts(), ok());
    return undefined;
  },
};
