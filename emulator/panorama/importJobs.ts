// Package import jobs: CreatePackageImportJob (idempotent on its ClientToken), DescribePackage-
// ImportJob and ListPackageImportJobs (reference §6; AWS does not document the behaviour, our
// choices are in ASSUMPTIONS.md). How a job ends is in importJobOutcome.ts.
import { canonicalJson } from "../../model/canonicalJson";
import { conflict, notFound, validationError } from "../protocol/errors";
import { paginate } from "../protocol/pagination";
import { epochSeconds } from "../protocol/restJson";
import { newId } from "../state/ids";
import { ImportJobRecord } from "../state/records";
import { Runtime } from "../state/runtime";
import { byCreation, nextSequence } from "../state/state";
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
