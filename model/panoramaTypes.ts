// Status sets of the Panorama API as TypeScript unions, written once for the emulator and the
// provider. Their runtime values are the model's enums (panoramaModel.enumValues); a test keeps
// the two equal.

export type ApplicationInstanceStatus =
  | "DEPLOYMENT_PENDING"
  | "DEPLOYMENT_REQUESTED"
  | "DEPLOYMENT_IN_PROGRESS"
  | "DEPLOYMENT_ERROR"
  | "DEPLOYMENT_SUCCEEDED"
  | "DEPLOYMENT_FAILED"
  | "REMOVAL_PENDING"
  | "REMOVAL_REQUESTED"
  | "REMOVAL_IN_PROGRESS"
  | "REMOVAL_FAILED"
  | "REMOVAL_SUCCEEDED";

export type ApplicationInstanceHealthStatus = "RUNNING" | "ERROR" | "NOT_AVAILABLE";

/** Every member, for checking the unions against the model. */
export const APPLICATION_INSTANCE_STATUSES: readonly ApplicationInstanceStatus[] = [
  "DEPLOYMENT_PENDING",
  "DEPLOYMENT_REQUESTED",
  "DEPLOYMENT_IN_PROGRESS",
  "DEPLOYMENT_ERROR",
  "DEPLOYMENT_SUCCEEDED",
  "DEPLOYMENT_FAILED",
  "REMOVAL_PENDING",
  "REMOVAL_REQUESTED",
  "REMOVAL_IN_PROGRESS",
  "REMOVAL_FAILED",
  "REMOVAL_SUCCEEDED",
];
export const APPLICATION_INSTANCE_HEALTH_STATUSES: readonly ApplicationInstanceHealthStatus[] = [
  "RUNNING",
  "ERROR",
  "NOT_AVAILABLE",
];

export type PackageImportJobStatus = "PENDING" | "SUCCEEDED" | "FAILED";
export type PackageImportJobType = "NODE_PACKAGE_VERSION" | "MARKETPLACE_NODE_PACKAGE_VERSION";
export type PackageVersionStatus =
  "REGISTER_PENDING" | "REGISTER_COMPLETED" | "FAILED" | "DELETING";

export const PACKAGE_IMPORT_JOB_STATUSES: readonly PackageImportJobStatus[] = [
  "PENDING",
  "SUCCEEDED",
  "FAILED",
];
export const PACKAGE_IMPORT_JOB_TYPES: readonly PackageImportJobType[] = [
  "NODE_PACKAGE_VERSION",
  "MARKETPLACE_NODE_PACKAGE_VERSION",
];
export const PACKAGE_VERSION_STATUSES: readonly PackageVersionStatus[] = [
  "REGISTER_PENDING",
  "REGISTER_COMPLETED",
  "FAILED",
  "DELETING",
];

/** A device job's type: a software update to an image version, or a reboot. */
export type DeviceJobType = "OTA" | "REBOOT";
/** A device job's status (the model's UpdateProgress). */
export type DeviceJobStatus =
  "PENDING" | "IN_PROGRESS" | "VERIFYING" | "REBOOTING" | "DOWNLOADING" | "COMPLETED" | "FAILED";

export const DEVICE_JOB_TYPES: readonly DeviceJobType[] = ["OTA", "REBOOT"];
export const DEVICE_JOB_STATUSES: readonly DeviceJobStatus[] = [
  "PENDING",
  "IN_PROGRESS",
  "VERIFYING",
  "REBOOTING",
  "DOWNLOADING",
  "COMPLETED",
  "FAILED",
];
