// DeviceJob: CreateJobForDevices for one device (an OTA to an image version, or a REBOOT), then
// wait for COMPLETED. A job is one-shot: any change of its inputs makes a new job, and since jobs
// cannot be deleted in the API, delete only forgets it.
import * as pulumi from "@pulumi/pulumi";
import { DescribeDeviceJobCommand, DescribeDeviceJobResponse } from "@aws-sdk/client-panorama";
import type { DeviceJobStatus, DeviceJobType } from "../../model/panoramaTypes";
import type { WaitOptions } from "../calls/wait";
import { describeOrUndefined } from "../lifecycle/notFound";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { resourceProvider } from "../lifecycle/resourceProvider";
import { ResourceSpec } from "../lifecycle/resourceSpec";
import {
  failureReason,
  jobInputFailures,
  label,
  startJob,
  target,
  withDeviceSoftware,
  withJob,
} from "./deviceJobCalls";

export type { DeviceJobStatus, DeviceJobType };

/** Inputs mirror CreateJobForDevices for its one device, in camelCase, plus options of this provider. */
export interface DeviceJobArgs {
  /** The device the job runs on (the API takes exactly one per job). */
  deviceId?: pulumi.Input<string>;
  /** `OTA` installs `imageVersion`; `REBOOT` restarts the device. */
  jobType?: pulumi.Input<DeviceJobType>;
  /** The appliance software version to install: required for OTA, refused for REBOOT. */
  imageVersion?: pulumi.Input<string>;
  /** Allow an OTA to a new major version. @default false */
  allowMajorVersionUpdate?: pulumi.Input<boolean>;
  /**
   * Bring an existing job under management by its id instead of starting one (the inputs the
   * program also sets must match it).
   */
  adoptJobId?: pulumi.Input<string>;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
  /**
   * How to wait for COMPLETED; changing it never makes a new job.
   * @default timeoutSeconds 3600 (an OTA takes 30 minutes or more)
   */
  waitOptions?: pulumi.Input<WaitOptions>;
}

const SPEC: ResourceSpec = {
  type: "DeviceJob",
  parameters: ["deviceId", "jobType", "imageVersion", "allowMajorVersionUpdate"],
  options: {},
  adopt: { input: "adoptJobId", shape: "JobId", list: "list-devices-jobs" },
  outputs: [
    "jobId",
    "status",
    "deviceName",
    "deviceArn",
    "deviceType",
    "currentSoftware",
    "createdTime",
  ],
  timeoutSeconds: 3600,
};

/**
 * A job on one Panorama appliance: `pulumi up` runs CreateJobForDevices (an OTA software update
 * or a reboot), waits until the job is COMPLETED and exposes the software the device runs after it.
 */
export class DeviceJob extends PanoramaResource {
  /** `<deviceId>-<n>` as the service numbers a device's jobs. */
  declare readonly jobId: pulumi.Output<string>;
  /** The job's progress: PENDING, IN_PROGRESS, DOWNLOADING, VERIFYING, REBOOTING, COMPLETED or FAILED. */
  declare readonly status: pulumi.Output<DeviceJobStatus>;
  declare readonly deviceId: pulumi.Output<string>;
  declare readonly deviceName: pulumi.Output<string>;
  declare readonly deviceArn: pulumi.Output<string>;
  /** PANORAMA_APPLIANCE_DEVELOPER_KIT or PANORAMA_APPLIANCE. */
  declare readonly deviceType: pulumi.Output<string>;
  declare readonly jobType: pulumi.Output<DeviceJobType>;
  /** The image an OTA job installs (none for a REBOOT). */
  declare readonly imageVersion: pulumi.Output<string | undefined>;
  declare readonly allowMajorVersionUpdate: pulumi.Output<boolean | undefined>;
  /** The software the device runs once the job COMPLETED (DescribeDevice's CurrentSoftware). */
  declare readonly currentSoftware: pulumi.Output<string>;
  /** ISO-8601. */
  declare readonly createdTime: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string>;

  constructor(name: string, args: DeviceJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(SPEC, name, { ...args }, opts);
  }
}

export const deviceJobImplementation = resourceProvider<DescribeDeviceJobResponse>(SPEC, {
  noun: "device job",
  where: (p) => `(${target(p)})`,
  label,
  check: jobInputFailures,
  start: startJob,
  describe: (call, id) =>
    describeOrUndefined(() => call.client.send(new DescribeDeviceJobCommand({ JobId: id }))),
  merge: withJob,
  acceptor: (p) =>
    p.status === "COMPLETED" ? "success" : p.status === "FAILED" ? "failure" : "retry",
  failure: failureReason,
  complete: withDeviceSoftware,
  // A FAILED job can never complete: the next up starts a new one.
  mustReplace: (olds) => olds.status === "FAILED",
  remove: async (_call, id) => ({
    outcome: "done",
    verb: "forget",
    line: `device jobs cannot be deleted; forgetting job ${id} (the device keeps what it did)`,
  }),
});
