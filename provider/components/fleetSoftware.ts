// The fleet's software baseline: per device a SoftwareBaseline in its wave, which runs an OTA job
// only on a device behind the baseline; the device's deployment and the next wave depend on it.
import * as pulumi from "@pulumi/pulumi";
import { SOFTWARE_VERSION_PATTERN } from "../../model/softwareVersions";
import type { WaitOptions } from "../calls/wait";
import { SoftwareBaseline } from "../resources/softwareBaseline";

export interface DeviceSoftwareBaseline {
  /** `<major>.<minor>.<patch>`, e.g. `5.0.7`. */
  imageVersion: string;
  /** Allow an OTA to a new major version. @default false */
  allowMajorVersionUpdate?: boolean;
  /** How the OTA jobs wait. @default timeoutSeconds 3600 (an OTA takes 30 minutes or more) */
  waitOptions?: WaitOptions;
}

export function deviceSoftwareProblems(software: DeviceSoftwareBaseline | undefined): string[] {
  if (software === undefined || SOFTWARE_VERSION_PATTERN.test(String(software?.imageVersion)))
    return [];
  return [
    `deviceSoftware.imageVersion: an appliance software version is <major>.<minor>.<patch>, e.g. 5.0.7 (got ${JSON.stringify(software?.imageVersion)})`,
  ];
}

/** The device's baseline, after the wave before (so updates go batch by batch). */
export function declareBaseline(
  prefix: string,
  device: string,
  deviceId: pulumi.Input<string>,
  software: DeviceSoftwareBaseline,
  region: pulumi.Input<string> | undefined,
  opts: pulumi.CustomResourceOptions,
): SoftwareBaseline {
  return new SoftwareBaseline(
    `${prefix}-software`,
    {
      deviceId,
      deviceName: device,
      imageVersion: software.imageVersion,
      allowMajorVersionUpdate: software.allowMajorVersionUpdate,
      region,
      waitOptions: software.waitOptions,
    },
    opts,
  );
}
