// Device jobs: CreateJobForDevices (one device per job, as the model says), DescribeDeviceJob and
// ListDevicesJobs (reference panorama-api-nodes-jobs.md S4). What a job does on the clock is in
// deviceJobStatus.ts; our choices are in ASSUMPTIONS.md (J-table of device jobs).
import { conflict, invalidField, notFound } from "../protocol/errors";
import { paginate } from "../protocol/pagination";
import { epochSeconds } from "../protocol/restJson";
import { DeviceJobRecord, DeviceJobType } from "../state/deviceRecords";
import { Runtime } from "../state/runtime";
import { byCreation, nextSequence } from "../state/state";
import { dueAt } from "../state/timing";
import { deviceJobStatusAt, runningDeviceJob } from "./deviceJobStatus";
import { findDevice } from "./devices";
import { majorOf, SOFTWARE_VERSION_PATTERN } from "../../model/softwareVersions";

interface CreateInput {
  DeviceIds: string[];
  JobType: DeviceJobType;
  DeviceJobConfig?: {
    OTAJobConfig?: { ImageVersion: string; AllowMajorVersionUpdate?: boolean };
  };
}

export function createJobForDevices(rt: Runtime, input: CreateInput) {
  const d = findDevice(rt, input.DeviceIds[0]);
  const ota = input.DeviceJobConfig?.OTAJobConfig;
  if (input.JobType === "OTA") {
    if (!ota)
      throw invalidField(
        "DeviceJobConfig.OTAJobConfig",
        "An OTA job needs DeviceJobConfig.OTAJobConfig with the ImageVersion to install.",
      );
    if (!SOFTWARE_VERSION_PATTERN.test(ota.ImageVersion))
      throw invalidField(
        "DeviceJobConfig.OTAJobConfig.ImageVersion",
        `ImageVersion must be an appliance software version like 6.2.1, got ${JSON.stringify(ota.ImageVersion)}.`,
      );
    if (majorOf(ota.ImageVersion) > majorOf(d.currentSoftware) && !ota.AllowMajorVersionUpdate)
      throw invalidField(
        "DeviceJobConfig.OTAJobConfig.AllowMajorVersionUpdate",
        `${ota.ImageVersion} is a major version update from ${d.currentSoftware} on device ${d.deviceId}; set AllowMajorVersionUpdate to true to allow it.`,
      );
  } else if (input.DeviceJobConfig !== undefined)
    throw invalidField("DeviceJobConfig", "DeviceJobConfig applies to OTA jobs only.");
  if (d.provisioningStatus !== "SUCCEEDED" || d.connectionStatus !== "ONLINE")
    throw conflict(
      "Device",
      d.deviceId,
      `Device ${d.deviceId} is ${d.provisioningStatus} / ${d.connectionStatus}; a job needs a provisioned, online device.`,
      { DeviceConnectionStatus: d.connectionStatus },
    );
  const running = runningDeviceJob(rt, d.deviceId);
  if (running)
    throw conflict(
      "DeviceJob",
      running.jobId,
      `Device ${d.deviceId} is running job ${running.jobId} (${running.jobType}, ${deviceJobStatusAt(rt, running)}); wait until it has ended.`,
      { JobId: running.jobId },
    );

  const now = rt.clock.now();
  const n = d.jobCount ?? 0;
  d.jobCount = n + 1;
  const timing = input.JobType === "OTA" ? rt.timing.deviceUpdate : rt.timing.deviceReboot;
  const job: DeviceJobRecord = {
    jobId: `${d.deviceId}-${n}`,
    sequence: nextSequence(rt.state),
    deviceId: d.deviceId,
    jobType: input.JobType,
    imageVersion: ota?.ImageVersion,
    createdAt: now,
    lastUpdatedAt: now,
    status: "PENDING",
    transition: { startedAt: now, midAt: null, dueAt: dueAt(timing, now, rt.random) },
  };
  rt.state.deviceJobs[job.jobId] = job;
  rt.log(`device job ${job.jobId} ${job.jobType} PENDING`);
  return { Jobs: [{ JobId: job.jobId, DeviceId: d.deviceId }] };
}

export function findDeviceJob(rt: Runtime, jobId: string): DeviceJobRecord {
  const job = rt.state.deviceJobs[jobId];
  if (!job) throw notFound("DeviceJob", jobId, `Device job ${jobId} was not found.`);
  return job;
}

export function describeDeviceJob(rt: Runtime, input: { JobId: string }) {
  const job = findDeviceJob(rt, input.JobId);
  const d = rt.state.devices[job.deviceId];
  return {
    JobId: job.jobId,
    DeviceId: job.deviceId,
    DeviceArn: d?.arn,
    DeviceName: d?.name,
    DeviceType: d?.type,
    ImageVersion: job.imageVersion,
    Status: deviceJobStatusAt(rt, job),
    CreatedTime: epochSeconds(job.createdAt),
    JobType: job.jobType,
  };
}

/** Newest first; finished jobs stay listed. An unknown DeviceId filter is ResourceNotFound. */
export function listDevicesJobs(
  rt: Runtime,
  input: { DeviceId?: string; MaxResults?: number; NextToken?: string },
) {
  if (input.DeviceId !== undefined) findDevice(rt, input.DeviceId);
  const jobs = Object.values(rt.state.deviceJobs)
    .filter((j) => input.DeviceId === undefined || j.deviceId === input.DeviceId)
    .sort(byCreation)
    .reverse();
  const page = paginate("ListDevicesJobs", jobs, (j) => j.jobId, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
  });
  return {
    DeviceJobs: page.items.map((j) => ({
      DeviceName: rt.state.devices[j.deviceId]?.name,
      DeviceId: j.deviceId,
      JobId: j.jobId,
      CreatedTime: epochSeconds(j.createdAt),
      JobType: j.jobType,
    })),
    NextToken: page.nextToken,
  };
}
