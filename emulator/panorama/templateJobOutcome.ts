// How a camera-node template job ends (its creation and reads are in templateJobs.ts): when it
// falls due it makes the node package version a camera is — the package (created if missing,
// tagged with the job's PACKAGE tags), one patch registered at once and marked latest, its
// manifest in the package's storage — so ListNodes, DescribeNode, DescribePackageVersion and a
// graph's overrides can use it. A quota it hits fails the job with the service's message. The
// control API can end or set a job's status early.
import { PanoramaError } from "../protocol/errors";
import { ensureBucket, putObject } from "../s3/store";
import { sha256Hex } from "../state/ids";
import { TemplateJobRecord, TemplateJobStatus } from "../state/nodeRecords";
import { Runtime } from "../state/runtime";
import { DueTransition, dueTransitions } from "../state/timing";
import { checkNodePackageManifest } from "./nodePackageManifest";
import { addPackage, findPackageByName } from "./packages";
import { registerImportedPatch } from "./packageVersions";
import { manifestKey } from "./storage";
import { TEMPLATE_PENDING_MESSAGE, TEMPLATE_SUCCEEDED_MESSAGE } from "./templateJobs";

export const TEMPLATE_FAILED_MESSAGE = "The node could not be created from the template.";

/** Pending template jobs due by `now`. */
export function dueTemplateJobs(rt: Runtime, now: number): DueTransition[] {
  return dueTransitions(Object.values(rt.state.templateJobs), now, (job, at) =>
    settleTemplateJob(rt, job, at),
  );
}

/** Ends a pending job at time `at`: its natural outcome, or FAILED with `failure` (control API). */
export function settleTemplateJob(
  rt: Runtime,
  job: TemplateJobRecord,
  at: number,
  failure?: string,
): void {
  job.transition = undefined;
  job.lastUpdatedAt = at;
  const problem = failure ?? problemOrCreateNode(rt, job, at);
  job.status = problem ? "FAILED" : "SUCCEEDED";
  job.statusMessage = problem ?? TEMPLATE_SUCCEEDED_MESSAGE;
  rt.log(`template job ${job.jobId} ${job.status}${problem ? `: ${problem}` : ""}`);
}

/** Sets a job's status as given, without side effects (control API, for refresh tests). */
export function forceTemplateJobStatus(
  rt: Runtime,
  job: TemplateJobRecord,
  status: TemplateJobStatus,
  message?: string,
): void {
  job.transition =
    status === "PENDING" ? { startedAt: rt.clock.now(), midAt: null, dueAt: null } : undefined;
  job.status = status;
  job.statusMessage =
    message ??
    {
      PENDING: TEMPLATE_PENDING_MESSAGE,
      SUCCEEDED: TEMPLATE_SUCCEEDED_MESSAGE,
      FAILED: TEMPLATE_FAILED_MESSAGE,
    }[status];
  job.lastUpdatedAt = rt.clock.now();
}

/**
 * The node package an RTSP_CAMERA_STREAM job makes, shaped like panorama-cli's camera package:
 * one media_source interface named NodeName with the `system` RTSP source asset. It names the
 * parameters as ports but holds none of their values.
 */
export function cameraPackageManifest(job: TemplateJobRecord): string {
  return JSON.stringify(
    {
      nodePackage: {
        envelopeVersion: "2021-01-01",
        name: job.outputPackageName,
        version: job.outputPackageVersion,
        description: job.nodeDescription ?? job.nodeName,
        assets: [
          {
            name: "rtsp_camera_asset",
            implementations: [{ type: "system", assetUri: "source/video/camera/rtsp/source_rtsp" }],
          },
        ],
        interfaces: [
          {
            name: job.nodeName,
            category: "media_source",
            description: job.nodeDescription,
            asset: "rtsp_camera_asset",
            inputs: [
              { name: "username", type: "string" },
              { name: "password", type: "string" },
              { name: "streamUrl", type: "string" },
            ],
            outputs: [
              { name: "video_out", type: "media", description: "The camera's video frames." },
            ],
          },
        ],
      },
    },
    null,
    2,
  );
}

function problemOrCreateNode(rt: Runtime, job: TemplateJobRecord, at: number): string | undefined {
  const body = Buffer.from(cameraPackageManifest(job));
  const check = checkNodePackageManifest(body);
  if (!check.ok) return `The camera node's package is invalid: ${check.problem}.`;
  const tags = Object.assign(
    {},
    ...(job.jobTags ?? []).filter((t) => t.ResourceType === "PACKAGE").map((t) => t.Tags),
  );
  // Every job makes its own patch, so new credentials make a new patch a deployment notices.
  const patch = sha256Hex(Buffer.concat([Buffer.from(`${job.jobId}\n`), body]));
  try {
    let pkg = findPackageByName(rt, job.outputPackageName);
    if (pkg) Object.assign(pkg.tags, tags);
    else pkg = addPackage(rt, job.outputPackageName, tags, at);
    registerImportedPatch(rt, pkg, job.outputPackageVersion, patch, true, check.manifest.nodes, at);
    ensureBucket(rt.state, pkg.storageLocation.Bucket, at);
    putObject(
      rt,
      pkg.storageLocation.Bucket,
      manifestKey(pkg.storageLocation, job.outputPackageVersion, patch),
      { data: body, contentType: "application/json" },
      at,
    );
    job.output = { packageId: pkg.packageId, patchVersion: patch };
    return undefined;
  } catch (e) {
    if (e instanceof PanoramaError) return e.message;
    throw e;
  }
}
