// Starting an import job: CreatePackageImportJob with its deterministic token, or the job an
// interrupted run started with it while that job is still valid; then its first look.
import {
  CreatePackageImportJobCommand,
  DescribePackageImportJobCommand,
  DescribePackageImportJobResponse,
} from "@aws-sdk/client-panorama";
import { describeError, errorName, isTransientError } from "../calls/awsClients";
import { isThrottlingAnswer } from "../calls/requestBudget";
import { retryTransient } from "../calls/retry";
import { toApi } from "../lifecycle/apiShapes";
import { attemptClientToken, derivedValue } from "../lifecycle/derivedValues";
import { isNotFound } from "../lifecycle/notFound";
import { RecordedFailure } from "../lifecycle/recordedFailure";
import type { Started } from "../lifecycle/resourceHooks";
import type { Call, Props } from "../lifecycle/resourceSpec";
import { DEFAULT_JOB_TYPE, label, s3Url, withJob } from "./packageImportJobCalls";
import { packageDetails } from "./packageImportJobPatch";
import { importJobScheduler } from "./packageImportJobScheduler";

/** How many fresh tokens create tries when earlier jobs with the same parameters are history. */
const MAX_ATTEMPTS = 20;

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
export async function startJob(call: Call, inputs: Props, base: Props): Promise<Started> {
  const baseToken: string = inputs.clientToken ?? derivedValue(jobRequest(inputs));
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
      call.log(
        `${label(inputs)}: earlier import job ${jobId} with these parameters ${history}; starting a new one with the next client token`,
      );
      continue;
    }
    call.log(
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
    if (isNotFound(e))
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
          call.log(
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
        `${label(inputs)}: CreatePackageImportJob did not succeed within ${isThrottlingAnswer(e) ? `${call.wait.timeoutSeconds}s (${call.deadline}) of throttled answers` : `${call.budgetSeconds}s`}: ${describeError(e)}. ` +
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
      .waitFor({
        id: jobId,
        options: call.wait,
        once: true,
        signal: call.signal,
        log: (line) => call.log(`${label(started)}: ${line}`),
      })
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
      call.retry,
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
