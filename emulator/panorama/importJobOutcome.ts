// How a package import job ends (its creation and reads are in importJobs.ts): when it falls due
// it reads the node-package manifest from the emulator's S3 and either registers it as a new patch
// (PatchVersion = sha256 of the bytes, as panorama-cli computes it) or fails with a StatusMessage
// that names the object and the problem. The control API can end or set a job's status early.
import { checkNodePackageManifest } from "./nodePackageManifest";
import { PanoramaError } from "../protocol/errors";
import { ensureBucket, getObject, objectBody, putObject } from "../s3/store";
import { sha256Hex } from "../state/ids";
import { ImportJobRecord, ImportJobStatus } from "../state/records";
import { Runtime } from "../state/runtime";
import { DueTransition, dueTransitions } from "../state/timing";
import { PENDING_MESSAGE, SUCCEEDED_MESSAGE } from "./importJobs";
import { addPackage, findPackageByName } from "./packages";
import { registerImportedPatch } from "./packageVersions";
import { manifestKey } from "./storage";

/** Pending import jobs due by `now`. */
export function dueImportJobs(rt: Runtime, now: number): DueTransition[] {
  return dueTransitions(Object.values(rt.state.importJobs), now, (job, at) =>
    settleImportJob(rt, job, at),
  );
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
      manifest.nodes,
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
