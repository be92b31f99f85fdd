// Device-job outcomes on demand: `POST /_emulator/device-jobs/<id>/complete` (a running OTA or
// REBOOT ends now, COMPLETED), `…/fail {message}` (ends now, FAILED) and `…/status {status}` (set
// as given, without side effects, for refresh tests). To fail the jobs a program has not created
// yet, arrange a fault for their device (`POST /_emulator/devices/<id>/fault {"deviceJob":"FAILED"}`).
import { describeDeviceJob } from "../panorama/deviceJobs";
import { forceDeviceJobStatus, settleDeviceJob } from "../panorama/deviceJobStatus";
import { DeviceJobRecord, DeviceJobStatus } from "../state/deviceRecords";
import { Runtime } from "../state/runtime";
import { enumValues } from "../../model/panoramaModel";
import { change, ControlContext, pendingOutcomes } from "./controlContext";
import { ControlEndpoints, ControlError, ok } from "./controlEndpoint";
import type { EmulatorControl } from "./emulatorControl";

export function deviceJobControls(
  ctx: ControlContext,
): Pick<EmulatorControl, "completeDeviceJob" | "failDeviceJob" | "setDeviceJobStatus"> {
  const { rt } = ctx;
  const describe = (id: string) => describeDeviceJob(rt, { JobId: id });
  const outcomes = pendingOutcomes(
    ctx,
    (id) => runningJob(rt, id),
    (job, at, failure) => settleDeviceJob(rt, job, at, failure),
    describe,
    "The device job was failed by the emulator control API.",
  );
  return {
    completeDeviceJob: outcomes.complete,
    failDeviceJob: outcomes.fail,
    setDeviceJobStatus: (id: string, status: DeviceJobStatus) =>
      change(ctx, () => {
        const statuses = enumValues("UpdateProgress");
        if (!statuses.includes(status))
          throw new ControlError(
            400,
            `status must be one of ${statuses.join(", ")}, got ${status}.`,
          );
        forceDeviceJobStatus(rt, deviceJob(rt, id), status);
        return describe(id);
      }),
  };
}

export const deviceJobEndpoints: ControlEndpoints<EmulatorControl> = {
  "device-jobs": (c, { method, id, rest, input }) => {
    if (method !== "POST" || !id) return undefined;
    const action = rest.join("/");
    if (action === "complete") return ok(c.completeDeviceJob(id));
    if (action === "fail") return ok(c.failDeviceJob(id, input.message));
    if (action === "status") return ok(c.setDeviceJobStatus(id, input.status));
    return undefined;
  },
};

function deviceJob(rt: Runtime, id: string): DeviceJobRecord {
  const job = rt.state.deviceJobs[id];
  if (!job) throw new ControlError(404, `No device job ${id}.`);
  return job;
}

function runningJob(rt: Runtime, id: string): DeviceJobRecord {
  const job = deviceJob(rt, id);
  if (!job.transition)
    throw new ControlError(409, `Device job ${id} is not running (status ${job.status}).`);
  return job;
}
