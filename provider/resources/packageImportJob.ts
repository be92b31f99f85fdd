// PackageImportJob: CreatePackageImportJob, then wait for SUCCEEDED. Import jobs cannot be
// deleted; delete forgets the job (or deregisters the imported patch when asked to).
import * as pulumi from "@pulumi/pulumi";
import {
  CreatePackageImportJobCommand,
  DeregisterPackageVersionCommand,
  DescribePackageImportJobCommand,
  DescribePackageImportJobResponse,
  DescribePackageVersionCommand,
  DescribePackageVersionResponse,
  ListPackageImportJobsCommand,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { createHash } from "crypto";
import type { PackageImportJobStatus, PackageImportJobType } from "../../model/panoramaTypes";
import { fromApi, isPlainObject, toApi } from "../lifecycle/apiShapes";
import { describeError, errorName, isTransientError } from "../calls/awsClients";
import {
  attemptClientToken,
  canonicalJson,
  deterministicClientToken,
} from "../lifecycle/clientToken";
import { requestFailures } from "../lifecycle/inputChecks";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { RecordedFailure } from "../lifecycle/recordedFailure";
import { resourceProvider } from "../lifecycle/resourceProvider";
import { Call, Props, ResourceSpec, Started } from "../lifecycle/resourceSpec";
import { inBackground, isThrottlingAnswer } from "../calls/requestBudget";
import { retryTransient } from "../calls/retry";
import { StatusScheduler } from "../calls/statusScheduler";
import { WaitOptions } from "../calls/wait";
import { untilGone } from "./packageVersion";

export type { PackageImportJobStatus, PackageImportJobType };

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

const TERMINAL_STATUSES: readonly string[] = [
  "SUCCEEDED",
  "FAILED",
] satisfies PackageImportJobStatus[];
const DEFAULT_JOB_TYPE: PackageImportJobType = "NODE_PACKAGE_VERSION";

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

/** How many fresh tokens create tries when earlier jobs with the same parameters are history. */
const MAX_ATTEMPTS = 20;
/** The largest page ListPackageImportJobs returns (MaxSize25). */
const LIST_PAGE_SIZE = 25;
/** Set to "false" to check every job with its own DescribePackageImportJob (no ListPackageImportJobs). */
export const COALESCE_ENV = "PULUMI_PANORAMA_COALESCE";

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
    describe: (call, id) => describeJob(call.client, id),
    merge: withJob,
    isDone: (p) =>
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

/** The CreatePackageImportJob request for these inputs (token excluded). */
function jobRequest(inputs: Props): Props {
  const { jobType = DEFAULT_JOB_TYPE, inputConfig, outputConfig, jobTags } = inputs;
  return toApi("CreatePackageImportJobRequest", {
    jobType,
    inputConfig,
    outputConfig,
    jobTags,
  }) as Props;
}

/**
 * Creates the job, or re-adopts the one an interrupted run already started with the same token
 * while it is still valid. A job that FAILED before this call started, or whose imported patch no
 * longer exists (the stack was destroyed, the service kept its history), is history: the next
 * token starts a new one.
 */
async function startJob(call: Call, inputs: Props, base: Props): Promise<Started> {
  const { client } = call;
  const baseToken: string =
    inputs.clientToken ??
    "pulumi-" +
      createHash("sha256")
        .update(canonicalJson(jobRequest(inputs)))
        .digest("hex")
        .slice(0, 40);
  const startedAt = Date.now();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const token = attemptClientToken(baseToken, attempt);
    const jobId = await createJob(call, inputs, token);
    const started = withJob({ ...base, requestedClientToken: inputs.clientToken }, {
      JobId: jobId,
      ClientToken: token,
      Status: "PENDING",
    } as DescribePackageImportJobResponse);
    const look = await firstLook(call, jobId, token, started);
    // A brand-new job is never finished before this call began; one that is was started earlier.
    const job = look.outs;
    const preexisting = job.createdTime !== undefined && Date.parse(job.createdTime) < startedAt;
    const history = !preexisting
      ? undefined
      : job.status === "FAILED"
        ? `FAILED (${job.statusMessage})`
        : await staleness(call, job);
    if (history) {
      console.log(
        `${label(inputs)}: earlier import job ${jobId} with these parameters ${history}; starting a new one with the next client token`,
      );
      continue;
    }
    console.log(
      preexisting
        ? `${label(inputs)}: re-adopted import job ${jobId} (${job.status}) started by an earlier run with the same client token`
        : `${label(inputs)}: started import job ${jobId} from ${s3Url(inputs)}`,
    );
    return look;
  }
  throw new Error(
    `${label(inputs)}: the last ${MAX_ATTEMPTS} import jobs with these parameters are all history (FAILED, or their patch is gone); fix the package manifest at ${s3Url(inputs)}.`,
  );
}

/** Why a SUCCEEDED job found again is history, or undefined while its patch is still registered. */
async function staleness(call: Call, job: Props): Promise<string | undefined> {
  if (job.status !== "SUCCEEDED") return undefined;
  try {
    const v = await packageDetails(call, job, true);
    return v.Status === "REGISTER_COMPLETED"
      ? undefined
      : `imported patch ${job.patchVersion}, which is now ${v.Status}`;
  } catch (e) {
    if (errorName(e) === "ResourceNotFoundException")
      return `imported patch ${job.patchVersion} of package ${job.packageId}, which no longer exists`;
    throw new Error(
      `${label(job)}: could not check that patch ${job.patchVersion} imported by earlier job ${job.jobId} still exists: ${describeError(e)}. Run \`pulumi up\` again.`,
    );
  }
}

/** One CreatePackageImportJob, safe to repeat: the same token and request answer the same job. */
async function createJob(call: Call, inputs: Props, token: string): Promise<string> {
  try {
    const created = await retryTransient(
      () =>
        call.client.send(
          new CreatePackageImportJobCommand({ ...jobRequest(inputs), ClientToken: token } as any),
        ),
      {
        ...call.quotaRetry,
        onRetry: (e) =>
          console.log(
            `${label(inputs)}: CreatePackageImportJob failed (${describeError(e)}); retrying with the same client token`,
          ),
      },
    );
    return created.JobId!;
  } catch (e) {
    // The token may be secret (derived from secret jobTags): messages never print it.
    if (errorName(e) === "ConflictException")
      throw new Error(
        `${label(inputs)}: the client token (secret) was already used for a different import job ` +
          `(${(e as { ResourceId?: string }).ResourceId ?? "unknown id"}); choose another clientToken or leave it unset.`,
      );
    if (isTransientError(e))
      throw new Error(
        `${label(inputs)}: CreatePackageImportJob did not succeed within ${isThrottlingAnswer(e) ? `${call.wait.timeoutSeconds}s (waitOptions.timeoutSeconds) of throttled answers` : `${call.budgetSeconds}s`}: ${describeError(e)}. ` +
          `If one of the requests reached the service, the job exists; the next \`pulumi up\` re-adopts it through ` +
          `the same client token (secret) instead of starting another. Run \`pulumi up\` again once the service answers.`,
      );
    throw new Error(
      `${label(inputs)}: CreatePackageImportJob failed: ${describeError(e)}. Nothing was created; fix the cause and run \`pulumi up\` again.`,
    );
  }
}

/**
 * The first status of a job just created. While waiting is on it is the wait's first check,
 * after minDelaySeconds (no job is done at once), and can share a ListPackageImportJobs page with
 * other jobs; if it cannot be read that way, a describe with its retries decides.
 */
async function firstLook(
  call: Call,
  jobId: string,
  token: string,
  started: Props,
): Promise<Started> {
  if (call.wait.enabled) {
    const waitStartedAt = Date.now();
    const look = await importJobScheduler(call.client)
      .waitFor({ id: jobId, options: call.wait, once: true })
      .catch(() => undefined);
    if (look?.value)
      return {
        id: jobId,
        outs: withJob(started, { ClientToken: token, ...look.value }),
        waitStartedAt,
      };
  }
  try {
    const job = await retryTransient(
      () => call.client.send(new DescribePackageImportJobCommand({ JobId: jobId })),
      { budgetSeconds: call.budgetSeconds },
    );
    return { id: jobId, outs: withJob(started, job) };
  } catch (e) {
    // The job exists: recorded with everything update and diff need, never orphaned.
    throw new RecordedFailure(
      jobId,
      started,
      `Package import job ${jobId} was started but could not be read: ${describeError(e)}. It is recorded in the stack; fix the cause and run \`pulumi up\` again to resume.`,
    );
  }
}

async function describeJob(
  client: PanoramaClient,
  id: string,
): Promise<DescribePackageImportJobResponse | undefined> {
  try {
    return await client.send(new DescribePackageImportJobCommand({ JobId: id }));
  } catch (e) {
    if (errorName(e) === "ResourceNotFoundException") return undefined;
    throw e;
  }
}

/** Adds the registered patch's ARN and owner account, which manifests need; without them the job is not done. */
async function withPackageVersion(call: Call, outs: Props): Promise<Props> {
  if (outs.packageArn !== undefined) return outs;
  let v: DescribePackageVersionResponse;
  try {
    v = await packageDetails(call, outs, false);
  } catch (e) {
    const gone = errorName(e) === "ResourceNotFoundException";
    throw new Error(
      `${label(outs)}: job ${outs.jobId} SUCCEEDED, but ${gone ? "its patch " + outs.patchVersion + " no longer exists" : "patch " + outs.patchVersion + " could not be read"} ` +
        `(${describeError(e)}); deployments need its packageArn and ownerAccount. Run \`pulumi up\` again: ` +
        (gone
          ? "a new import job replaces this one."
          : "the job stays recorded and its details are read again."),
    );
  }
  return {
    ...outs,
    packageArn: v.PackageArn,
    ownerAccount: v.OwnerAccount,
    packageName: v.PackageName ?? outs.packageName,
  };
}

/**
 * Refresh of a SUCCEEDED job: its patch may have been deregistered (or its package deleted) since.
 * Then the job no longer hands a usable patch on: its packageArn is dropped, so the next `pulumi up`
 * replaces it with a new import job (mustReplace) instead of deploying a patch that is gone.
 */
async function patchStillRegistered(call: Call, outs: Props): Promise<Props> {
  if (outs.packageArn === undefined || !outs.patchVersion) return outs;
  const request = {
    PackageId: outs.packageId,
    PackageVersion: outs.packageVersion,
    PatchVersion: outs.patchVersion,
  };
  let registered: boolean;
  try {
    const v = await call.client.send(new DescribePackageVersionCommand(request));
    registered = v.Status !== "DELETING" && v.Status !== "FAILED";
  } catch (e) {
    if (errorName(e) !== "ResourceNotFoundException") return outs;
    registered = false;
  }
  if (registered) return outs;
  console.log(
    `${label(outs)}: patch ${outs.patchVersion} imported by job ${outs.jobId} is no longer registered; the next \`pulumi up\` starts a new import job`,
  );
  const { packageArn: _gone, ...rest } = outs;
  return rest;
}

/**
 * ARN, owner account and name belong to the package, not to the patch: one DescribePackageVersion
 * per package serves every job importing into it (ten versions of one package, one call). `exact`
 * asks about this very patch, bypassing what other jobs learnt.
 */
const packageDetailsByClient = new WeakMap<
  PanoramaClient,
  Map<string, Promise<DescribePackageVersionResponse>>
>();

function packageDetails(
  call: Call,
  outs: Props,
  exact: boolean,
): Promise<DescribePackageVersionResponse> {
  const request = {
    PackageId: outs.packageId,
    PackageVersion: outs.packageVersion,
    PatchVersion: outs.patchVersion,
  };
  const read = () =>
    retryTransient(() => call.client.send(new DescribePackageVersionCommand(request)), {
      budgetSeconds: call.budgetSeconds,
    });
  if (exact) return read();
  let byPackage = packageDetailsByClient.get(call.client);
  if (!byPackage) packageDetailsByClient.set(call.client, (byPackage = new Map()));
  let details = byPackage.get(outs.packageId);
  if (!details) {
    const known = byPackage;
    details = read();
    known.set(outs.packageId, details);
    details.catch(() => known.delete(outs.packageId)); // a failure is not remembered
  }
  return details;
}

/** One scheduler per client (account and region): every import job the process waits on shares it. */
const schedulers = new WeakMap<PanoramaClient, StatusScheduler<DescribePackageImportJobResponse>>();

function importJobScheduler(
  client: PanoramaClient,
): StatusScheduler<DescribePackageImportJobResponse> {
  let scheduler = schedulers.get(client);
  if (!scheduler) {
    scheduler = new StatusScheduler<DescribePackageImportJobResponse>(
      {
        describe: (id, background) => {
          const input = { JobId: id };
          return client.send(
            new DescribePackageImportJobCommand(background ? inBackground(input) : input),
          );
        },
        // Newest first, 25 a page: the jobs this process started are on the first pages.
        list: async (nextToken) => {
          const page = await client.send(
            new ListPackageImportJobsCommand(
              inBackground({ NextToken: nextToken, MaxResults: LIST_PAGE_SIZE }),
            ),
          );
          return {
            items: (page.PackageImportJobs ?? []) as DescribePackageImportJobResponse[],
            nextToken: page.NextToken,
          };
        },
        pageSize: LIST_PAGE_SIZE,
        idOf: (job) => job.JobId,
        isTerminal: (job) => TERMINAL_STATUSES.includes(job.Status ?? ""),
        isTransient: isTransientError,
        serviceDurationMs: (job) =>
          job.Status === "SUCCEEDED" && job.CreatedTime && job.LastUpdatedTime
            ? job.LastUpdatedTime.getTime() - job.CreatedTime.getTime()
            : undefined,
      },
      {
        coalesce: !/^(false|0|off|no)$/i.test(process.env[COALESCE_ENV] ?? ""),
        log: (line) => console.log(`PackageImportJob: ${line}`),
      },
    );
    schedulers.set(client, scheduler);
  }
  return scheduler;
}

async function deleteJob(call: Call, id: string, props: Props): Promise<void> {
  const patch = props.patchVersion;
  // A job whose outputs never completed handed its patch to nobody (and may share it with its replacement).
  if (
    !props.deregisterOnDelete ||
    props.status !== "SUCCEEDED" ||
    !patch ||
    props.packageArn === undefined
  ) {
    console.log(
      `${label(props)}: import jobs cannot be deleted; forgetting job ${id}` +
        (patch
          ? ` and keeping patch ${patch} registered (set deregisterOnDelete to remove it)`
          : ""),
    );
    return;
  }
  const request = {
    PackageId: props.packageId,
    PackageVersion: props.packageVersion,
    PatchVersion: patch,
  };
  const what = `${label(props)}: patch ${patch} of package ${props.packageId} (job ${id})`;
  try {
    // Safe to repeat: deregistering a patch that is already DELETING changes nothing.
    await retryTransient(
      () => call.client.send(new DeregisterPackageVersionCommand(request)),
      call.quotaRetry,
    );
  } catch (e) {
    if (errorName(e) === "ResourceNotFoundException") return;
    throw new Error(
      `${label(props)}: could not deregister patch ${patch} of package ${props.packageId} (job ${id}): ${describeError(e)}. ` +
        `The job stays in the stack; fix the cause and run \`pulumi destroy\` again.`,
    );
  }
  console.log(`${label(props)}: deregistering patch ${patch}`);
  await untilGone(call, request, what);
}

/** Merges a DescribePackageImportJob answer into outputs; nothing known is ever dropped. */
function withJob(outs: Props, job: DescribePackageImportJobResponse): Props {
  const described = fromApi("DescribePackageImportJobResponse", job) as Props;
  const merged: Props = { ...outs, ...described };
  const out = described.output ?? outs.output;
  merged.output = out;
  merged.packageName =
    described.outputConfig?.packageVersionOutputConfig?.packageName ?? outs.packageName;
  merged.packageVersion =
    out?.packageVersion ??
    described.outputConfig?.packageVersionOutputConfig?.packageVersion ??
    outs.packageVersion;
  merged.packageId = out?.packageId ?? outs.packageId;
  merged.patchVersion = out?.patchVersion ?? outs.patchVersion;
  merged.statusMessage = described.statusMessage ?? "";
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return merged;
}

function target(p: Props): string {
  const out = p.outputConfig?.packageVersionOutputConfig ?? {};
  return `${out.packageName ?? p.packageName ?? "?"} ${out.packageVersion ?? p.packageVersion ?? "?"}`;
}

function label(p: Props): string {
  return `PackageImportJob ${target(p)}`;
}

function s3Url(p: Props): string {
  const loc = p.inputConfig?.packageVersionInputConfig?.s3Location ?? {};
  return `s3://${loc.bucketName ?? "?"}/${loc.objectKey ?? "?"}`;
}
