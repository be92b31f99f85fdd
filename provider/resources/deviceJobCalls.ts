// What DeviceJob does besides its spec: the request and its checks (one device, an image version
// for OTA only), the start (with re-adoption, since the API has no client token), the outputs
// merged from DescribeDeviceJob and the device's software once the job COMPLETED.
import {
  CreateJobForDevicesCommand,
  DescribeDeviceCommand,
  DescribeDeviceJobCommand,
  DescribeDeviceJobResponse,
  ListDevicesJobsCommand,
} from "@aws-sdk/client-panorama";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { describeError, errorName } from "../calls/awsClients";
import { retryTransient } from "../calls/retry";
import { definedOnly, fromApi, toApi } from "../lifecycle/apiShapes";
import { requestViolations, violationSentence } from "../lifecycle/inputChecks";
import type { Started } from "../lifecycle/resourceHooks";
import type { Call, Props } from "../lifecycle/resourceSpec";
import { isUnknown } from "../lifecycle/unknowns";

/** Statuses a job ends in; every other one is a step of a running job. */
const ENDED = ["COMPLETED", "FAILED"];

export function target(p: Props): string {
  const what = p.jobType === "OTA" ? `OTA to ${p.imageVersion ?? "?"}` : (p.jobType ?? "job");
  const device = p.deviceName ? `${p.deviceName} (${p.deviceId})` : (p.deviceId ?? "?");
  return `${what} on device ${device}`;
}

export function label(p: Props): string {
  return `DeviceJob ${target(p)}`;
}

/** The CreateJobForDevices request for the one device of the inputs, camelCased as apiShapes does. */
function camelRequest(inputs: Props, placeholderImage = false): Props {
  const { deviceId, jobType, imageVersion, allowMajorVersionUpdate } = inputs;
  const ota = imageVersion !== undefined || allowMajorVersionUpdate !== undefined;
  return definedOnly({
    deviceIds: deviceId === undefined ? undefined : [deviceId],
    jobType,
    deviceJobConfig: ota
      ? {
          oTAJobConfig: definedOnly({
            imageVersion: imageVersion ?? (placeholderImage ? "placeholder" : undefined),
            allowMajorVersionUpdate,
          }),
        }
      : undefined,
  });
}

export function jobRequest(inputs: Props): Props {
  return toApi("CreateJobForDevicesRequest", camelRequest(inputs)) as Props;
}

/**
 * The request's model rules named by this resource's inputs (`deviceIds[0]` is `deviceId`, the
 * OTA config's members are top-level), and the rule the model only documents: an image version
 * for OTA jobs, and only for them. While adopting, only what the program sets is checked.
 */
export function jobInputFailures(inputs: Props, adopting: boolean): dynamic.CheckFailure[] {
  const { jobType, imageVersion } = inputs;
  // A missing image version is told below in this resource's words.
  const failures = requestViolations("CreateJobForDevicesRequest", camelRequest(inputs, true))
    .filter((v) => !(adopting && v.rule === "Member must not be null"))
    .map((v) => {
      const property =
        v.property === "deviceIds"
          ? "deviceId"
          : v.property === "deviceJobConfig"
            ? v.path.split(".").pop()!
            : v.property;
      return { property, reason: violationSentence(property, v.rule) };
    });
  // An adopted job has its own image; the program need not repeat it.
  if (jobType === "OTA" && imageVersion == null && !adopting)
    failures.push({
      property: "imageVersion",
      reason:
        "imageVersion: is required for an OTA job (the appliance software version to install, e.g. the device's latestSoftware)",
    });
  if (jobType === "REBOOT")
    for (const key of ["imageVersion", "allowMajorVersionUpdate"])
      // Not known yet (preview): it may well resolve to nothing; up checks it again.
      if (inputs[key] != null && !isUnknown(inputs[key]))
        failures.push({
          property: key,
          reason: `${key}: applies to OTA jobs only; remove it, or set jobType to OTA`,
        });
  return failures;
}

/** Merges a DescribeDeviceJob answer into outputs; nothing known is dropped. */
export function withJob(outs: Props, job: DescribeDeviceJobResponse): Props {
  const described = fromApi("DescribeDeviceJobResponse", job) as Props;
  return definedOnly({ ...outs, ...described });
}

/**
 * Starts the job. The API has no client token and a device takes one job at a time, so a second
 * create while the job an interrupted run started is still going is a ConflictException: that job
 * is found among the device's jobs (same type and image) and re-adopted instead.
 */
export async function startJob(call: Call, inputs: Props, base: Props): Promise<Started> {
  try {
    const created = await retryTransient(
      () => call.client.send(new CreateJobForDevicesCommand(jobRequest(inputs) as any)),
      call.quotaRetry,
    );
    const jobId = created.Jobs![0].JobId!;
    call.log(`${label(inputs)}: started device job ${jobId}`);
    return { id: jobId, outs: withJob(base, { JobId: jobId, Status: "PENDING" }) };
  } catch (e) {
    const earlier =
      errorName(e) === "ConflictException" ? await runningSameJob(call, inputs) : undefined;
    if (!earlier)
      throw new Error(
        `${label(inputs)}: CreateJobForDevices failed: ${describeError(e)}. Nothing was started; ` +
          "fix the cause (the device must be provisioned, online and not running another job) and run `pulumi up` again.",
      );
    call.log(
      `${label(inputs)}: re-adopted device job ${earlier.JobId} (${earlier.Status}) started earlier`,
    );
    return { id: earlier.JobId!, outs: withJob(base, earlier) };
  }
}

async function runningSameJob(
  call: Call,
  inputs: Props,
): Promise<DescribeDeviceJobResponse | undefined> {
  let token: string | undefined;
  do {
    const page = await retryTransient(
      () =>
        call.client.send(
          new ListDevicesJobsCommand({
            DeviceId: inputs.deviceId,
            NextToken: token,
            MaxResults: 25,
          }),
        ),
      call.retry,
    );
    for (const listed of page.DeviceJobs ?? []) {
      if (listed.JobType !== undefined && listed.JobType !== inputs.jobType) continue;
      const job = await retryTransient(
        () => call.client.send(new DescribeDeviceJobCommand({ JobId: listed.JobId })),
        call.retry,
      );
      if (ENDED.includes(job.Status ?? "")) continue;
      // A device runs one job at a time: a running job of another image is not this resource's.
      return job.ImageVersion === inputs.imageVersion ? job : undefined;
    }
    token = page.NextToken;
  } while (token);
  return undefined;
}

/** After COMPLETED: the software the device runs now (DescribeDevice), read once. */
export async function withDeviceSoftware(call: Call, outs: Props): Promise<Props> {
  if (outs.currentSoftware !== undefined) return outs;
  let device;
  try {
    device = await retryTransient(
      () => call.client.send(new DescribeDeviceCommand({ DeviceId: outs.deviceId })),
      call.retry,
    );
  } catch (e) {
    throw new Error(
      `${label(outs)}: job ${outs.jobId} COMPLETED, but device ${outs.deviceId} could not be read: ${describeError(e)}. ` +
        "Run `pulumi up` again: the job stays recorded and the device is read again.",
    );
  }
  return definedOnly({
    ...outs,
    currentSoftware: device.CurrentSoftware,
    deviceName: outs.deviceName ?? device.Name,
  });
}

/** Why a FAILED job failed, as far as the API says (DescribeDeviceJob has no message), and what to do. */
export function failureReason(id: string, p: Props): string {
  const advice =
    p.jobType === "OTA"
      ? `Check the device (it must stay online with room for the image; \`aws panorama describe-device --device-id ${p.deviceId}\` shows its software and latest job) and that ${p.imageVersion} is an image it can take`
      : `Check the device is connected (\`aws panorama describe-device --device-id ${p.deviceId}\`)`;
  return (
    `Device job ${id} (${target(p)}) is FAILED. ${advice}, then run \`pulumi up\` again: ` +
    "the failed job stays recorded in the stack and a new job replaces it."
  );
}
