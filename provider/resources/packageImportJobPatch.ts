// The patch an import job imported: the package details deployments need (ARN, owner), whether
// it is still registered on refresh, and its deregistration on delete (deregisterOnDelete).
import {
  DescribePackageVersionCommand,
  DescribePackageVersionResponse,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { describeError } from "../calls/awsClients";
import { retryTransient } from "../calls/retry";
import { isNotFound } from "../lifecycle/notFound";
import type { Removal } from "../lifecycle/resourceHooks";
import type { Call, Props } from "../lifecycle/resourceSpec";
import { label } from "./packageImportJobCalls";
import { deregisterPatch, describePatch } from "./patches";

/** Adds the registered patch's ARN and owner account, which manifests need; without them the job is not done. */
export async function withPackageVersion(call: Call, outs: Props): Promise<Props> {
  if (outs.packageArn !== undefined) return outs;
  let v: DescribePackageVersionResponse;
  try {
    v = await packageDetails(call, outs, false);
  } catch (e) {
    const gone = isNotFound(e);
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
export async function patchStillRegistered(call: Call, outs: Props): Promise<Props> {
  if (outs.packageArn === undefined || !outs.patchVersion) return outs;
  const request = {
    PackageId: outs.packageId,
    PackageVersion: outs.packageVersion,
    PatchVersion: outs.patchVersion,
  };
  let v: DescribePackageVersionResponse | undefined;
  try {
    v = await describePatch(call, request);
  } catch {
    return outs;
  }
  if (v && v.Status !== "DELETING" && v.Status !== "FAILED") return outs;
  call.log(
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

export function packageDetails(
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
    retryTransient(() => call.client.send(new DescribePackageVersionCommand(request)), call.retry);
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

export async function deleteJob(call: Call, id: string, props: Props): Promise<Removal<unknown>> {
  const patch = props.patchVersion;
  // A job whose outputs never completed handed its patch to nobody (and may share it with its replacement).
  if (
    !props.deregisterOnDelete ||
    props.status !== "SUCCEEDED" ||
    !patch ||
    props.packageArn === undefined
  )
    return {
      outcome: "done",
      verb: "forget",
      line:
        `import jobs cannot be deleted; forgetting job ${id}` +
        (patch
          ? ` and keeping patch ${patch} registered (set deregisterOnDelete to remove it)`
          : ""),
    };
  const request = {
    PackageId: props.packageId,
    PackageVersion: props.packageVersion,
    PatchVersion: patch,
  };
  return deregisterPatch(call, request, {
    label: label(props),
    what: `patch ${patch} of package ${props.packageId} (job ${id})`,
    holder: "The job",
  });
}
