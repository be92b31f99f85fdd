// SoftwareBaseline: a device brought to at least an appliance software version before the fleet
// deploys to it. At create it reads the device once (DescribeDevice): a device already there is
// recorded as such, with no job; one behind gets an OTA job (CreateJobForDevices), waited to
// COMPLETED as DeviceJob waits. Recorded in the stack, so later previews make no call.
import * as pulumi from "@pulumi/pulumi";
import {
  DescribeDeviceCommand,
  DescribeDeviceJobCommand,
  DescribeDeviceJobResponse,
} from "@aws-sdk/client-panorama";
import { compareVersions, SOFTWARE_VERSION_PATTERN } from "../../model/softwareVersions";
import { describeError } from "../calls/awsClients";
import { retryTransient } from "../calls/retry";
import type { WaitOptions } from "../calls/wait";
import { definedOnly } from "../lifecycle/apiShapes";
import { describeOrUndefined } from "../lifecycle/notFound";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import type { Started } from "../lifecycle/resourceHooks";
import { resourceProvider } from "../lifecycle/resourceProvider";
import type { Call, Props, ResourceSpec } from "../lifecycle/resourceSpec";
import { isUnknown } from "../lifecycle/unknowns";
// The OTA job is DeviceJob's: the same request, checks, start and failure sentence.
import {
  failureReason,
  jobInputFailures,
  startJob,
  withDeviceSoftware,
  withJob,
} from "./deviceJobCalls";

export interface SoftwareBaselineArgs {
  deviceId: pulumi.Input<string>;
  /** For messages. */
  deviceName: pulumi.Input<string>;
  /** The lowest appliance software version the device may run, e.g. `5.0.7`. */
  imageVersion: pulumi.Input<string>;
  /** Allow the OTA to a new major version. @default false */
  allowMajorVersionUpdate?: pulumi.Input<boolean>;
  region?: pulumi.Input<string>;
  /** @default timeoutSeconds 3600 (an OTA takes 30 minutes or more) */
  waitOptions?: pulumi.Input<WaitOptions>;
}

export class SoftwareBaseline extends PanoramaResource {
  /** The OTA job, when the device was behind; none when it already ran the baseline. */
  declare readonly jobId: pulumi.Output<string | undefined>;
  /** COMPLETED (also for a device already at the baseline), or the OTA job's progress. */
  declare readonly status: pulumi.Output<string>;
  /** DescribeDevice's CurrentSoftware before any job. */
  declare readonly previousSoftware: pulumi.Output<string>;
  /** The software the device runs once the baseline holds. */
  declare readonly currentSoftware: pulumi.Output<string>;

  constructor(name: string, args: SoftwareBaselineArgs, opts?: pulumi.CustomResourceOptions) {
    super(SPEC, name, { ...args }, opts);
  }
}

// A new baseline is a new check (and maybe a job); the device name is for messages.
const SPEC: ResourceSpec = {
  type: "SoftwareBaseline",
  parameters: ["deviceId", "imageVersion", "allowMajorVersionUpdate"],
  options: { deviceName: "text" },
  outputs: ["jobId", "status", "previousSoftware", "currentSoftware"],
  timeoutSeconds: 3600,
};

/** The id of a baseline that needed no job: nothing in the service to describe but the device. */
const AT_BASELINE = "at-baseline:";

const ota = (p: Props): Props => ({ ...p, jobType: "OTA" });

function label(p: Props): string {
  return `SoftwareBaseline ${p.imageVersion ?? "?"} on device ${p.deviceName ?? "?"} (${p.deviceId ?? "?"})`;
}

/** True when the device's version is known and at or after the baseline. */
export function meetsBaseline(current: string | undefined, baseline: string): boolean {
  return (
    current !== undefined &&
    SOFTWARE_VERSION_PATTERN.test(current) &&
    compareVersions(current, baseline) >= 0
  );
}

async function start(call: Call, inputs: Props, base: Props): Promise<Started> {
  let current: string | undefined;
  try {
    current = (
      await retryTransient(
        () => call.client.send(new DescribeDeviceCommand({ DeviceId: inputs.deviceId })),
        call.retry,
      )
    ).CurrentSoftware;
  } catch (e) {
    throw new Error(
      `${label(inputs)}: could not read the device: ${describeError(e)}. Nothing was started; ` +
        "check the device id and run `pulumi up` again.",
    );
  }
  if (meetsBaseline(current, inputs.imageVersion)) {
    call.log(`${label(inputs)}: the device runs ${current}; no OTA job needed`);
    return {
      id: `${AT_BASELINE}${inputs.deviceId}:${inputs.imageVersion}`,
      outs: { ...base, status: "COMPLETED", previousSoftware: current, currentSoftware: current },
    };
  }
  call.log(`${label(inputs)}: the device runs ${current ?? "an unknown version"}; updating it`);
  const started = await startJob(call, ota(inputs), { ...base, previousSoftware: current });
  return { id: started.id, outs: { ...started.outs, jobType: undefined } };
}

export const softwareBaselineImplementation = resourceProvider<DescribeDeviceJobResponse>(SPEC, {
  noun: "software baseline",
  label,
  check: (inputs, adopting) => {
    const failures = jobInputFailures(ota(inputs), adopting);
    const v = inputs.imageVersion;
    if (!isUnknown(v) && typeof v === "string" && !SOFTWARE_VERSION_PATTERN.test(v))
      failures.push({
        property: "imageVersion",
        reason: `imageVersion: an appliance software version is <major>.<minor>.<patch>, e.g. 5.0.7 (got ${JSON.stringify(v)})`,
      });
    return failures;
  },
  start,
  describe: (call, id) =>
    id.startsWith(AT_BASELINE)
      ? describeOrUndefined(async () => {
          const device = await call.client.send(
            new DescribeDeviceCommand({ DeviceId: id.slice(AT_BASELINE.length).split(":")[0] }),
          );
          return { DeviceId: device.DeviceId, Status: "COMPLETED" } as DescribeDeviceJobResponse;
        })
      : describeOrUndefined(() => call.client.send(new DescribeDeviceJobCommand({ JobId: id }))),
  merge: (outs, job) => {
    const { jobType: _always, ...merged } = withJob(outs, job);
    return definedOnly(merged);
  },
  acceptor: (p) =>
    p.status === "COMPLETED" ? "success" : p.status === "FAILED" ? "failure" : "retry",
  failure: (id, p) => failureReason(id, ota(p)),
  complete: (call, outs) => withDeviceSoftware(call, outs),
  mustReplace: (olds) => olds.status === "FAILED",
  remove: async (_call, id) => ({
    outcome: "done",
    verb: "forget",
    line: `forgetting ${id.startsWith(AT_BASELINE) ? "the baseline check" : `OTA job ${id}`} (the device keeps its software)`,
  }),
});
