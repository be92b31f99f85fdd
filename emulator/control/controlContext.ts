// What the control functions work with: the runtime, the request counter and the request hooks
// they manage, and how a control call changes the state (what is due settles first; then the
// state is marked changed and saved).
import { settleDueTransitions } from "../panorama/dueTransitions";
import { Runtime } from "../state/runtime";
import { EmulatorState } from "../state/state";
import { FaultInjector } from "./faults";
import { RateLimiter } from "./rateLimits";
import { RequestCounter } from "./requestCounts";

export interface ControlContext {
  rt: Runtime;
  counter: RequestCounter;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  /** A fresh state: seeded devices and the package storage bucket. */
  freshState: () => EmulatorState;
  /** Saves the state; in-process calls have no reply to hold back, so it runs in the background. */
  changed: () => void;
}

/** Runs a control change on the state as it is now: due transitions settle before it. */
export function change<T>(ctx: ControlContext, f: () => T): T {
  settleDueTransitions(ctx.rt);
  const out = f();
  ctx.rt.dirty = true;
  ctx.changed();
  return out;
}

/**
 * `complete` and `fail` of a pending record (an import job, an application instance…): what is
 * due settles first, then the record (404 if none, 409 if not pending) settles now, with its
 * natural outcome or failed with the message; the answer is the record as Describe shows it.
 */
export function pendingOutcomes<R>(
  ctx: ControlContext,
  pending: (id: string) => R,
  settle: (record: R, at: number, failure?: string) => void,
  describe: (id: string) => Record<string, unknown>,
  defaultFailure: string,
) {
  return {
    complete: (id: string) =>
      change(ctx, () => {
        settle(pending(id), ctx.rt.clock.now());
        return describe(id);
      }),
    fail: (id: string, message?: string) =>
      change(ctx, () => {
        settle(pending(id), ctx.rt.clock.now(), message || defaultFailure);
        return describe(id);
      }),
  };
}
