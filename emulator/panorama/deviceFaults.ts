// Failures the control API arranges for a device: every deployment that settles from then on ends
// DEPLOYMENT_FAILED, or succeeds with health ERROR, which also turns what runs there ERROR at once.
// The fault lives on the device record; deployments read it when they settle (devices.ts).
// Clearing a health fault is the device's cause fixed: what runs there unhealthy is RUNNING again.
import { DeviceFault, DeviceRecord } from "../state/deviceRecords";
import { Runtime } from "../state/runtime";
import {
  markRunningInstancesHealthy,
  markRunningInstancesUnhealthy,
} from "./applicationInstanceStatus";

/** Arranges (or, with undefined, clears) a failure for the device's deployments. */
export function arrangeDeviceFault(
  rt: Runtime,
  d: DeviceRecord,
  fault: DeviceFault | undefined,
): void {
  const wasUnhealthy = d.fault?.health === "ERROR";
  d.fault = fault;
  if (fault?.health === "ERROR") markRunningInstancesUnhealthy(rt, d.deviceId, fault.message);
  else if (wasUnhealthy) markRunningInstancesHealthy(rt, d.deviceId);
}
