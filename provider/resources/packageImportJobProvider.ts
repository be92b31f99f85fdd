// The PackageImportJob provider's real implementation. It runs in Pulumi's dynamic-provider
// process and is loaded by name from the small serialized shim in packageImportJob.ts, so
// `pulumi refresh` / `destroy` run the installed version of this code, not a copy in state.
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
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { validate } from "../../model/panoramaModel";
import { fromApi, isPlainObject, toApi } from "../lifecycle/apiShapes";
import {
  describeError,
  errorName,
  isTransientError,
  panoramaClient,
  resolveRegion,
  applyStackConfig,
} from "../calls/awsClients";
import { watchEngine } from "../calls/engineWatch";
import { attemptClientToken, canonicalJson } from "../lifecycle/clientToken";
import {
  booleanOptionFailures,
  commonOptionFailures,
  differs,
  regionChanged,
  requestViolations,
  unknownPropertyFailures,
  violationSentence as sentence,
} from "../lifecycle/inputChecks";
import { RecordedFailure } from "../lifecycle/recordedFailure";
import { inBackground } from "../calls/requestBudget";
import { callBudgetSeconds, retryTransient } from "../calls/retry";
import { StatusScheduler } from "../calls/statusScheduler";
import { isUnknown } from "../lifecycle/unknowns";
import { pollUntil, resolveWaitOptions, WaitOptions } from "../calls/wait";

export const RESOURCE = "PackageImportJob";
export const DEFAULT_JOB_TYPE = "NODE_PACKAGE_VERSION";
export const TERMINAL_STATUSES = ["SUCCEEDED", "FAILED"];

/** Inputs sent to CreatePackageImportJob; a change to any of them means a new job. */
export const JOB_PARAMETERS = ["jobType", "inputConfig", "outputConfig", "clientToken", "jobTags"] as const;
/** Inputs that only change how this provider behaves; a change is an in-place update. */
export const BEHAVIOUR_OPTIONS = ["waitOptions", "deregisterOnDelete"] as const;
/** Every input the resource accepts (besides Pulumi's own `__provider`). */
export const INPUTS = [...JOB_PARAMETERS, "region", "adoptJobId", ...BEHAVIOUR_OPTIONS] as const;

/** How many fresh tokens create tries when earlier jobs with the same parameters FAILED. */
const MAX_ATTEMPTS = 20;
/** Progress lines are printed on status changes and at least this often. */
const PROGRESS_EVERY_MS = 10_000;
/** The largest page ListPackageImportJobs returns (MaxSize25). */
const LIST_PAGE_SIZE = 25;
/** Set to "false" to check every job with its own DescribePackageImportJob (no ListPackageImportJobs). */
export const COALESCE_ENV = "PULUMI_PANORAMA_COALESCE";

type Props = Record<string, any>;

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  applyStackConfig(req.config);
  watchEngine();
}

export async function check(_olds: Props, news: Props): Promise<dynamic.CheckResult> {
  const inputs = { ...news };
  if (inputs.jobType == null && !inputs.adoptJobId) inputs.jobType = DEFAULT_JOB_TYPE;
  return { inputs, failures: checkFailures(inputs) };
}

/** Every rule of the API model plus our own options; each failure names the property. */
export function checkFailures(inputs: Props): dynamic.CheckFailure[] {
  const failures: dynamic.CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  failures.push(...unknownPropertyFailures(RESOURCE, inputs, INPUTS));
  const adopting = inputs.adoptJobId !== undefined;
  if (adopting) {
    for (const v of validate("JobId", inputs.adoptJobId, "AdoptJobId", isUnknown)) fail("adoptJobId", sentence(v.path, v.rule));
  }
  const violations = requestViolations("CreatePackageImportJobRequest", {
    jobType: inputs.jobType,
    inputConfig: inputs.inputConfig,
    outputConfig: inputs.outputConfig,
    // create fills in a token when none is given, so only a given one is checked
    clientToken: inputs.clientToken ?? "placeholder",
    jobTags: inputs.jobTags,
  });
  for (const v of violations) {
    // An adopted job's parameters come from the job itself; only given ones are checked.
    if (adopting && v.rule === "Member must not be null") continue;
    fail(v.property, sentence(v.path, v.rule));
  }
  if (!adopting) {
    // `== null`: a null member is not sent at all, so it is as missing as an absent one.
    if (isPlainObject(inputs.inputConfig) && inputs.inputConfig.packageVersionInputConfig == null)
      fail("inputConfig", "inputConfig.packageVersionInputConfig: is required (it holds the S3 location of the package manifest)");
    if (isPlainObject(inputs.outputConfig) && inputs.outputConfig.packageVersionOutputConfig == null)
      fail("outputConfig", "outputConfig.packageVersionOutputConfig: is required (it names the package and version to import into)");
  }
  failures.push(...commonOptionFailures(inputs), ...booleanOptionFailures(inputs, "deregisterOnDelete"));
  return failures;
}

export async function diff(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  const replaces: string[] = [];
  const adopting = news.adoptJobId !== undefined;
  for (const key of JOB_PARAMETERS) {
    const old = key === "clientToken" ? olds.requestedClientToken : olds[key];
    // An adopted job's parameters are read from the job; only ones the program sets count.
    if (adopting && news[key] === undefined) continue;
    if (differs(old, news[key])) replaces.push(key);
  }
  if (differs(olds.adoptJobId, news.adoptJobId)) replaces.push("adoptJobId");
  if (regionChanged(olds.region, news.region)) replaces.push("region");
  // A failed job can never succeed; the next `pulumi up` starts a new one.
  if (olds.status === "FAILED") replaces.push("status");

  const updates: string[] = BEHAVIOUR_OPTIONS.filter((key) => differs(olds[key], news[key]));
  // New provider code must reach state, or refresh and destroy keep running the old code.
  if (olds.__provider !== news.__provider) updates.push("__provider");
  // A job left PENDING (timeout, or refreshed while running) is waited on by update.
  if (olds.status !== undefined && !TERMINAL_STATUSES.includes(olds.status) && resolveWaitOptions(news.waitOptions).enabled)
    updates.push("status");

  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
}

export async function create(inputs: Props): Promise<dynamic.CreateResult> {
  const region = resolveRegion(inputs.region);
  const client = panoramaClient(region);
  const started = inputs.adoptJobId ? { job: await adoptJob(client, inputs, region) } : await startJob(client, inputs, region);
  const outs = outputsFrom(inputs, region, started.job);
  return { id: started.job.JobId!, outs: await finish(client, outs, inputs.waitOptions, started.waitStartedAt) };
}

export async function update(id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  const outs: Props = { ...olds };
  for (const key of [...BEHAVIOUR_OPTIONS, "__provider"]) {
    if (news[key] === undefined) delete outs[key];
    else outs[key] = news[key];
  }
  if (TERMINAL_STATUSES.includes(olds.status) || !resolveWaitOptions(news.waitOptions).enabled) return { outs };
  const client = panoramaClient(olds.region ?? resolveRegion(news.region));
  console.log(`${label(outs)}: resuming the wait on job ${id} (last seen ${olds.status ?? "unknown"})`);
  return { outs: await finish(client, { ...outs, jobId: id }, news.waitOptions) };
}

export async function read(id: string, props: Props): Promise<dynamic.ReadResult> {
  const region = props.region ?? resolveRegion(undefined);
  let job: DescribePackageImportJobResponse;
  try {
    const client = panoramaClient(region);
    job = await retryTransient(() => client.send(new DescribePackageImportJobCommand({ JobId: id })), {
      budgetSeconds: callBudget(props.waitOptions),
      onRetry: (e) => console.log(`${label(props)}: reading job ${id} failed (${describeError(e)}); will retry`),
    });
  } catch (e) {
    if (errorName(e) === "ResourceNotFoundException") {
      console.log(`${RESOURCE} ${id}: the job no longer exists in ${region}; removing it from the stack`);
      return {};
    }
    throw new Error(
      `Could not refresh package import job ${id} in ${region}: ${describeError(e)}. ` +
        `The stack still holds the job as last seen; run \`pulumi refresh\` again once the service answers.`,
    );
  }
  return { id, props: withJob(props, job) };
}

export async function deleteJob(id: string, props: Props): Promise<void> {
  const patch = props.patchVersion;
  if (!props.deregisterOnDelete || props.status !== "SUCCEEDED" || !patch) {
    console.log(
      `${label(props)}: import jobs cannot be deleted; forgetting job ${id}` +
        (patch ? ` and keeping patch ${patch} registered (set deregisterOnDelete to remove it)` : ""),
    );
    return;
  }
  await deregisterPatch(panoramaClient(props.region ?? resolveRegion(undefined)), props);
}

// ---- helpers -------------------------------------------------------------------------------

/** The CreatePackageImportJob request for these inputs (token excluded). */
function jobRequest(inputs: Props): Props {
  return toApi("CreatePackageImportJobRequest", {
    jobType: inputs.jobType ?? DEFAULT_JOB_TYPE,
    inputConfig: inputs.inputConfig,
    outputConfig: inputs.outputConfig,
    jobTags: inputs.jobTags,
  }) as Props;
}

/**
 * Creates the job, or re-adopts the one an interrupted run already started with the same token.
 * A job that FAILED before this call started is history: retry with the next token.
 */
async function startJob(client: PanoramaClient, inputs: Props, region: string): Promise<StartedJob> {
  const baseToken: string = inputs.clientToken ?? "pulumi-" + canonicalHash(jobRequest(inputs));
  const startedAt = Date.now();
  const budgetSeconds = callBudget(inputs.waitOptions);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const token = attemptClientToken(baseToken, attempt);
    let jobId: string;
    try {
      // Safe to repeat: the same token and request answer the job the first call started, even
      // when that call's answer was lost on the way back.
      ({ JobId: jobId } = (await retryTransient(
        () => client.send(new CreatePackageImportJobCommand({ ...jobRequest(inputs), ClientToken: token } as any)),
        {
          budgetSeconds,
          onRetry: (e) => console.log(`${label(inputs)}: CreatePackageImportJob failed (${describeError(e)}); retrying with the same client token`),
        },
      )) as { JobId: string });
    } catch (e) {
      if (errorName(e) === "ConflictException")
        throw new Error(
          `${label(inputs)}: clientToken "${token}" was already used for a different import job ` +
            `(${(e as { ResourceId?: string }).ResourceId ?? "unknown id"}); choose another clientToken or leave it unset.`,
        );
      if (isTransientError(e))
        throw new Error(
          `${label(inputs)}: CreatePackageImportJob did not succeed within ${budgetSeconds}s: ${describeError(e)}. ` +
            `If one of the requests reached the service, the job exists; the next \`pulumi up\` re-adopts it through ` +
            `client token ${token} instead of starting another. Run \`pulumi up\` again once the service answers.`,
        );
      throw new Error(`${label(inputs)}: CreatePackageImportJob failed: ${describeError(e)}. Nothing was created; fix the cause and run \`pulumi up\` again.`);
    }
    const started = { ...outputsFrom(inputs, region, { JobId: jobId, ClientToken: token } as DescribePackageImportJobResponse), status: "PENDING" };
    const look = await firstLook(client, jobId, token, started, inputs.waitOptions, budgetSeconds);
    const job = look.job;
    // A brand-new job is never FAILED before this call began; one that is was started earlier.
    const preexisting = job.CreatedTime !== undefined && job.CreatedTime.getTime() < startedAt;
    if (job.Status === "FAILED" && preexisting) {
      console.log(`${label(inputs)}: earlier import job ${jobId} with these parameters FAILED (${job.StatusMessage}); starting a new one`);
      continue;
    }
    console.log(
      preexisting
        ? `${label(inputs)}: re-adopted import job ${jobId} (${job.Status}) started by an earlier run with the same client token`
        : `${label(inputs)}: started import job ${jobId} from ${s3Url(inputs)}`,
    );
    return look;
  }
  throw new Error(`${label(inputs)}: the last ${MAX_ATTEMPTS} import jobs with these parameters all FAILED; fix the package manifest at ${s3Url(inputs)}.`);
}

async function adoptJob(client: PanoramaClient, inputs: Props, region: string): Promise<DescribePackageImportJobResponse> {
  let job: DescribePackageImportJobResponse;
  try {
    job = await retryTransient(() => client.send(new DescribePackageImportJobCommand({ JobId: inputs.adoptJobId })), {
      budgetSeconds: callBudget(inputs.waitOptions),
    });
  } catch (e) {
    throw new Error(
      `adoptJobId: package import job ${inputs.adoptJobId} could not be read in ${region}: ${describeError(e)}. ` +
        `Check the job id and the region (the resource's \`region\` input or \`aws:region\`); list the region's jobs with ` +
        `\`aws panorama list-package-import-jobs --region ${region}\`.`,
    );
  }
  const actual = fromApi("DescribePackageImportJobResponse", job) as Props;
  for (const key of ["jobType", "inputConfig", "outputConfig", "jobTags"]) {
    if (inputs[key] !== undefined && canonicalJson(inputs[key]) !== canonicalJson(actual[key]))
      throw new Error(
        `adoptJobId: job ${inputs.adoptJobId} has ${key} ${canonicalJson(actual[key])}, but the program sets ${canonicalJson(inputs[key])}; ` +
          `remove ${key} from the program or make it match.`,
      );
  }
  console.log(`${RESOURCE}: adopted import job ${inputs.adoptJobId} (${job.Status})`);
  return job;
}

interface StartedJob {
  /** A DescribePackageImportJob answer, or a ListPackageImportJobs entry with the token used while the job is pending. */
  job: DescribePackageImportJobResponse;
  /** When waiting on it began; finish() goes on with the same backoff and deadline. */
  waitStartedAt?: number;
}

/**
 * The first status of a job just created. While waiting is on it is the wait's first check,
 * after minDelaySeconds (no job is done at once), and can share a ListPackageImportJobs page with
 * other jobs; if it cannot be read that way, a describe with its retries decides, as before.
 */
async function firstLook(
  client: PanoramaClient,
  jobId: string,
  token: string,
  started: Props,
  waitInput: WaitOptions | undefined,
  budgetSeconds: number,
): Promise<StartedJob> {
  const options = resolveWaitOptions(waitInput);
  if (options.enabled) {
    const waitStartedAt = Date.now();
    const look = await importJobScheduler(client)
      .waitFor({ id: jobId, options, once: true })
      .catch(() => undefined);
    if (look?.value) return { job: { ClientToken: token, ...look.value }, waitStartedAt };
  }
  return { job: await describe(client, jobId, started, budgetSeconds) };
}

/** Reads the job just created; `started` is what the stack records if that fails. */
async function describe(client: PanoramaClient, jobId: string, started: Props, budgetSeconds: number): Promise<DescribePackageImportJobResponse> {
  try {
    return await retryTransient(() => client.send(new DescribePackageImportJobCommand({ JobId: jobId })), { budgetSeconds });
  } catch (e) {
    // The job exists; record it (with everything `update` and `diff` need) so nothing is orphaned.
    throw new RecordedFailure(
      jobId,
      started,
      `Package import job ${jobId} was started but could not be read: ${describeError(e)}. ` +
        `It is recorded in the stack; fix the cause and run \`pulumi up\` again to resume.`,
    );
  }
}

/** Waits for the job (unless waiting is off) and returns the final outputs, or throws a RecordedFailure. */
async function finish(client: PanoramaClient, outs: Props, waitInput: WaitOptions | undefined, waitStartedAt?: number): Promise<Props> {
  const options = resolveWaitOptions(waitInput);
  const jobId: string = outs.jobId;
  let current = outs;
  if (options.enabled && !TERMINAL_STATUSES.includes(current.status)) {
    let lastLine = -Infinity;
    let lastStatus: string | undefined;
    let result;
    try {
      // Every job of the stack waits in this one process: the scheduler shares their checks.
      result = await importJobScheduler(client).waitFor({
        id: jobId,
        options,
        startedAt: waitStartedAt,
        onCheck: (job, elapsed, next) => {
          if (job.Status !== lastStatus || elapsed - lastLine >= PROGRESS_EVERY_MS) {
            lastLine = elapsed;
            lastStatus = job.Status;
            const more = next === undefined ? "" : `; next check in ${(next / 1000).toFixed(1)}s`;
            console.log(`${label(current)}: job ${jobId} ${job.Status} after ${(elapsed / 1000).toFixed(1)}s${more}`);
          }
        },
        onTransientError: (e, elapsed) =>
          console.log(`${label(current)}: job ${jobId} status check failed after ${(elapsed / 1000).toFixed(1)}s (${describeError(e)}); will retry`),
      });
    } catch (e) {
      throw new RecordedFailure(
        jobId,
        current,
        `Could not check package import job ${jobId}: ${describeError(e)}. The job is recorded in the stack ` +
          `as ${current.status}; fix the cause and run \`pulumi up\` again to resume waiting.`,
      );
    }
    if (result.value) current = withJob(current, result.value);
    if (!result.done) {
      const why = result.lastError ? ` (last check: ${describeError(result.lastError)})` : "";
      throw new RecordedFailure(
        jobId,
        current,
        `Package import job ${jobId} for ${target(current)} is still ${current.status} after ${options.timeoutSeconds}s ` +
          `(waitOptions.timeoutSeconds)${why}. It is recorded in the stack; run \`pulumi up\` again to resume ` +
          `waiting on the same job, or raise waitOptions.timeoutSeconds.`,
      );
    }
  }
  if (current.status === "FAILED") {
    throw new RecordedFailure(
      jobId,
      current,
      `Package import job ${jobId} for ${target(current)} FAILED: ${current.statusMessage || "no status message"}. ` +
        `Fix the package manifest at ${s3Url(current)} and run \`pulumi up\` again; the failed job stays recorded ` +
        `in the stack and is replaced by a new import job.`,
    );
  }
  if (current.status === "SUCCEEDED") {
    console.log(`${label(current)}: job ${jobId} SUCCEEDED: package ${current.packageId} version ${current.packageVersion} patch ${current.patchVersion}`);
    current = await withPackageVersion(client, current, callBudget(waitInput));
  }
  return current;
}

/** Adds the registered patch's ARN and owner account (for manifests); best effort. */
async function withPackageVersion(client: PanoramaClient, outs: Props, budgetSeconds: number): Promise<Props> {
  try {
    const v = await packageDetails(client, outs, budgetSeconds);
    return { ...outs, packageArn: v.PackageArn, ownerAccount: v.OwnerAccount, packageName: v.PackageName ?? outs.packageName };
  } catch (e) {
    console.log(`${label(outs)}: could not read package version details (${describeError(e)}); continuing without packageArn`);
    return outs;
  }
}

/**
 * ARN, owner account and name belong to the package, not to the patch: one DescribePackageVersion
 * per package serves every job importing into it (ten versions of one package, one call).
 */
const packageDetailsByClient = new WeakMap<PanoramaClient, Map<string, Promise<DescribePackageVersionResponse>>>();

function packageDetails(client: PanoramaClient, outs: Props, budgetSeconds: number): Promise<DescribePackageVersionResponse> {
  let byPackage = packageDetailsByClient.get(client);
  if (!byPackage) packageDetailsByClient.set(client, (byPackage = new Map()));
  let details = byPackage.get(outs.packageId);
  if (!details) {
    const request = { PackageId: outs.packageId, PackageVersion: outs.packageVersion, PatchVersion: outs.patchVersion };
    const known = byPackage;
    details = retryTransient(() => client.send(new DescribePackageVersionCommand(request)), { budgetSeconds });
    known.set(outs.packageId, details);
    details.catch(() => known.delete(outs.packageId)); // a failure is not remembered
  }
  return details;
}

/** One scheduler per client (account and region): every import job the process waits on shares it. */
const schedulers = new WeakMap<PanoramaClient, StatusScheduler<DescribePackageImportJobResponse>>();

function importJobScheduler(client: PanoramaClient): StatusScheduler<DescribePackageImportJobResponse> {
  let scheduler = schedulers.get(client);
  if (!scheduler) {
    scheduler = new StatusScheduler<DescribePackageImportJobResponse>(
      {
        describe: (id, background) => {
          const input = { JobId: id };
          return client.send(new DescribePackageImportJobCommand(background ? inBackground(input) : input));
        },
        // Newest first, 25 a page: the jobs this process started are on the first pages.
        list: async (nextToken) => {
          const page = await client.send(new ListPackageImportJobsCommand(inBackground({ NextToken: nextToken, MaxResults: LIST_PAGE_SIZE })));
          return { items: (page.PackageImportJobs ?? []) as DescribePackageImportJobResponse[], nextToken: page.NextToken };
        },
        pageSize: LIST_PAGE_SIZE,
        idOf: (job) => job.JobId,
        isTerminal: (job) => TERMINAL_STATUSES.includes(job.Status ?? ""),
        isTransient: isTransientError,
      },
      {
        coalesce: !/^(false|0|off|no)$/i.test(process.env[COALESCE_ENV] ?? ""),
        log: (line) => console.log(`${RESOURCE}: ${line}`),
      },
    );
    schedulers.set(client, scheduler);
  }
  return scheduler;
}

async function deregisterPatch(client: PanoramaClient, props: Props): Promise<void> {
  const request = { PackageId: props.packageId, PackageVersion: props.packageVersion, PatchVersion: props.patchVersion };
  const stays = `The job stays in the stack; fix the cause and run \`pulumi destroy\` again.`;
  try {
    // Safe to repeat: deregistering a patch that is already DELETING changes nothing.
    await retryTransient(() => client.send(new DeregisterPackageVersionCommand(request)), { budgetSeconds: callBudget(props.waitOptions) });
  } catch (e) {
    if (errorName(e) === "ResourceNotFoundException") return;
    throw new Error(
      `${label(props)}: could not deregister patch ${props.patchVersion} of package ${props.packageId} (job ${props.jobId}): ${describeError(e)}. ${stays}`,
    );
  }
  console.log(`${label(props)}: deregistering patch ${props.patchVersion}`);
  const result = await pollUntil({
    options: resolveWaitOptions(props.waitOptions),
    check: async () => {
      try {
        return (await client.send(new DescribePackageVersionCommand(request))).Status;
      } catch (e) {
        if (errorName(e) === "ResourceNotFoundException") return "GONE";
        throw e;
      }
    },
    isDone: (status) => status === "GONE",
    isTransient: isTransientError,
  });
  if (!result.done)
    throw new Error(
      `${label(props)}: patch ${props.patchVersion} of package ${props.packageId} (job ${props.jobId}) is still ${result.value ?? "not confirmed gone"} ` +
        `after the wait${result.lastError ? ` (last check: ${describeError(result.lastError)})` : ""}; run \`pulumi destroy\` again.`,
    );
}

/** Outputs for a freshly created or adopted job: the inputs, the job's fields and shortcuts. */
function outputsFrom(inputs: Props, region: string, job: DescribePackageImportJobResponse): Props {
  const outs: Props = {};
  for (const key of INPUTS) if (inputs[key] !== undefined) outs[key] = inputs[key];
  outs.__provider = inputs.__provider;
  outs.region = region;
  outs.requestedClientToken = inputs.clientToken;
  return withJob(outs, job);
}

/** Merges a DescribePackageImportJob answer into outputs; nothing known is ever dropped. */
export function withJob(outs: Props, job: DescribePackageImportJobResponse): Props {
  const described = fromApi("DescribePackageImportJobResponse", job) as Props;
  const merged: Props = { ...outs, ...described };
  const out = described.output ?? outs.output;
  merged.output = out;
  merged.packageName = described.outputConfig?.packageVersionOutputConfig?.packageName ?? outs.packageName;
  merged.packageVersion = out?.packageVersion ?? described.outputConfig?.packageVersionOutputConfig?.packageVersion ?? outs.packageVersion;
  merged.packageId = out?.packageId ?? outs.packageId;
  merged.patchVersion = out?.patchVersion ?? outs.patchVersion;
  merged.statusMessage = described.statusMessage ?? "";
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return merged;
}

/** How long one idempotent call is repeated on throttling, 5xx and network errors. */
function callBudget(waitOptions: WaitOptions | undefined): number {
  return callBudgetSeconds(resolveWaitOptions(waitOptions).timeoutSeconds);
}

function canonicalHash(request: Props): string {
  return createHash("sha256").update(canonicalJson(request)).digest("hex").slice(0, 40);
}

function target(p: Props): string {
  const out = p.outputConfig?.packageVersionOutputConfig ?? {};
  return `${out.packageName ?? p.packageName ?? "?"} ${out.packageVersion ?? p.packageVersion ?? "?"}`;
}

function label(p: Props): string {
  return `${RESOURCE} ${target(p)}`;
}

function s3Url(p: Props): string {
  const loc = p.inputConfig?.packageVersionInputConfig?.s3Location ?? {};
  return `s3://${loc.bucketName ?? "?"}/${loc.objectKey ?? "?"}`;
}
