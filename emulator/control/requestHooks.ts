// The seam in the request pipeline where fault rules (faults.ts) and rate limits (rateLimits.ts)
// plug in. A hook sees each authenticated request after routing and decides what happens to it.

export interface HookContext {
  service: "panorama" | "s3";
  /** Operation name as counted, e.g. `CreatePackageImportJob` or `PutObject`. */
  operation: string;
  method: string;
  path: string;
  requestId: string;
}

export type HookDecision =
  /** Handle normally, optionally after a delay. */
  | { action: "continue"; delayMs?: number }
  /** Answer with this error instead of handling the request; the state is not touched. */
  | {
      action: "fail";
      status: number;
      errorType: string;
      message: string;
      members?: Record<string, unknown>;
      delayMs?: number;
    }
  /** Close the connection without handling the request. */
  | { action: "drop"; delayMs?: number }
  /** Handle the request (state changes happen) but close the connection instead of answering. */
  | { action: "applyAndDrop"; delayMs?: number }
  /** Keep the connection open and never answer (the request is not handled) until the client gives up. */
  | { action: "hang"; delayMs?: number };

export interface RequestHook {
  onRequest(ctx: HookContext): HookDecision | undefined | Promise<HookDecision | undefined>;
}

/** The first hook with an opinion wins. */
export async function decide(hooks: RequestHook[], ctx: HookContext): Promise<HookDecision> {
  for (const hook of hooks) {
    const d = await hook.onRequest(ctx);
    if (d) return d;
  }
  return { action: "continue" };
}
