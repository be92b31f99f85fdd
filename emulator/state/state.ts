// Everything the emulator knows, as plain data (times in epoch milliseconds), so a reset is a
// new object, a dump is JSON.stringify and persistence is a file write. S3 object bodies are not
// in it: a record names its body by sha256 and the body lives in the blob store (blobs.ts).

import type {
  ApplicationInstanceHealthStatus,
  ApplicationInstanceStatus,
  PackageImportJobStatus as ImportJobStatus,
  PackageVersionStatus,
} from "../../model/panoramaTypes";

export type { ImportJobStatus, PackageVersionStatus };

export type Tags = Record<string, string>;

export interface StorageLocation {
  Bucket: string;
  RepoPrefixLocation: string;
  GeneratedPrefixLocation: string;
  BinaryPrefixLocation: string;
  ManifestPrefixLocation: string;
}

/** Records listed by List* operations carry their creation order (see `nextSequence`). */
export interface Sequenced {
  sequence: number;
}

export interface PackageRecord extends Sequenced {
  packageId: string;
  packageName: string;
  arn: string;
  storageLocation: StorageLocation;
  createdAt: number;
  tags: Tags;
}

/** A pending change: `dueAt` null means it waits for a control call (manual mode). */
export interface Transition {
  startedAt: number;
  midAt: number | null;
  dueAt: number | null;
}

export interface PatchRecord {
  packageId: string;
  packageVersion: string;
  patchVersion: string;
  status: PackageVersionStatus;
  statusDescription?: string;
  registeredAt?: number;
  /** Requested by RegisterPackageVersion / an import job; applied when registration completes. */
  markLatest: boolean;
  /** Interface names declared by the manifest, for graph.json checks at deployment. */
  interfaces: string[];
  transition?: Transition & { kind: "register" | "deregister" };
}

export interface ImportJobRecord extends Sequenced {
  jobId: string;
  clientToken: string;
  /** Canonical JSON of the parameters, for ClientToken idempotency. */
  fingerprint: string;
  jobType: string;
  inputConfig: Record<string, any>;
  outputConfig: Record<string, any>;
  jobTags?: { ResourceType: string; Tags: Tags }[];
  createdAt: number;
  lastUpdatedAt: number;
  status: ImportJobStatus;
  statusMessage: string;
  output?: {
    PackageId: string;
    PackageVersion: string;
    PatchVersion: string;
    OutputS3Location: { BucketName: string; ObjectKey: string };
  };
  transition?: Transition;
}

export type { ApplicationInstanceStatus };
export type HealthStatus = ApplicationInstanceHealthStatus;

export interface ResolvedDependency {
  /** `<owner>::<name>` as written in graph.json. */
  fullName: string;
  owner: string;
  name: string;
  version: string;
  patchVersion: string;
}

export interface ResolvedNode {
  nodeName: string;
  owner: string;
  packageName: string;
  packageVersion: string;
  patchVersion: string;
  interfaceName: string;
}

export interface ApplicationInstanceRecord extends Sequenced {
  applicationInstanceId: string;
  arn: string;
  name?: string;
  description?: string;
  deviceId: string;
  manifestPayload: string;
  manifestOverridesPayload?: string;
  applicationInstanceIdToReplace?: string;
  runtimeRoleArn?: string;
  tags: Tags;
  createdAt: number;
  lastUpdatedAt: number;
  status: ApplicationInstanceStatus;
  healthStatus: HealthStatus;
  statusDescription: string;
  /** Outcome of the manifest check done at creation: why the deployment will fail, if it will. */
  deploymentFailure?: string;
  dependencies: ResolvedDependency[];
  nodes: ResolvedNode[];
  transition?: Transition & { kind: "deployment" | "removal" };
}

export interface DeviceRecord {
  deviceId: string;
  name: string;
  arn: string;
  description?: string;
  type: string;
  brand: string;
  serialNumber: string;
  createdAt: number;
  lastUpdatedAt: number;
  leaseExpiresAt: number;
  provisioningStatus: string;
  connectionStatus: string;
  aggregatedStatus: string;
  currentSoftware: string;
  latestSoftware: string;
  ipAddress: string;
  hwAddress: string;
  tags: Tags;
  /** What happened to application instances on this device, oldest first (devices.ts). */
  history: DeviceEvent[];
  /** A failure the control API arranged for deployments on this device (devices.ts). */
  fault?: DeviceFault;
}

export type DeviceEventKind =
  | "DEPLOYMENT_STARTED"
  | "DEPLOYMENT_SUCCEEDED"
  | "DEPLOYMENT_FAILED"
  | "HEALTH_ERROR"
  | "REMOVAL_STARTED"
  | "REMOVAL_SUCCEEDED"
  | "REMOVAL_FAILED";

export interface DeviceEvent {
  at: number;
  applicationInstanceId: string;
  event: DeviceEventKind;
  /** The instance's StatusDescription at that moment. */
  description: string;
}

/** `deployment: "FAILED"` fails every deployment that settles; `health: "ERROR"` lets it succeed unhealthy. */
export interface DeviceFault {
  deployment?: "FAILED";
  health?: "ERROR";
  message: string;
}

export interface S3ObjectRecord {
  /** Name of the body in the blob store. */
  sha256: string;
  size: number;
  etag: string;
  contentType: string;
  lastModified: number;
  metadata: Record<string, string>;
  /** Checksum headers the writer sent (`x-amz-checksum-crc32` …), echoed on reads. */
  checksums: Record<string, string>;
}

export interface S3BucketRecord {
  createdAt: number;
  objects: Record<string, S3ObjectRecord>;
}

export interface EmulatorState {
  formatVersion: 2;
  /** The next creation sequence number; never reused, also across restarts. */
  nextSequence: number;
  packages: Record<string, PackageRecord>;
  /** Keyed by patchKey(packageId, version, patch). */
  patches: Record<string, PatchRecord>;
  /** Keyed by versionKey(packageId, version): the latest patch. */
  latestPatches: Record<string, string>;
  importJobs: Record<string, ImportJobRecord>;
  /** ClientToken → JobId. */
  clientTokens: Record<string, string>;
  applicationInstances: Record<string, ApplicationInstanceRecord>;
  devices: Record<string, DeviceRecord>;
  buckets: Record<string, S3BucketRecord>;
}

export function emptyState(): EmulatorState {
  return {
    formatVersion: 2,
    nextSequence: 1,
    packages: dict(),
    patches: dict(),
    latestPatches: dict(),
    importJobs: dict(),
    clientTokens: dict(),
    applicationInstances: dict(),
    devices: dict(),
    buckets: dict(),
  };
}

/** The sha256 names of every S3 body the state refers to. */
export function liveBodies(state: EmulatorState): Set<string> {
  const live = new Set<string>();
  for (const bucket of Object.values(state.buckets))
    for (const o of Object.values(bucket.objects)) live.add(o.sha256);
  return live;
}

/** The maps of the state, by name (persistence rebuilds them as dictionaries). */
export const STATE_MAPS = [
  "packages",
  "patches",
  "latestPatches",
  "importJobs",
  "clientTokens",
  "applicationInstances",
  "devices",
  "buckets",
] as const;

/**
 * A map keyed by names that come from requests. It has no prototype, so an id, token, bucket or
 * key such as `constructor` or `__proto__` is just a missing entry, not an inherited function.
 */
export function dict<T>(entries?: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/**
 * The creation order of a new record. Lists sort by it rather than by creation time, so records
 * made within one millisecond still come back in the order they were made.
 */
export function nextSequence(state: EmulatorState): number {
  return state.nextSequence++;
}

/** Oldest first. */
export function byCreation(a: Sequenced, b: Sequenced): number {
  return a.sequence - b.sequence;
}

export function versionKey(packageId: string, version: string): string {
  return `${packageId}/${version}`;
}

export function patchKey(packageId: string, version: string, patch: string): string {
  return `${packageId}/${version}/${patch}`;
}
