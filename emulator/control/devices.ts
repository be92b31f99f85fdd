// Devices on demand: `POST /_emulator/devices/<id>/connect` (a provisioned appliance has
// booted), `POST|DELETE …/fault` (deployments or device jobs there fail, or deployments run
// unhealthy; or no longer) and
// `GET …/history` (what happened to the application instances there, oldest first).
import { arrangeDeviceFault } from "../panorama/deviceFaults";
import { connectDevice, describeDevice, findDevice } from "../panorama/devices";
import { settleDueTransitions } from "../panorama/dueTransitions";
import { DeviceFault, DeviceRecord } from "../state/deviceRecords";
import { Runtime } from "../state/runtime";
import { change, ControlContext } from "./controlContext";
import { ControlEndpoints, ControlError, ok } from "./controlEndpoint";
import type { EmulatorControl } from "./emulatorControl";

export function deviceControls(
  ctx: ControlContext,
): Pick<EmulatorControl, "connectDevice" | "setDeviceFault" | "deviceHistory"> {
  const { rt } = ctx;
  return {
    connectDevice: (id: string) =>
      change(ctx, () => {
        connectDevice(rt, device(rt, id));
        return describeDevice(rt, { DeviceId: id });
      }),
    setDeviceFault: (id: string, fault: Partial<DeviceFault> | undefined) =>
      change(ctx, () => {
        arrangeDeviceFault(rt, device(rt, id), fault && checkedDeviceFault(fault));
        return { deviceId: id, fault: device(rt, id).fault ?? null };
      }),
    deviceHistory: (id: string) => {
      settleDueTransitions(rt);
      return structuredClone(device(rt, id).history);
    },
  };
}

export const deviceEndpoints: ControlEndpoints<EmulatorControl> = {
  devices: (c, { method, id, rest, input }) => {
    if (!id) return undefined;
    const action = rest.join("/");
    if (method === "POST" && action === "connect") return ok(c.connectDevice(id));
    if (action === "fault" && method === "POST") return ok(c.setDeviceFault(id, input));
    if (action === "fault" && method === "DELETE") return ok(c.setDeviceFault(id, undefined));
    if (action === "history" && method === "GET") return ok({ history: c.deviceHistory(id) });
    return undefined;
  },
};

function device(rt: Runtime, id: string): DeviceRecord {
  try {
    return findDevice(rt, id);
  } catch {
    throw new ControlError(404, `No device ${id}.`);
  }
}

function checkedDeviceFault(f: Partial<DeviceFault>): DeviceFault {
  if (f.deployment !== undefined && f.deployment !== "FAILED")
    throw new ControlError(
      400,
      `deployment must be "FAILED", got ${JSON.stringify(f.deployment)}.`,
    );
  if (f.health !== undefined && f.health !== "ERROR")
    throw new ControlError(400, `health must be "ERROR", got ${JSON.stringify(f.health)}.`);
  if (f.deviceJob !== undefined && f.deviceJob !== "FAILED")
    throw new ControlError(400, `deviceJob must be "FAILED", got ${JSON.stringify(f.deviceJob)}.`);
  if ([f.deployment, f.health, f.deviceJob].filter((x) => x !== undefined).length !== 1)
    throw new ControlError(
      400,
      'Give exactly one of deployment: "FAILED", health: "ERROR" or deviceJob: "FAILED".',
    );
  const message =
    f.message ||
    (f.deployment
      ? "The deployment was failed by the emulator control API."
      : f.deviceJob
        ? "The device job was failed by the emulator control API."
        : "The application reported an error to the emulator control API.");
  return {
    ...(f.deployment && { deployment: f.deployment }),
    ...(f.health && { health: f.health }),
    ...(f.deviceJob && { deviceJob: f.deviceJob }),
    message,
  };
}
