import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../lifecycle/providerShim";
import { deterministicClientToken } from "../lifecycle/clientToken";
import { WaitOptions } from "../calls/wait";

export type PackageImportJobType = "NODE_PACKAGE_VERSION" | "MARKETPLACE_NODE_PACKAGE_VERSION";
export type PackageImportJobStatus = "PENDING" | "SUCCEEDED" | "FAILED";

export interface S3LocationArgs {
  /** Bucket holding the node-package manifest (package.json). */
  bucketName: pulumi.Input<string>;
  /** Key of the manifest object. */
  objectKey: pulumi.Input<string>;
  /** Region of the bucket, when it differs from the job's. */
  region?: pulumi.Input<string>;
}

export interface PackageImportJobInputConfigArgs {
  packageVersionInputConfig: pulumi.Input<{ s3Location: pulumi.Input<S3LocationArgs> }>;
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
  packageVersionOutputConfig: pulumi.Input<PackageVersionOutputConfigArgs>;
}

export interface JobResourceTagsArgs {
  resourceType: pulumi.Input<"PACKAGE">;
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
   */
  clientToken?: pulumi.Input<string>;
  jobTags?: pulumi.Input<pulumi.Input<JobResourceTagsArgs>[]>;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
  /** How to wait for SUCCEEDED; changing it never replaces the job. */
  waitOptions?: pulumi.Input<WaitOptions>;
  /** Bring an existing job under management instead of starting one. */
  adoptJobId?: pulumi.Input<string>;
  /**
   * On delete, deregister the imported patch (DeregisterPackageVersion). Import jobs themselves
   * cannot be deleted. @default false: delete only forgets the job, the patch stays deployable.
   */
  deregisterOnDelete?: pulumi.Input<boolean>;
}

export interface PackageImportJobOutputValue {
  packageId: string;
  packageVersion: string;
  patchVersion: string;
  outputS3Location: { bucketName: string; objectKey: string };
}

/**
 * A Panorama package import job: `pulumi up` starts CreatePackageImportJob, waits until the
 * job is SUCCEEDED and exposes the imported `packageId` / `patchVersion` for device deployments.
 */
export class PackageImportJob extends pulumi.dynamic.Resource {
  declare readonly jobId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<PackageImportJobStatus>;
  declare readonly statusMessage: pulumi.Output<string>;
  declare readonly packageId: pulumi.Output<string>;
  declare readonly packageName: pulumi.Output<string>;
  declare readonly packageVersion: pulumi.Output<string>;
  declare readonly patchVersion: pulumi.Output<string>;
  /** ARN of the package, from DescribePackageVersion once the job SUCCEEDED. */
  declare readonly packageArn: pulumi.Output<string>;
  /** Account owning the package (the `<owner>::` of manifest package names). */
  declare readonly ownerAccount: pulumi.Output<string>;
  declare readonly output: pulumi.Output<PackageImportJobOutputValue>;
  declare readonly jobType: pulumi.Output<PackageImportJobType>;
  declare readonly inputConfig: pulumi.Output<PackageImportJobInputConfigArgs>;
  declare readonly outputConfig: pulumi.Output<PackageImportJobOutputConfigArgs>;
  /** The token the job was created with (a retry after FAILED uses a `-rN` suffix). */
  declare readonly clientToken: pulumi.Output<string>;
  declare readonly jobTags: pulumi.Output<JobResourceTagsArgs[] | undefined>;
  /** ISO-8601. */
  declare readonly createdTime: pulumi.Output<string>;
  /** ISO-8601. */
  declare readonly lastUpdatedTime: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string>;

  constructor(name: string, args: PackageImportJobArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = { ...OUTPUT_PLACEHOLDERS, ...args };
    if (args.clientToken === undefined && args.adoptJobId === undefined) {
      props.clientToken = pulumi
        .output({ jobType: args.jobType, inputConfig: args.inputConfig, outputConfig: args.outputConfig, jobTags: args.jobTags })
        .apply((params) =>
          deterministicClientToken({ project: pulumi.getProject(), stack: pulumi.getStack(), name }, {
            ...params,
            jobType: params.jobType ?? "NODE_PACKAGE_VERSION",
          }),
        );
    }
    // The provider keeps the requested token under a name of its own (the job may run under a
    // `-rN` retry token); Pulumi copies secretness only between equal names, and the token is a
    // hash of the job parameters, secret tags included, so it is always kept secret.
    const secretOutputs = [...(opts?.additionalSecretOutputs ?? []), "requestedClientToken"];
    super(packageImportJobProvider, name, props, { ...opts, additionalSecretOutputs: secretOutputs }, "panorama", "PackageImportJob");
  }
}

/** Output-only properties, declared so Pulumi knows them before the first `up`. */
const OUTPUT_PLACEHOLDERS = {
  jobId: undefined,
  status: undefined,
  statusMessage: undefined,
  packageId: undefined,
  packageName: undefined,
  packageVersion: undefined,
  patchVersion: undefined,
  packageArn: undefined,
  ownerAccount: undefined,
  output: undefined,
  createdTime: undefined,
  lastUpdatedTime: undefined,
  // Inputs that may be unset (defaults, adoption) must still be declared to surface as outputs.
  region: undefined,
  jobType: undefined,
  jobTags: undefined,
  inputConfig: undefined,
  outputConfig: undefined,
  clientToken: undefined,
};

/** The serialized provider; see providerShim.ts. */
export const packageImportJobProvider = providerShim("pulumi-panorama/dist/provider/resources/packageImportJobProvider.js", "deleteJob");
