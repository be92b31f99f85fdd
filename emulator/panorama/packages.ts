// Packages: CreatePackage, DescribePackage (also by `packageName/<name>`), ListPackages,
// DeletePackage. A package owns a storage location in the emulator's S3 (storage.ts).
import { epochSeconds } from "../protocol/restJson";
import { conflict, notFound, quotaExceeded } from "../protocol/errors";
import { arn, newId } from "../state/ids";
import { paginate } from "../protocol/pagination";
import { Runtime } from "../state/runtime";
import { deleteObjectsUnder, hasObjectsUnder } from "../s3/store";
import { PackageRecord, Tags } from "../state/records";
import { byCreation, nextSequence } from "../state/state";
import { storageLocation } from "./storage";

const NAME_ALIAS = "packageName/";

export function createPackage(rt: Runtime, input: { PackageName: string; Tags?: Tags }) {
  const existing = findPackageByName(rt, input.PackageName);
  if (existing)
    throw conflict(
      "Package",
      existing.packageId,
      `A package named ${input.PackageName} already exists: ${existing.packageId}.`,
      {
        PackageName: input.PackageName,
      },
    );
  const p = addPackage(rt, input.PackageName, input.Tags ?? {});
  return { PackageId: p.packageId, Arn: p.arn, StorageLocation: p.storageLocation };
}

/** Creates the record; also used when an import job targets a package that does not exist yet. */
export function addPackage(
  rt: Runtime,
  name: string,
  tags: Tags,
  createdAt = rt.clock.now(),
): PackageRecord {
  const count = Object.keys(rt.state.packages).length;
  if (count >= rt.options.quotas.packages)
    throw quotaExceeded(
      "NodePackages",
      `You've reached the maximum number of packages (${rt.options.quotas.packages}). Delete unused packages and try again.`,
    );
  const packageId = newId("package");
  const record: PackageRecord = {
    packageId,
    sequence: nextSequence(rt.state),
    packageName: name,
    arn: arn(rt.options.region, rt.options.accountId, "package", packageId),
    storageLocation: storageLocation(rt.options.accountId, name),
    createdAt,
    tags: { ...tags },
  };
  rt.state.packages[packageId] = record;
  rt.log(`package ${packageId} (${name}) created`);
  return record;
}

export function findPackageByName(rt: Runtime, name: string): PackageRecord | undefined {
  return Object.values(rt.state.packages).find((p) => p.packageName === name);
}

/** Looks a package up by id or by the `packageName/<name>` alias panorama-cli uses. */
export function resolvePackage(rt: Runtime, packageId: string): PackageRecord {
  const found = packageId.startsWith(NAME_ALIAS)
    ? findPackageByName(rt, packageId.slice(NAME_ALIAS.length))
    : rt.state.packages[packageId];
  if (!found) throw notFound("Package", packageId, `Package ${packageId} was not found.`);
  return found;
}

export function describePackage(rt: Runtime, input: { PackageId: string }) {
  const p = resolvePackage(rt, input.PackageId);
  return {
    PackageId: p.packageId,
    PackageName: p.packageName,
    Arn: p.arn,
    StorageLocation: p.storageLocation,
    CreatedTime: epochSeconds(p.createdAt),
    Tags: p.tags,
  };
}

export function listPackages(rt: Runtime, input: { MaxResults?: number; NextToken?: string }) {
  const all = Object.values(rt.state.packages).sort(byCreation);
  const page = paginate("ListPackages", all, (p) => p.packageId, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
  });
  return {
    Packages: page.items.map((p) => ({
      PackageId: p.packageId,
      PackageName: p.packageName,
      Arn: p.arn,
      CreatedTime: epochSeconds(p.createdAt),
      Tags: p.tags,
    })),
    NextToken: page.nextToken,
  };
}

/**
 * Without ForceDelete a package that still has registered patch versions or artifacts in its
 * storage location is refused with 409; ForceDelete removes both. Deletion is immediate.
 */
export function deletePackage(rt: Runtime, input: { PackageId: string; ForceDelete?: boolean }) {
  const p = resolvePackage(rt, input.PackageId);
  const prefix = p.storageLocation.RepoPrefixLocation + "/";
  const patches = Object.entries(rt.state.patches).filter(([, r]) => r.packageId === p.packageId);
  if (!input.ForceDelete) {
    if (patches.length)
      throw conflict(
        "Package",
        p.packageId,
        `Package ${p.packageId} still has ${patches.length} registered patch version(s). Deregister them or delete with ForceDelete.`,
      );
    if (hasObjectsUnder(rt.state, p.storageLocation.Bucket, prefix))
      throw conflict(
        "Package",
        p.packageId,
        `Package ${p.packageId} still has artifacts under s3://${p.storageLocation.Bucket}/${prefix}. Delete them or delete with ForceDelete.`,
      );
  }
  for (const [key] of patches) delete rt.state.patches[key];
  for (const key of Object.keys(rt.state.latestPatches))
    if (key.startsWith(p.packageId + "/")) delete rt.state.latestPatches[key];
  deleteObjectsUnder(rt.state, p.storageLocation.Bucket, prefix);
  delete rt.state.packages[p.packageId];
  rt.log(`package ${p.packageId} (${p.packageName}) deleted`);
  return {};
}
