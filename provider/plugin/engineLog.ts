// Lines of an operation, attached to its resource's URN through the engine's Log service, so the
// CLI shows them on the resource's row (not the stack's, as plugin stdout would be). Progress
// lines of a wait are ephemeral: shown while the step runs, not repeated in the Diagnostics.
import { AsyncLocalStorage } from "async_hooks";
import type { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { engineproto, enginerpc, grpc } from "./grpcRuntime";

export type Severity = "debug" | "info" | "warning" | "error";

/** A line that only says how long a wait has run (`… PENDING after 11.6s; next check in 2.0s`). */
const PROGRESS_LINE = / after \d+(\.\d+)?s(;|$)/;

export class EngineLog {
  private readonly client: EngineClient | undefined;
  private failed = false;

  /** @param address the engine's gRPC address (the plugin's argument); none: stderr only. */
  constructor(address: string | undefined) {
    this.client = address
      ? new enginerpc.EngineClient(address, grpc.credentials.createInsecure())
      : undefined;
  }

  /** Sends one line; never throws (a log that cannot be delivered goes to stderr). */
  log(severity: Severity, message: string, urn = "", ephemeral = PROGRESS_LINE.test(message)) {
    if (!this.client) return void process.stderr.write(`${message}\n`);
    const request = new engineproto.LogRequest();
    request.setSeverity(engineproto.LogSeverity[severity.toUpperCase() as "INFO"]);
    request.setMessage(message);
    request.setUrn(urn);
    request.setEphemeral(ephemeral);
    this.client.log(request, (error) => {
      if (!error || this.failed) return;
      this.failed = true; // the engine is going away; say so once
      process.stderr.write(
        `pulumi-panorama: could not send a log line to the engine: ${error.message}\n`,
      );
    });
  }

  /** The `log` of one operation on the resource `urn`. */
  forResource(urn: string): (line: string) => void {
    return (line) => this.log("info", line, urn);
  }

  close(): void {
    this.client?.close();
  }
}

const current = new AsyncLocalStorage<(line: string) => void>();
let bridged = false;

/**
 * Runs `fn` with console.log / console.info going to `log`: code that still prints its lines
 * (rather than calling the CallContext's `log`) reaches the resource's row too. Output outside
 * any operation keeps going to stdout, which the engine shows on the stack's row.
 */
export function withConsoleTo<T>(log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  if (!bridged) {
    bridged = true;
    for (const method of ["log", "info"] as const) {
      const original = console[method].bind(console);
      console[method] = (...args: unknown[]) => {
        const target = current.getStore();
        if (target) target(args.map((a) => (typeof a === "string" ? a : String(a))).join(" "));
        else original(...args);
      };
    }
  }
  return current.run(log, fn);
}
