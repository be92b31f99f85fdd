// The records of packages, patch versions, import jobs and S3 objects, as plain data (times in
// epoch milliseconds). An S3 record names its body by sha256; the body lives in the blob store
// (blobs.ts). Devices and what runs on them are in deviceRecords.ts.
import type {
  PackageImportJobStatus as ImportJobStatus,
  PackageVersionStatus,
} from "../../model/panoramaTypes";

import type { NodeInterfaceRecord } from "./nodeInterfaces";

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
  /** The interfaces in full, for ListNodes / DescribeNode (absent in state files written before). */
  nodes?: NodeInterfaceRecord[];
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
