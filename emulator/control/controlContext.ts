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
