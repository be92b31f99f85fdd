// Package import jobs (reference §6; the behaviour is undocumented by AWS, our choices are in
// ASSUMPTIONS.md). A job reads a node-package manifest from the emulator's S3, and when it
// settles it either registers the manifest as a new patch (PatchVersion = sha256 of the bytes, as
// panorama-cli computes it) or fails with a StatusMessage that names the object and the problem.
import { canonicalJson } from "../../model/canonicalJson";
import { epochSeconds } from "../protocol/restJson";
import { conflict, notFound, PanoramaError, validationError } from "../protocol/errors";
import { newId, sha256Hex } from "../state/ids";
import { checkNodePackageManifest } from "../nodePackageManifest";
import { paginate } from "../protocol/pagination";
import { addPackage, findPackageByName } from "./packages";
import { registerImportedPatch } from "./packageVersions";
import { Runtime } from "../state/runtime";
import { ensureBucket, getObject, objectBody, putObject } from "../s3/store";
import { ImportJobRecord, ImportJobStatus } from "../state/records";
import { byCreation, nextSequence } from "../state/state";
import { manifestKey } from "./storage";
import { dueAt, midpoint } from "../state/timing";

export const PENDING_MESSAGE = "The import job is pending.";
export const SUCCEEDED_MESSAGE = "The package version was imported.";

interface CreateInput {
  ClientToken: string;
  JobType: string;
  InputConfig: {
    PackageVersionInputConfig?: {
      S3Location: { BucketName: string; ObjectKey: string; Region?: string };
    };
  };
  OutputConfig: {
    PackageVersionOutputConfig?: {
      PackageName: string;
      PackageVersion: string;
      MarkLatest?: boolean;
    };
  };
  JobTags?: { ResourceType: string; Tags: Record<string, string> }[];
}

export function createPackageImportJob(rt: Runtime, input: CreateInput) {
  // Both wrappers are optional in the model, but a job means nothing without them.
  const missing = [
    !input.InputConfig.PackageVersionInputConfig && "InputConfig.PackageVersionInputConfig",
    !input.OutputConfig.PackageVersionOutputConfig && "OutputConfig.PackageVersionOutputConfig",
  ].filter((p): p is string => !!p);
  if (missing.length)
    throw validationError(missing.map((path) => ({ path, rule: "Member must not be null" })));

  const fingerprint = canonicalJson({
    JobType: input.JobType,
    InputConfig: input.InputConfig,
    OutputConfig: {
      PackageVersionOutputConfig: {
        ...input.OutputConfig.PackageVersionOutputConfig,
        MarkLatest: !!input.OutputConfig.PackageVersionOutputConfig!.MarkLatest,
      },
    },
    JobTags: input.JobTags ?? [],
  });
  const previousId = rt.state.clientTokens[input.ClientToken];
  if (previousId) {
    if (rt.state.importJobs[previousId]?.fingerprint === fingerprint) return { JobId: previousId };
    throw conflict(
      "PackageImportJob",
      previousId,
      `ClientToken ${input.ClientToken} was already used for import job ${previousId} with different parameters. Use a new ClientToken for a different request.`,
      { ClientToken: input.ClientToken },
    );
  }

  const now = rt.clock.now();
  const due = dueAt(rt.timing.importJob, now, rt.random);
  const job: ImportJobRecord = {
    jobId: newId("packageImportJob"),
    sequence: nextSequence(rt.state),
    clientToken: input.ClientToken,
    fingerprint,
    jobType: input.JobType,
    inputConfig: input.InputConfig,
    outputConfig: input.OutputConfig,
    jobTags: input.JobTags,
    createdAt: now,
    lastUpdatedAt: now,
    status: "PENDING",
    statusMessage: PENDING_MESSAGE,
    transition: { startedAt: now, midAt: midpoint(now, due), dueAt: due },
  };
  rt.state.importJobs[job.jobId] = job;
  rt.state.clientTokens[input.ClientToken] = job.jobId;
  rt.log(`import job ${job.jobId} PENDING`);
  return { JobId: job.jobId };
}

export function describePackageImportJob(rt: Runtime, input: { JobId: string }) {
  const job = findImportJob(rt, input.JobId);
  return {
    JobId: job.jobId,
    ClientToken: job.clientToken,
    JobType: job.jobType,
    InputConfig: job.inputConfig,
    OutputConfig: job.outputConfig,
    Output: job.output,
    CreatedTime: epochSeconds(job.createdAt),
    LastUpdatedTime: epochSeconds(job.lastUpdatedAt),
    Status: job.status,
    StatusMessage: job.statusMessage,
    JobTags: job.jobTags,
  };
}

export function listPackageImportJobs(
  rt: Runtime,
  input: { MaxResults?: number; NextToken?: string },
) {
  const all = Object.values(rt.state.importJobs).sort(byCreation).reverse();
  const page = paginate("ListPackageImportJobs", all, (j) => j.jobId, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
  });
  return {
    PackageImportJobs: page.items.map((j) => ({
      JobId: j.jobId,
      JobType: j.jobType,
      Status: j.status,
      StatusMessage: j.statusMessage,
      CreatedTime: epochSeconds(j.createdAt),
      LastUpdatedTime: epochSeconds(j.lastUpdatedAt),
    })),
    NextToken: page.nextToken,
  };
}

export function findImportJob(rt: Runtime, jobId: string): ImportJobRecord {
  const job = rt.state.importJobs[jobId];
  if (!job) throw notFound("PackageImportJob", jobId, `Package import job ${jobId} was not found.`);
  return job;
}

/** Ends a pending job at time `at`: its natural outcome, or FAILED with `failure` (control API). */
export function settleImportJob(
  rt: Runtime,
  job: ImportJobRecord,
  at: number,
  failure?: string,
): void {
  job.transition = undefined;
  job.lastUpdatedAt = at;
  const problem = failure ?? importProblemOrRegister(rt, job, at);
  if (problem) {
    job.status = "FAILED";
    job.statusMessage = problem;
    rt.log(`import job ${job.jobId} FAILED: ${problem}`);
  } else {
    job.status = "SUCCEEDED";
    job.statusMessage = SUCCEEDED_MESSAGE;
    rt.log(`import job ${job.jobId} SUCCEEDED (patch ${job.output!.PatchVersion})`);
  }
}

/** Sets a job's status as given, without side effects (control API, for refresh tests). */
export function forceImportJobStatus(
  rt: Runtime,
  job: ImportJobRecord,
  status: ImportJobStatus,
  message?: string,
): void {
  job.transition =
    status === "PENDING" ? { startedAt: rt.clock.now(), midAt: null, dueAt: null } : undefined;
  job.status = status;
  job.statusMessage =
    message ??
    (status === "PENDING"
      ? PENDING_MESSAGE
      : status === "SUCCEEDED"
        ? SUCCEEDED_MESSAGE
        : "The import job failed.");
  job.lastUpdatedAt = rt.clock.now();
}

/** Returns why the import fails, or performs it (package, patch, manifest copy) and returns undefined. */
function importProblemOrRegister(
  rt: Runtime,
  job: ImportJobRecord,
  at: number,
): string | undefined {
  const source = job.inputConfig.PackageVersionInputConfig.S3Location as {
    BucketName: string;
    ObjectKey: string;
  };
  const target = job.outputConfig.PackageVersionOutputConfig as {
    PackageName: string;
    PackageVersion: string;
    MarkLatest?: boolean;
  };
  const where = `s3://${source.BucketName}/${source.ObjectKey}`;
  if (job.jobType !== "NODE_PACKAGE_VERSION")
    return `Job type ${job.jobType} is not supported by the emulator; use NODE_PACKAGE_VERSION.`;
  if (!rt.state.buckets[source.BucketName])
    return `Unable to read the package manifest at ${where}: the bucket ${source.BucketName} does not exist.`;
  const object = getObject(rt.state, source.BucketName, source.ObjectKey);
  if (!object) return `Unable to read the package manifest at ${where}: the object does not exist.`;
  const body = objectBody(rt, object);
  const check = checkNodePackageManifest(body);
  if (!check.ok) return `The package manifest at ${where} is invalid: ${check.problem}.`;
  const { manifest } = check;
  if (manifest.name !== target.PackageName)
    return `The package manifest at ${where} has nodePackage.name "${manifest.name}", but OutputConfig.PackageVersionOutputConfig.PackageName is "${target.PackageName}".`;
  if (manifest.version !== target.PackageVersion)
    return `The package manifest at ${where} has nodePackage.version "${manifest.version}", but OutputConfig.PackageVersionOutputConfig.PackageVersion is "${target.PackageVersion}".`;

  const tags = Object.assign(
    {},
    ...(job.jobTags ?? []).filter((t) => t.ResourceType === "PACKAGE").map((t) => t.Tags),
  );
  const patch = sha256Hex(body);
  try {
    let pkg = findPackageByName(rt, target.PackageName);
    if (pkg) Object.assign(pkg.tags, tags);
    else pkg = addPackage(rt, target.PackageName, tags, at);
    registerImportedPatch(
      rt,
      pkg,
      target.PackageVersion,
      patch,
      !!target.MarkLatest,
      manifest.interfaces,
      at,
    );
    const key = manifestKey(pkg.storageLocation, target.PackageVersion, patch);
    ensureBucket(rt.state, pkg.storageLocation.Bucket, at);
    putObject(
      rt,
      pkg.storageLocation.Bucket,
      key,
      { data: body, contentType: "application/json" },
      at,
    );
    job.output = {
      PackageId: pkg.packageId,
      PackageVersion: target.PackageVersion,
      PatchVersion: patch,
      OutputS3Location: { BucketName: pkg.storageLocation.Bucket, ObjectKey: key },
    };
    return undefined;
  } catch (e) {
    if (e instanceof PanoramaError) return e.message;
    throw e;
  }
}
