// Resource type → implementation: the serialized shim of every resource (lifecycle/providerShim.ts)
// loads this module by package name and looks its type up here. A resource is `<name>.ts` (its
// class, spec and hooks) with, where it is long, parts named `<name>Something.ts`; no resource
// imports another (patches.ts holds the patch calls two of them share).
import type { ResourceImplementation } from "../lifecycle/resourceProvider";
import { dynamicDoor } from "../lifecycle/dynamicDoor";
import { applicationInstanceImplementation } from "./applicationInstance";
import { cameraNodeImplementation } from "./cameraNode";
import { deviceJobImplementation } from "./deviceJob";
import { packageImplementation } from "./package";
import { packageImportJobImplementation } from "./packageImportJob";
import { packageVersionImplementation } from "./packageVersion";
import { s3ObjectImplementation } from "./s3Object";
import { deviceLookupImplementation } from "./deviceLookup";
import { healthGateImplementation } from "./healthGate";
import { softwareBaselineImplementation } from "./softwareBaseline";

const IMPLEMENTATIONS: Record<string, ResourceImplementation> = {
  PackageImportJob: packageImportJobImplementation,
  Package: packageImplementation,
  PackageVersion: packageVersionImplementation,
  ApplicationInstance: applicationInstanceImplementation,
  S3Object: s3ObjectImplementation,
  DeviceLookup: deviceLookupImplementation,
  HealthGate: healthGateImplementation,
  CameraNode: cameraNodeImplementation,
  DeviceJob: deviceJobImplementation,
  SoftwareBaseline: softwareBaselineImplementation,
};

/** The resource as the dynamic resources' serialized shim calls it (lifecycle/dynamicDoor.ts). */
export function implementation(type: string): ResourceImplementation {
  let door = DOORS.get(type);
  if (!door) DOORS.set(type, (door = dynamicDoor(lifecycleOf(type))));
  return door;
}

const DOORS = new Map<string, ResourceImplementation>();

/** The resource's lifecycle itself, as the provider plugin calls it (with a CallContext). */
export function lifecycleOf(type: string): ResourceImplementation {
  const found = IMPLEMENTATIONS[type];
  if (!found)
    throw new Error(
      `pulumi-panorama has no resource type ${type} (known: ${Object.keys(IMPLEMENTATIONS).join(", ")}); upgrade the package.`,
    );
  return found;
}

/** Every registered resource type (the provider plugin serves each as `panorama:index:<type>`). */
export function resourceTypes(): string[] {
  return Object.keys(IMPLEMENTATIONS);
}
