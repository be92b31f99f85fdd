// A registered patch of a package version, as three resources act on it: PackageVersion (it is
// the patch), PackageImportJob with deregisterOnDelete (it imported the patch) and CameraNode (its
// job made the patch). Not a resource.
import {
  DeregisterPackageVersionCommand,
  DescribePackageVersionCommand,
  DescribePackageVersionResponse,
} from "@aws-sdk/client-panorama";
import { retryTransient } from "../calls/retry";
import { describeOrUndefined, removalRequest } from "../lifecycle/notFound";
import { cannotRemove } from "../lifecycle/removal";
import type { Removal } from "../lifecycle/resourceHooks";
import type { Call } from "../lifecycle/resourceSpec";

export type PatchRequest = {
  PackageId: string;
  PackageVersion: string;
  PatchVersion: string;
  OwnerAccount?: string;
};

/** DescribePackageVersion of the patch; undefined when it does not exist. */
export function describePatch(
  call: Call,
  patch: PatchRequest,
): Promise<DescribePackageVersionResponse | undefined> {
  return describeOrUndefined(() => call.client.send(new DescribePackageVersionCommand(patch)));
}

/**
 * DeregisterPackageVersion (safe to repeat: deregistering a patch that is already DELETING changes
 * nothing); the removal is done when DescribePackageVersion answers 404, as CloudFormation's
 * PackageVersion handler waits. `holder` is what stays in the stack when the request fails.
 */
export async function deregisterPatch(
  call: Call,
  patch: PatchRequest,
  words: { label: string; what: string; holder: string },
): Promise<Removal<DescribePackageVersionResponse>> {
  const { label, what, holder } = words;
  const failed = (e: unknown) => cannotRemove(label, "deregister", what, e, holder);
  let sent;
  try {
    sent = await retryTransient(
      () => removalRequest(() => call.client.send(new DeregisterPackageVersionCommand(patch))),
      call.quotaRetry,
    );
  } catch (e) {
    throw failed(e);
  }
  if (sent === "absent") return { outcome: "absent", verb: "deregister", what };
  if (sent !== "sent") throw failed(sent.refused);
  return {
    outcome: "started",
    verb: "deregister",
    what,
    line: `deregistering ${what}`,
    check: () => describePatch(call, patch),
    state: (v) => v.Status ?? "unknown",
    done: `${what} deregistered`,
  };
}
