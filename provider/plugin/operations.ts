// The operations in flight in this provider process: each gets its CallContext (the engine's
// deadline, a signal that Cancel aborts, a log on its resource's URN, the provider's clients), and
// Cancel aborts them all, and every one started after it.
import type { CallContext, ClientFactory } from "../lifecycle/callContext";
import { EngineLog, withConsoleTo } from "./engineLog";

/** Where operations' lines go (the engine's Log service). */
export type OperationLog = Pick<EngineLog, "log" | "forResource">;

export interface OperationOptions {
  /** The request's `timeout` in seconds; 0 means none. */
  timeoutSeconds?: number;
  preview?: boolean;
}

export class Operations {
  private readonly inFlight = new Set<AbortController>();
  private cancelled = false;

  constructor(
    private readonly engineLog: OperationLog,
    /** The provider's clients once Configure ran. */
    private readonly clients: () => ClientFactory,
  ) {}

  /** Runs one operation on the resource `urn` with its CallContext. */
  async run<T>(
    urn: string,
    options: OperationOptions,
    fn: (ctx: CallContext) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    if (this.cancelled) controller.abort(cancellation());
    this.inFlight.add(controller);
    const log = this.engineLog.forResource(urn);
    if (options.timeoutSeconds)
      this.engineLog.log(
        "debug",
        `the engine's deadline for this operation: ${options.timeoutSeconds}s (customTimeouts)`,
        urn,
      );
    const ctx: CallContext = {
      ...(options.timeoutSeconds ? { timeoutSeconds: options.timeoutSeconds } : {}),
      ...(options.preview ? { preview: true } : {}),
      signal: controller.signal,
      log,
      clients: this.clients(),
    };
    try {
      return await withConsoleTo(log, () => fn(ctx));
    } finally {
      this.inFlight.delete(controller);
    }
  }

  /** The engine's Cancel: every operation's signal is aborted, now and from now on. */
  cancel(): number {
    this.cancelled = true;
    for (const controller of this.inFlight) controller.abort(cancellation());
    return this.inFlight.size;
  }
}

function cancellation(): Error {
  const e = new Error("the Pulumi engine cancelled the operation (Ctrl-C, or `pulumi cancel`)");
  e.name = "AbortError";
  return e;
}
