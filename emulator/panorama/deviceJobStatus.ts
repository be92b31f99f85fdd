// The life of a device job after CreateJobForDevices, on the emulator's clock: an OTA walks
// PENDING → IN_PROGRESS → DOWNLOADING → VERIFYING → REBOOTING → COMPLETED, a REBOOT PENDING →
// REBOOTING → COMPLETED, each step an equal share of the lifecycle's duration (the order is ours:
// the model's enum order is not it). COMPLETED OTA installs the image. While a job is REBOOTING
// its device is OFFLINE and what runs there reports NOT_AVAILABLE; afterwards it runs again. A
// fault arranged for the device (deviceFaults.ts) fails the job when it settles.
import { DeviceJobRecord, DeviceJobStatus, DeviceRecord } from "../state/deviceRecords";
import { Runtime } from "../state/runtime";
import { DueTransition, dueTransitions } from "../state/timing";
import { compareVersions } from "../../model/softwareVersions";

const STEPS: Record<DeviceJobRecord["jobType"], DeviceJobStatus[]> = {
  OTA: ["PENDING", "IN_PROGRESS", "DOWNLOADING", "VERIFYING", "REBOOTING"],
  REBOOT: ["PENDING", "REBOOTING"],
};

/** The job's status as seen now. */
export function deviceJobStatusAt(rt: Runtime, job: DeviceJobRecord): DeviceJobStatus {
  const t = job.transition;
  if (!t) return job.status;
  if (t.dueAt === null || t.dueAt <= t.startedAt) return "PENDING";
  const steps = STEPS[job.jobType];
  const share = (rt.clock.now() - t.startedAt) / (t.dueAt - t.startedAt);
  return steps[Math.min(steps.length - 1, Math.max(0, Math.floor(share * steps.length)))];
}

/** The device's newest job, if it has one. */
export function latestDeviceJob(rt: Runtime, deviceId: string): DeviceJobRecord | undefined {
  let latest: DeviceJobRecord | undefined;
  for (const job of Object.values(rt.state.deviceJobs))
    if (job.deviceId === deviceId && (!latest || job.sequence > latest.sequence)) latest = job;
  return latest;
}

/** The job still running on the device, if any. */
export function runningDeviceJob(rt: Runtime, deviceId: string): DeviceJobRecord | undefined {
  const job = latestDeviceJob(rt, deviceId);
  return job?.transition ? job : undefined;
}

/** True while the device restarts: it is offline and nothing on it reports. */
export function deviceRebooting(rt: Runtime, deviceId: string): boolean {
  const job = runningDeviceJob(rt, deviceId);
  return !!job && deviceJobStatusAt(rt, job) === "REBOOTING";
}

/** DeviceAggregatedStatus as seen now. */
export function aggregatedStatusAt(rt: Runtime, d: DeviceRecord): string {
  if (deviceRebooting(rt, d.deviceId)) return "REBOOTING";
  if (d.aggregatedStatus === "ONLINE" && compareVersions(d.currentSoftware, d.latestSoftware) < 0)
    return "UPDATE_NEEDED";
  return d.aggregatedStatus;
}

export function connectionStatusAt(rt: Runtime, d: DeviceRecord): string {
  return deviceRebooting(rt, d.deviceId) ? "OFFLINE" : d.connectionStatus;
}

/** Running device jobs due by `now`. */
export function dueDeviceJobs(rt: Runtime, now: number): DueTransition[] {
  return dueTransitions(Object.values(rt.state.deviceJobs), now, (job, at) =>
    settleDeviceJob(rt, job, at),
  );
}

/** Ends a running job at `at`: COMPLETED (an OTA installs its image), or FAILED with `failure`. */
export function settleDeviceJob(
  rt: Runtime,
  job: DeviceJobRecord,
  at: number,
  failure?: string,
): void {
  job.transition = undefined;
  job.lastUpdatedAt = at;
  const d = rt.state.devices[job.deviceId];
  const fault = d?.fault?.deviceJob === "FAILED" ? d.fault.message : undefined;
  const problem =
    failure ?? fault ?? (d ? undefined : `Device ${job.deviceId} was deleted during the job.`);
  if (problem) {
    job.status = "FAILED";
    job.failure = problem;
    rt.log(`device job ${job.jobId} FAILED: ${problem}`);
    return;
  }
  job.status = "COMPLETED";
  if (job.jobType === "OTA" && job.imageVersion) {
    d!.currentSoftware = job.imageVersion;
    if (compareVersions(job.imageVersion, d!.latestSoftware) > 0)
      d!.latestSoftware = job.imageVersion;
  }
  d!.lastUpdatedAt = at;
  rt.log(`device job ${job.jobId} COMPLETED`);
}

/** Sets a job's status as given, without side effects (control API, for refresh tests). */
export function forceDeviceJobStatus(
  rt: Runtime,
  job: DeviceJobRecord,
  status: DeviceJobStatus,
): void {
  job.transition = undefined;
  job.status = status;
  job.lastUpdatedAt = rt.clock.now();
}

/** LatestDeviceJob of DescribeDevice / ListDevices: the newest job, its status as seen now. */
export function latestDeviceJobView(rt: Runtime, job: DeviceJobRecord | undefined) {
  return job
    ? { ImageVersion: job.imageVersion, Status: deviceJobStatusAt(rt, job), JobType: job.jobType }
    : undefined;
}
