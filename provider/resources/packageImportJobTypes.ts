// The inputs and outputs of PackageImportJob: camelCase mirrors of CreatePackageImportJob and
// DescribePackageImportJob (inputs as `…Args`, which may hold Inputs).
import type * as pulumi from "@pulumi/pulumi";
import type { PackageImportJobType } from "../../model/panoramaTypes";
import type { WaitOptions } from "../calls/wait";

/** Where a package manifest is in S3. */
export interface S3LocationArgs {
  /** Bucket holding the node-package manifest (package.json). */
  bucketName: pulumi.Input<string>;
  /** Key of the manifest object. */
  objectKey: pulumi.Input<string>;
  /** Region of the bucket, when it differs from the job's. @default the job's region */
  region?: pulumi.Input<string>;
}

export interface PackageVersionInputConfigArgs {
  /** Where the package manifest is. */
  s3Location: pulumi.Input<S3LocationArgs>;
}

export interface PackageImportJobInputConfigArgs {
  /** The package version to import: where its manifest is. */
  packageVersionInputConfig: pulumi.Input<PackageVersionInputConfigArgs>;
}

export interface PackageVersionOutputConfigArgs {
  /** Name of the node package to import into (created if needed by the service). */
  packageName: pulumi.Input<string>;
  /** `<major>.<minor>`, e.g. `1.0`. */
  packageVersion: pulumi.Input<string>;
  /** Make the imported patch the version's latest. @default false */
  markLatest?: pulumi.Input<boolean>;
}

export interface PackageImportJobOutputConfigArgs {
  /** Which package and version to import into. */
  packageVersionOutputConfig: pulumi.Input<PackageVersionOutputConfigArgs>;
}

export interface JobResourceTagsArgs {
  /** The kind of resource the job tags. */
  resourceType: pulumi.Input<"PACKAGE">;
  /** Tags the job puts on the package it imports into (the Package resource does not manage them). */
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Inputs mirror CreatePackageImportJob in camelCase, plus options of this provider. */
export interface PackageImportJobArgs {
  /** @default "NODE_PACKAGE_VERSION" */
  jobType?: pulumi.Input<PackageImportJobType>;
  /** Where the package manifest is. Required unless `adoptJobId` is set. */
  inputConfig?: pulumi.Input<PackageImportJobInputConfigArgs>;
  /** Which package and version to import into. Required unless `adoptJobId` is set. */
  outputConfig?: pulumi.Input<PackageImportJobOutputConfigArgs>;
  /**
   * Idempotency token. @default a value derived from the project, stack, resource name and job
   * parameters, so an interrupted `pulumi up` re-adopts its job instead of starting a second one.
   * Always kept secret in outputs (`requestedClientToken`).
   */
  clientToken?: pulumi.Input<string>;
  /** Tags the job applies to the package it imports into. @default none */
  jobTags?: pulumi.Input<pulumi.Input<JobResourceTagsArgs>[]>;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
  /** How to wait for SUCCEEDED; changing it never replaces the job. @default DEFAULT_WAIT */
  waitOptions?: pulumi.Input<WaitOptions>;
  /** Bring an existing job under management instead of starting one. @default none */
  adoptJobId?: pulumi.Input<string>;
  /**
   * On delete, deregister the imported patch (DeregisterPackageVersion). Import jobs themselves
   * cannot be deleted. @default false: delete only forgets the job, the patch stays deployable.
   */
  deregisterOnDelete?: pulumi.Input<boolean>;
}

/** Where a package manifest is in S3 (as the job reports it). */
export interface S3Location {
  /** The bucket. */
  bucketName: string;
  /** The manifest's key. */
  objectKey: string;
  /** The bucket's region, when given. */
  region?: string;
}

export interface PackageVersionInputConfig {
  /** Where the package manifest is. */
  s3Location: S3Location;
}

export interface PackageImportJobInputConfig {
  /** The package version imported: where its manifest is. */
  packageVersionInputConfig: PackageVersionInputConfig;
}

export interface PackageVersionOutputConfig {
  /** The package imported into. */
  packageName: string;
  /** `<major>.<minor>`. */
  packageVersion: string;
  /** Whether the imported patch was to become the version's latest. */
  markLatest?: boolean;
}

export interface PackageImportJobOutputConfig {
  /** Which package and version the job imports into. */
  packageVersionOutputConfig: PackageVersionOutputConfig;
}

export interface JobResourceTags {
  /** The kind of resource the job tags. */
  resourceType: "PACKAGE";
  /** The tags. */
  tags: Record<string, string>;
}

/** What a SUCCEEDED job produced. */
export interface PackageImportJobOutput {
  /** The package's id. */
  packageId: string;
  /** `<major>.<minor>`. */
  packageVersion: string;
  /** The imported patch: the sha256 of the manifest. */
  patchVersion: string;
  /** Where the service stored the imported manifest. */
  outputS3Location: { bucketName: string; objectKey: string };
}

/** @deprecated the earlier name of PackageImportJobOutput. */
export type PackageImportJobOutputValue = PackageImportJobOutput;
