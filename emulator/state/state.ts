// Everything the emulator knows, as plain data, so a reset is a new object, a dump is
// JSON.stringify and persistence is a file write. The records it holds are in records.ts and
// deviceRecords.ts; S3 object bodies are not in it (blobs.ts).
import type { ApplicationInstanceRecord, DeviceJobRecord, DeviceRecord } from "./deviceRecords";
import type { TemplateJobRecord } from "./nodeRecords";
import type {
  ImportJobRecord,
  PackageRecord,
  PatchRecord,
  S3BucketRecord,
  Sequenced,
} from "./records";

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
  /** Camera-node template jobs, by JobId. */
  templateJobs: Record<string, TemplateJobRecord>;
  applicationInstances: Record<string, ApplicationInstanceRecord>;
  devices: Record<string, DeviceRecord>;
  /** OTA and REBOOT jobs, by JobId. */
  deviceJobs: Record<string, DeviceJobRecord>;
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
    templateJobs: dict(),
    applicationInstances: dict(),
    devices: dict(),
    deviceJobs: dict(),
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
  "templateJobs",
  "applicationInstances",
  "devices",
  "deviceJobs",
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
