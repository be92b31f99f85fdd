// The emulator's control surface, put together from one part per concern (emulatorControl.ts
// lists what each call does).
import { applicationInstanceControls } from "./applicationInstances";
import { ControlContext } from "./controlContext";
import { deviceControls } from "./devices";
import { deviceJobControls } from "./deviceJobs";
import { EmulatorControl } from "./emulatorControl";
import { faultControls } from "./faults";
import { importJobControls } from "./importJobs";
import { packageVersionControls } from "./packageVersions";
import { rateLimitControls } from "./rateLimits";
import { requestCountControls } from "./requestCounts";
import { resetControls } from "./reset";
import { stateDumpControls } from "./stateDump";
import { templateJobControls } from "./templateJobs";
import { timingControls } from "./timing";

export function createControl(ctx: ControlContext): EmulatorControl {
  return {
    ...resetControls(ctx),
    ...timingControls(ctx),
    ...stateDumpControls(ctx),
    ...requestCountControls(ctx.counter),
    ...faultControls(ctx.faults),
    ...rateLimitControls(ctx.rateLimiter),
    ...importJobControls(ctx),
    ...templateJobControls(ctx),
    ...applicationInstanceControls(ctx),
    ...packageVersionControls(ctx),
    ...deviceControls(ctx),
    ...deviceJobControls(ctx),
  };
}
