// PackageImportJob: CreatePackageImportJob, then wait for SUCCEEDED. Import jobs cannot be
// deleted; delete forgets the job (or deregisters the imported patch when asked to).
import * as pulumi from "@pulumi/pulumi";
import {
  DescribePackageImportJobCommand,
  DescribePackageImportJobResponse,
} from "@aws-sdk/client-panorama";
import type { PackageImportJobStatus, PackageImportJobType } from "../../model/panoramaTypes";
import { isPlainObject } from "../lifecycle/apiShapes";
import { deterministicClientToken } from "../lifecycle/derivedValues";
import { requestFailures } from "../lifecycle/inputChecks";
import { describeOrUndefined } from "../lifecycle/notFound";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { resourceProvider } from "../lifecycle/resourceProvider";
import { ResourceSpec } from "../lifecycle/resourceSpec";
import { DEFAULT_JOB_TYPE, label, s3Url, target, withJob } from "./packageImportJobCalls";
import { deleteJob, patchStillRegistered, withPackageVersion } from "./packageImportJobPatch";
import { importJobScheduler } from "./packageImportJobScheduler";
import { startJob } from "./packageImportJobStart";
import type {
  JobResourceTags,
  PackageImportJobArgs,
  PackageImportJobInputConfig,
  PackageImportJobOutput,
  PackageImportJobOutputConfig,
} from "./packageImportJobTypes";

export type { PackageImportJobStatus, PackageImportJobType };
export type {
  S3LocationArgs,
  PackageVersionInputConfigArgs,
  PackageImportJobInputConfigArgs,
  PackageVersionOutputConfigArgs,
  PackageImportJobOutputConfigArgs,
  JobResourceTagsArgs,
  PackageImportJobArgs,
  S3Location,
  PackageVersionInputConfig,
  PackageImportJobInputConfig,
  PackageVersionOutputConfig,
  PackageImportJobOutputConfig,
  JobResourceTags,
  PackageImportJobOutput,
  PackageImportJobOutputValue,
} from "./packageImportJobTypes";

const SPEC: ResourceSpec = {
  type: "PackageImportJob",
  parameters: ["jobType", "inputConfig", "outputConfig", "clientToken", "jobTags"],
  options: { deregisterOnDelete: "boolean" },
  adopt: { input: "adoptJobId", shape: "JobId", list: "list-package-import-jobs" },
  outputs: [
    "jobId",
    "status",
    "statusMessage",
    "packageId",
    "packageName",
    "packageVersion",
    "patchVersion",
    "packageArn",
    "ownerAccount",
    "output",
    "createdTime",
    "lastUpdatedTime",
    "requestedClientToken",
  ],
  // The provider keeps the requested token under a name of its own (the job may run under a `-rN`
  // retry token); Pulumi copies secretness only between equal names, and the token is a hash of
  // the job parameters, secret tags included, so it is always kept secret.
  secretOutputs: ["requestedClientToken"],
  storedAs: { clientToken: "requestedClientToken" },
  derived: {
    clientToken: {
      from: ["jobType", "inputConfig", "outputConfig", "jobTags"],
      unless: "adoptJobId",
      derive: (scope, params) =>
        deterministicClientToken(scope, { ...params, jobType: params.jobType ?? DEFAULT_JOB_TYPE }),
    },
  },
};

/**
 * A Panorama package import job: `pulumi up` starts CreatePackageImportJob, waits until the
 * job is SUCCEEDED and exposes the imported `packageId` / `patchVersion` for device deployments.
 */
export class PackageImportJob extends PanoramaResource {
  /** The job's id. */
  declare readonly jobId: pulumi.Output<string>;
  /** PENDING, SUCCEEDED or FAILED. */
  declare readonly status: pulumi.Output<PackageImportJobStatus>;
  /** The service's message about the status ("" when none). */
  declare readonly statusMessage: pulumi.Output<string>;
  /** The package imported into. */
  declare readonly packageId: pulumi.Output<string>;
  /** The package's name. */
  declare readonly packageName: pulumi.Output<string>;
  /** `<major>.<minor>`. */
  declare readonly packageVersion: pulumi.Output<string>;
  /** The imported patch (the sha256 of the manifest): pin it in graph.json. */
  declare readonly patchVersion: pulumi.Output<string>;
  /** ARN of the package, from DescribePackageVersion once the job SUCCEEDED. */
  declare readonly packageArn: pulumi.Output<string>;
  /** Account owning the package (the `<owner>::` of manifest package names). */
  declare readonly ownerAccount: pulumi.Output<string>;
  /** What the job produced. */
  declare readonly output: pulumi.Output<PackageImportJobOutput>;
  /** The job's type. */
  declare readonly jobType: pulumi.Output<PackageImportJobType>;
  /** Where the manifest was. */
  declare readonly inputConfig: pulumi.Output<PackageImportJobInputConfig>;
  /** Which package and version the job imports into. */
  declare readonly outputConfig: pulumi.Output<PackageImportJobOutputConfig>;
  /** The token the job was created with (a retry after FAILED uses a `-rN` suffix). */
  declare readonly clientToken: pulumi.Output<string>;
  /** Tags the job applies to the package. */
  declare readonly jobTags: pulumi.Output<JobResourceTags[] | undefined>;
  /** ISO-8601. */
  declare readonly createdTime: pulumi.Output<string>;
  /** ISO-8601. */
  declare readonly lastUpdatedTime: pulumi.Output<string>;
  /** The region the job ran in. */
  declare readonly region: pulumi.Output<string>;
  /** The client token the program set, or the one derived for it (kept secret; `clientToken` is the one the job runs under). */
  declare readonly requestedClientToken: pulumi.Output<string | undefined>;

  constructor(name: string, args: PackageImportJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(SPEC, name, { ...args }, opts);
  }
}

export const packageImportJobImplementation = resourceProvider<DescribePackageImportJobResponse>(
  SPEC,
  {
    noun: "package import job",
    where: (p) => `for ${target(p)}`,
    label,
    defaults: (inputs) =>
      inputs.jobType == null && !inputs.adoptJobId
        ? { ...inputs, jobType: DEFAULT_JOB_TYPE }
        : inputs,
    check(inputs, adopting) {
      const failures = requestFailures(
        "CreatePackageImportJobRequest",
        // create fills in a token when none is given, so only a given one is checked
        {
          jobType: inputs.jobType,
          inputConfig: inputs.inputConfig,
          outputConfig: inputs.outputConfig,
          clientToken: inputs.clientToken ?? "placeholder",
          jobTags: inputs.jobTags,
        },
        adopting,
      );
      // `== null`: a null member is not sent at all, so it is as missing as an absent one.
      if (
        !adopting &&
        isPlainObject(inputs.inputConfig) &&
        inputs.inputConfig.packageVersionInputConfig == null
      )
        failures.push({
          property: "inputConfig",
          reason:
            "inputConfig.packageVersionInputConfig: is required (it holds the S3 location of the package manifest)",
        });
      if (
        !adopting &&
        isPlainObject(inputs.outputConfig) &&
        inputs.outputConfig.packageVersionOutputConfig == null
      )
        failures.push({
          property: "outputConfig",
          reason:
            "outputConfig.packageVersionOutputConfig: is required (it names the package and version to import into)",
        });
      return failures;
    },
    start: startJob,
    describe: (call, id) =>
      describeOrUndefined(() =>
        call.client.send(new DescribePackageImportJobCommand({ JobId: id })),
      ),
    merge: withJob,
    acceptor: (p) =>
      p.status === "SUCCEEDED" ? "success" : p.status === "FAILED" ? "failure" : "retry",
    state: (p) => p.status ?? "unknown",
    failure: (id, p) =>
      `Package import job ${id} for ${target(p)} FAILED: ${p.statusMessage || "no status message"}. ` +
      `Fix the package manifest at ${s3Url(p)} and run \`pulumi up\` again; the failed job stays recorded ` +
      `in the stack and is replaced by a new import job.`,
    complete: withPackageVersion,
    refreshed: patchStillRegistered,
    // A failed job can never succeed, nor one whose imported patch is gone: the next up starts a new one.
    mustReplace: (olds) =>
      olds.status === "FAILED" || (olds.status === "SUCCEEDED" && olds.packageArn === undefined),
    waiter: (call) => importJobScheduler(call.client),
    remove: deleteJob,
  },
);
