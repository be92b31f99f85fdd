// Back to the start-up condition: a fresh state (seeded devices, the package storage bucket), the
// start-up timing, fault rules and rate limits, and zero request counts. `POST /_emulator/reset`.
import { seedDevices } from "../panorama/devices";
import { ensureStorageBucket } from "../panorama/storage";
import { Runtime } from "../state/runtime";
import { EmulatorState } from "../state/state";
import { ControlContext } from "./controlContext";
import { ControlEndpoints, ok } from "./controlEndpoint";
import type { EmulatorControl } from "./emulatorControl";

export function resetControls(ctx: ControlContext): Pick<EmulatorControl, "reset"> {
  return {
    reset() {
      const { rt } = ctx;
      rt.state = ctx.freshState();
      rt.timing = structuredClone(rt.options.timing);
      ctx.faults.reset();
      ctx.rateLimiter.reset();
      ctx.counter.reset();
      rt.dirty = true;
      ctx.changed();
    },
  };
}

export const resetEndpoints: ControlEndpoints<EmulatorControl> = {
  reset: (c, req) => (req.method === "POST" && !req.id ? (c.reset(), ok()) : undefined),
};

/** A fresh state: seeded devices and the package storage bucket. */
export function initialState(rt: Runtime, empty: () => EmulatorState): EmulatorState {
  const previous = rt.state;
  rt.state = empty();
  seedDevices(rt);
  ensureStorageBucket(rt);
  const fresh = rt.state;
  rt.state = previous;
  return fresh;
}
