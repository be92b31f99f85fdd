// Package versions and their patches: RegisterPackageVersion (REGISTER_PENDING → REGISTER_COMPLETED
// | FAILED), DeregisterPackageVersion (DELETING → gone), DescribePackageVersion (a given patch, or
// the version's latest), and the "latest patch" bookkeeping shared with import jobs.
import { epochSeconds, statusDescription } from "../protocol/restJson";
import { conflict, invalidField, notFound, quotaExceeded } from "../protocol/errors";
import { checkNodePackageManifest } from "./nodePackageManifest";
import { resolvePackage } from "./packages";
import { Runtime } from "../state/runtime";
import { getObject, objectBody } from "../s3/store";
import { NodeInterfaceRecord } from "../state/nodeInterfaces";
import { PackageRecord, PatchRecord } from "../state/records";
import { patchKey, versionKey } from "../state/state";
import { manifestKey } from "./storage";
import { dueAt, DueTransition, dueTransitions, midpoint } from "../state/timing";

interface PatchInput {
  PackageId: string;
  PackageVersion: string;
  PatchVersion: string;
  OwnerAccount?: string;
}

export function registerPackageVersion(rt: Runtime, input: PatchInput & { MarkLatest?: boolean }) {
  checkOwner(rt, input.OwnerAccount);
  const pkg = resolvePackage(rt, input.PackageId);
  const key = patchKey(pkg.packageId, input.PackageVersion, input.PatchVersion);
  const existing = rt.state.patches[key];
  const now = rt.clock.now();
  if (existing?.status === "DELETING")
    throw conflict(
      "PackageVersion",
      key,
      `Patch ${input.PatchVersion} of ${pkg.packageName} ${input.PackageVersion} is being deregistered; wait until it is gone.`,
    );
  if (existing?.status === "REGISTER_COMPLETED") {
    // Re-registering is how clients mark an existing patch as latest (CloudFormation does this).
    if (input.MarkLatest) setLatest(rt, existing);
    return {};
  }
  if (existing?.status === "REGISTER_PENDING") {
    existing.markLatest ||= !!input.MarkLatest;
    return {};
  }
  if (!existing) checkPatchQuota(rt, pkg);
  const due = dueAt(rt.timing.packageVersion, now, rt.random);
  rt.state.patches[key] = {
    packageId: pkg.packageId,
    packageVersion: input.PackageVersion,
    patchVersion: input.PatchVersion,
    status: "REGISTER_PENDING",
    statusDescription: "Registration of the patch version is in progress.",
    markLatest: !!input.MarkLatest,
    interfaces: [],
    transition: { kind: "register", startedAt: now, midAt: midpoint(now, due), dueAt: due },
  };
  return {};
}

export function deregisterPackageVersion(
  rt: Runtime,
  input: PatchInput & { UpdatedLatestPatchVersion?: string },
) {
  checkOwner(rt, input.OwnerAccount);
  const pkg = resolvePackage(rt, input.PackageId);
  const record = findPatch(rt, pkg, input.PackageVersion, input.PatchVersion);
  if (record.status === "DELETING") return {};
  const vkey = versionKey(pkg.packageId, input.PackageVersion);
  if (input.UpdatedLatestPatchVersion !== undefined) {
    const next =
      rt.state.patches[
        patchKey(pkg.packageId, input.PackageVersion, input.UpdatedLatestPatchVersion)
      ];
    if (!next || next.status !== "REGISTER_COMPLETED" || next === record)
      throw invalidField(
        "UpdatedLatestPatchVersion",
        `UpdatedLatestPatchVersion ${input.UpdatedLatestPatchVersion} must be another registered (REGISTER_COMPLETED) patch of ${pkg.packageName} ${input.PackageVersion}.`,
      );
    rt.state.latestPatches[vkey] = next.patchVersion;
  } else if (rt.state.latestPatches[vkey] === record.patchVersion) {
    delete rt.state.latestPatches[vkey];
  }
  const now = rt.clock.now();
  const due = dueAt(rt.timing.packageVersion, now, rt.random);
  record.status = "DELETING";
  record.statusDescription = "The patch version is being deregistered.";
  record.transition = { kind: "deregister", startedAt: now, midAt: midpoint(now, due), dueAt: due };
  return {};
}

export function describePackageVersion(rt: Runtime, input: PatchInput & { PatchVersion?: string }) {
  checkOwner(rt, input.OwnerAccount);
  const pkg = resolvePackage(rt, input.PackageId);
  let patch = input.PatchVersion;
  if (patch === undefined) {
    patch = rt.state.latestPatches[versionKey(pkg.packageId, input.PackageVersion)];
    if (patch === undefined)
      throw notFound(
        "PackageVersion",
        `${pkg.packageId}/${input.PackageVersion}`,
        `Package ${pkg.packageName} has no latest patch for version ${input.PackageVersion}.`,
      );
  }
  const r = findPatch(rt, pkg, input.PackageVersion, patch);
  return {
    OwnerAccount: rt.options.accountId,
    PackageId: pkg.packageId,
    PackageArn: pkg.arn,
    PackageName: pkg.packageName,
    PackageVersion: r.packageVersion,
    PatchVersion: r.patchVersion,
    IsLatestPatch: isLatest(rt, r),
    Status: r.status,
    StatusDescription: r.statusDescription,
    RegisteredTime: r.registeredAt === undefined ? undefined : epochSeconds(r.registeredAt),
  };
}

/** Registers a patch at once (the import job already took its time) and moves "latest" if due. */
export function registerImportedPatch(
  rt: Runtime,
  pkg: PackageRecord,
  version: string,
  patch: string,
  markLatest: boolean,
  nodes: NodeInterfaceRecord[],
  at: number,
): void {
  const key = patchKey(pkg.packageId, version, patch);
  if (!rt.state.patches[key]) checkPatchQuota(rt, pkg);
  const record: PatchRecord = {
    packageId: pkg.packageId,
    packageVersion: version,
    patchVersion: patch,
    status: "REGISTER_COMPLETED",
    registeredAt: at,
    markLatest,
    interfaces: nodes.map((n) => n.name),
    nodes,
  };
  rt.state.patches[key] = record;
  applyLatestRule(rt, record);
}

/** Pending registrations and deregistrations due by `now`. */
export function duePatches(rt: Runtime, now: number): DueTransition[] {
  return dueTransitions(Object.values(rt.state.patches), now, (r, at) => settlePatch(rt, r, at));
}

/** Finishes a pending registration or deregistration; `failure` forces FAILED (control API). */
export function settlePatch(rt: Runtime, r: PatchRecord, at: number, failure?: string): void {
  const kind = r.transition?.kind;
  r.transition = undefined;
  const key = patchKey(r.packageId, r.packageVersion, r.patchVersion);
  const pkg = rt.state.packages[r.packageId];
  if (kind === "deregister" || !pkg) {
    delete rt.state.patches[key];
    rt.log(`patch ${key} deregistered`);
    return;
  }
  const problem = failure ?? registrationProblem(rt, pkg, r);
  if (problem) {
    r.status = "FAILED";
    r.statusDescription = statusDescription(problem);
    rt.log(`patch ${key} FAILED: ${problem}`);
    return;
  }
  r.status = "REGISTER_COMPLETED";
  r.statusDescription = undefined;
  r.registeredAt = at;
  applyLatestRule(rt, r);
  rt.log(`patch ${key} REGISTER_COMPLETED`);
}

/** Registration reads the manifest where panorama-cli uploads it: <ManifestPrefix>/<version>/<patch>.json. */
function registrationProblem(rt: Runtime, pkg: PackageRecord, r: PatchRecord): string | undefined {
  const bucket = pkg.storageLocation.Bucket;
  const key = manifestKey(pkg.storageLocation, r.packageVersion, r.patchVersion);
  const where = `s3://${bucket}/${key}`;
  const object = getObject(rt.state, bucket, key);
  if (!object)
    return `Package manifest not found at ${where}. Upload package.json there, then register again.`;
  const check = checkNodePackageManifest(objectBody(rt, object));
  if (!check.ok) return `The package manifest at ${where} is invalid: ${check.problem}.`;
  if (check.manifest.name !== pkg.packageName)
    return `The package manifest at ${where} names package ${check.manifest.name}, not ${pkg.packageName}.`;
  if (check.manifest.version !== r.packageVersion)
    return `The package manifest at ${where} has version ${check.manifest.version}, not ${r.packageVersion}.`;
  r.interfaces = check.manifest.interfaces;
  r.nodes = check.manifest.nodes;
  return undefined;
}

/** Latest moves to a newly registered patch when it asked for it, or when the version has none yet. */
function applyLatestRule(rt: Runtime, r: PatchRecord): void {
  const vkey = versionKey(r.packageId, r.packageVersion);
  if (r.markLatest || rt.state.latestPatches[vkey] === undefined) setLatest(rt, r);
}

function setLatest(rt: Runtime, r: PatchRecord): void {
  rt.state.latestPatches[versionKey(r.packageId, r.packageVersion)] = r.patchVersion;
}

export function isLatest(rt: Runtime, r: PatchRecord): boolean {
  return rt.state.latestPatches[versionKey(r.packageId, r.packageVersion)] === r.patchVersion;
}

export function findPatch(
  rt: Runtime,
  pkg: PackageRecord,
  version: string,
  patch: string,
): PatchRecord {
  const key = patchKey(pkg.packageId, version, patch);
  const r = rt.state.patches[key];
  if (!r)
    throw notFound(
      "PackageVersion",
      key,
      `Patch ${patch} of package ${pkg.packageName} version ${version} is not registered.`,
    );
  return r;
}

function checkPatchQuota(rt: Runtime, pkg: PackageRecord): void {
  const n = Object.values(rt.state.patches).filter((p) => p.packageId === pkg.packageId).length;
  if (n >= rt.options.quotas.patchesPerPackage)
    throw quotaExceeded(
      "PackageVersionsPerPackage",
      `You've reached the maximum number of versions for package ${pkg.packageName}. Deregister unused package versions and try again.`,
      { id: pkg.packageId, type: "Package" },
    );
}

function checkOwner(rt: Runtime, owner: string | undefined): void {
  if (owner !== undefined && owner !== rt.options.accountId)
    throw invalidField(
      "OwnerAccount",
      `OwnerAccount ${owner} is not this account (${rt.options.accountId}).`,
    );
}
