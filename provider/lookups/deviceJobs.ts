// Device job lookup: an OTA or REBOOT job by id, e.g. to read the status of a job another stack or
// the console started.
import * as pulumi from "@pulumi/pulumi";
import { DescribeDeviceJobCommand } from "@aws-sdk/client-panorama";
import type { DeviceJobStatus, DeviceJobType } from "../../model/panoramaTypes";
import { fromApi } from "../lifecycle/apiShapes";
import type { DeviceType } from "./devices";
import {
  checkLookupArgs,
  lookupCall,
  LookupClients,
  programClients,
  lookupOutput,
  LookupOutputArgs,
} from "./lookupCalls";

export interface GetDeviceJobArgs {
  /** The job's id, e.g. `device-4tafxmplhtmzabv5lsacba4ere-0`. */
  jobId: string;
  /** @default stack config `aws:region`, then `AWS_REGION` */
  region?: string;
}

/** A device job as `DescribeDeviceJob` returns it, camelCased; timestamps are ISO-8601 strings. */
export interface GetDeviceJobResult {
  readonly jobId: string;
  readonly jobType?: DeviceJobType;
  /** PENDING, IN_PROGRESS, DOWNLOADING, VERIFYING, REBOOTING, COMPLETED or FAILED. */
  readonly status?: DeviceJobStatus;
  /** The image an OTA job installs (none for a REBOOT). */
  readonly imageVersion?: string;
  readonly deviceId?: string;
  readonly deviceName?: string;
  readonly deviceArn?: string;
  readonly deviceType?: DeviceType;
  readonly createdTime?: string;
  readonly region: string;
}

/**
 * Looks up a device job by id (DescribeDeviceJob). Fails, naming the id, when there is none.
 *
 * @example
 * const job = await getDeviceJob({ jobId: "device-4tafxmplhtmzabv5lsacba4ere-0" });
 */
export async function getDeviceJob(
  args: GetDeviceJobArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetDeviceJobResult> {
  return getDeviceJobWith(programClients(opts), args);
}

/** {@link getDeviceJob} with the clients of a program or of the provider plugin. */
export async function getDeviceJobWith(
  clients: LookupClients,
  args: GetDeviceJobArgs,
): Promise<GetDeviceJobResult> {
  const lookup = "getDeviceJob";
  const { region: _region, ...request } = args;
  checkLookupArgs(lookup, "DescribeDeviceJobRequest", request);
  const { client, region } = clients(lookup, args.region);
  const described = await lookupCall(
    lookup,
    () => client.send(new DescribeDeviceJobCommand({ JobId: args.jobId })),
    `no device job with id ${JSON.stringify(args.jobId)} in ${region} (list a device's jobs with \`aws panorama list-devices-jobs --device-id <id>\`)`,
  );
  return {
    jobId: args.jobId,
    ...(fromApi("DescribeDeviceJobResponse", described) as object),
    region,
  } as GetDeviceJobResult;
}

/** {@link getDeviceJob} taking Pulumi values, e.g. a job id from another stack. */
export function getDeviceJobOutput(
  args: LookupOutputArgs<GetDeviceJobArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetDeviceJobResult> {
  return lookupOutput(getDeviceJob, args, opts);
}
