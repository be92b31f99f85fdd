// Camera-node template jobs: CreateNodeFromTemplateJob, DescribeNodeFromTemplateJob and
// ListNodeFromTemplateJobs (reference panorama-api-nodes-jobs.md S2). The parameters are secrets:
// Username and Password are kept only as digests and read back as SAVED_AS_SECRET, as AWS
// answers; StreamUrl is kept sealed and read back in clear, as AWS answers (state/secrets.ts).
// How a job ends is in templateJobOutcome.ts; our choices are in ASSUMPTIONS.md (N1-N8).
import { randomUUID } from "crypto";
import { conflict, invalidField, notFound } from "../protocol/errors";
import { paginate } from "../protocol/pagination";
import { epochSeconds } from "../protocol/restJson";
import { StoredParameter, TemplateJobRecord } from "../state/nodeRecords";
import { Runtime } from "../state/runtime";
import { digestSecret } from "../state/secrets";
import { byCreation, nextSequence } from "../state/state";
import { dueAt, midpoint } from "../state/timing";
import { findPackageByName } from "./packages";

export const TEMPLATE_PENDING_MESSAGE = "The node is being created from the template.";
export const TEMPLATE_SUCCEEDED_MESSAGE = "The node was created from the template.";
/** What AWS answers for a parameter it saved in Secrets Manager. */
export const SAVED_AS_SECRET = "SAVED_AS_SECRET";

/** RTSP_CAMERA_STREAM parameters: which are write-only, which must be given. */
const CAMERA_PARAMETERS: Record<string, { writeOnly: boolean; required: boolean }> = {
  StreamUrl: { writeOnly: false, required: true },
  Username: { writeOnly: true, required: false },
  Password: { writeOnly: true, required: false },
};
const STREAM_URL = /^rtsps?:\/\/[^\s/]+/;

interface CreateInput {
  TemplateType: string;
  OutputPackageName: string;
  OutputPackageVersion: string;
  NodeName: string;
  NodeDescription?: string;
  TemplateParameters: Record<string, string>;
  JobTags?: { ResourceType: string; Tags: Record<string, string> }[];
}

export function createNodeFromTemplateJob(rt: Runtime, input: CreateInput) {
  const parameters = storedParameters(rt, input.TemplateParameters);
  const busy = templateTargetInUse(rt, input.OutputPackageName, input.OutputPackageVersion);
  if (busy)
    throw conflict(
      "NodeFromTemplateJob",
      busy.id,
      `${input.OutputPackageName} ${input.OutputPackageVersion} ${busy.why}. Choose another OutputPackageName or OutputPackageVersion, or delete the package first.`,
      {
        OutputPackageName: input.OutputPackageName,
        OutputPackageVersion: input.OutputPackageVersion,
      },
    );
  const now = rt.clock.now();
  const due = dueAt(rt.timing.templateJob, now, rt.random);
  const job: TemplateJobRecord = {
    jobId: randomUUID(),
    sequence: nextSequence(rt.state),
    templateType: input.TemplateType,
    outputPackageName: input.OutputPackageName,
    outputPackageVersion: input.OutputPackageVersion,
    nodeName: input.NodeName,
    nodeDescription: input.NodeDescription,
    parameters,
    jobTags: input.JobTags,
    createdAt: now,
    lastUpdatedAt: now,
    status: "PENDING",
    statusMessage: TEMPLATE_PENDING_MESSAGE,
    transition: { startedAt: now, midAt: midpoint(now, due), dueAt: due },
  };
  rt.state.templateJobs[job.jobId] = job;
  rt.log(
    `template job ${job.jobId} PENDING (${job.outputPackageName} ${job.outputPackageVersion})`,
  );
  return { JobId: job.jobId };
}

/** Checks the parameters of the template and stores each as a secret; never echoes a value. */
function storedParameters(
  rt: Runtime,
  given: Record<string, string>,
): Record<string, StoredParameter> {
  const at = (key: string) => `TemplateParameters.${key}`;
  for (const key of Object.keys(given))
    if (!Object.hasOwn(CAMERA_PARAMETERS, key))
      throw invalidField(
        at(key),
        `${key} is not a parameter of RTSP_CAMERA_STREAM; use ${Object.keys(CAMERA_PARAMETERS).join(", ")}.`,
      );
  for (const [key, rule] of Object.entries(CAMERA_PARAMETERS))
    if (rule.required && given[key] === undefined)
      throw invalidField(at(key), `RTSP_CAMERA_STREAM needs the ${key} parameter.`);
  if (!STREAM_URL.test(given.StreamUrl))
    throw invalidField(
      at("StreamUrl"),
      "StreamUrl must be an rtsp:// or rtsps:// URL with a host (the value is not shown: it is secret).",
    );
  const out: Record<string, StoredParameter> = Object.create(null);
  for (const [key, value] of Object.entries(given))
    out[key] = CAMERA_PARAMETERS[key].writeOnly
      ? { digest: digestSecret(value) }
      : { sealed: rt.secrets.seal(value) };
  return out;
}

/** Why a template job cannot make this package version: it exists, or another job is making it. */
function templateTargetInUse(
  rt: Runtime,
  name: string,
  version: string,
): { id: string; why: string } | undefined {
  const pending = Object.values(rt.state.templateJobs).find(
    (j) =>
      j.status === "PENDING" && j.outputPackageName === name && j.outputPackageVersion === version,
  );
  if (pending)
    return { id: pending.jobId, why: `is being created by template job ${pending.jobId}` };
  const pkg = findPackageByName(rt, name);
  if (
    pkg &&
    Object.values(rt.state.patches).some(
      (p) => p.packageId === pkg.packageId && p.packageVersion === version,
    )
  )
    return { id: pkg.packageId, why: `already exists (package ${pkg.packageId})` };
  return undefined;
}

export function describeNodeFromTemplateJob(rt: Runtime, input: { JobId: string }) {
  const job = findTemplateJob(rt, input.JobId);
  return {
    JobId: job.jobId,
    Status: job.status,
    StatusMessage: job.statusMessage,
    CreatedTime: epochSeconds(job.createdAt),
    LastUpdatedTime: epochSeconds(job.lastUpdatedAt),
    OutputPackageName: job.outputPackageName,
    OutputPackageVersion: job.outputPackageVersion,
    NodeName: job.nodeName,
    NodeDescription: job.nodeDescription,
    TemplateType: job.templateType,
    TemplateParameters: shownParameters(rt, job),
    JobTags: job.jobTags,
  };
}

function shownParameters(rt: Runtime, job: TemplateJobRecord): Record<string, string> {
  return Object.fromEntries(
    Object.entries(job.parameters).map(([key, p]) => [
      key,
      "sealed" in p ? rt.secrets.open(p.sealed) : SAVED_AS_SECRET,
    ]),
  );
}

export function listNodeFromTemplateJobs(
  rt: Runtime,
  input: { MaxResults?: number; NextToken?: string },
) {
  const all = Object.values(rt.state.templateJobs).sort(byCreation).reverse();
  const page = paginate("ListNodeFromTemplateJobs", all, (j) => j.jobId, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
  });
  return {
    NodeFromTemplateJobs: page.items.map((j) => ({
      JobId: j.jobId,
      TemplateType: j.templateType,
      Status: j.status,
      StatusMessage: j.statusMessage,
      CreatedTime: epochSeconds(j.createdAt),
      NodeName: j.nodeName,
    })),
    NextToken: page.nextToken,
  };
}

export function findTemplateJob(rt: Runtime, jobId: string): TemplateJobRecord {
  const job = rt.state.templateJobs[jobId];
  if (!job) throw notFound("NodeFromTemplateJob", jobId, `Template job ${jobId} was not found.`);
  return job;
}
