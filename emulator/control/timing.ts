// How long lifecycles take and where the service clock stands: `GET|POST /_emulator/timing`,
// `POST /_emulator/clock/advance {ms}`.
import { mergeTiming, TimingPatch } from "../state/timing";
import { change, ControlContext } from "./controlContext";
import { ControlEndpoints, ControlError, notAllowed, ok } from "./controlEndpoint";
import type { EmulatorControl } from "./emulatorControl";

export function timingControls(
  ctx: ControlContext,
): Pick<EmulatorControl, "getTiming" | "setTiming" | "advanceClock"> {
  const { rt } = ctx;
  return {
    getTiming: () => structuredClone(rt.timing),
    setTiming(patch: TimingPatch) {
      try {
        rt.timing = mergeTiming(rt.timing, patch);
      } catch (e) {
        throw new ControlError(400, (e as Error).message);
      }
      return structuredClone(rt.timing);
    },
    advanceClock(ms: number) {
      try {
        rt.clock.advance(ms);
      } catch (e) {
        throw new ControlError(400, (e as Error).message);
      }
      change(ctx, () => undefined);
    },
  };
}

export const timingEndpoints: ControlEndpoints<EmulatorControl> = {
  timing: (c, req) => {
    if (req.id) return undefined;
    if (req.method === "GET") return ok(c.getTiming());
    if (req.method === "POST") return ok(c.setTiming(req.input));
    return notAllowed();
  },
  clock: (c, req) =>
    req.method === "POST" && req.id === "advance"
      ? (c.advanceClock(Number(req.input.ms)), ok())
      : undefined,
};
