// What application instances report to their device: each deployment, health error and removal,
// oldest first, as the control API's `GET /_emulator/devices/<id>/history` lists them.
import { ApplicationInstanceRecord, DeviceEventKind } from "../state/deviceRecords";
import { Runtime } from "../state/runtime";

/** Appends to the device's history (instances of deleted devices have none). */
export function reportToDevice(
  rt: Runtime,
  a: ApplicationInstanceRecord,
  event: DeviceEventKind,
  at: number,
): void {
  const d = rt.state.devices[a.deviceId];
  if (!d) return;
  // State files written before the history existed have none.
  (d.history ??= []).push({
    at,
    applicationInstanceId: a.applicationInstanceId,
    event,
    description: a.statusDescription,
  });
}
