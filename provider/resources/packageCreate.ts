// CreatePackage, and what a lost answer or an earlier, unrecorded run made: a package this call
// created (its creation time and tags), or one marked with this resource's packageKey.
import {
  CreatePackageCommand,
  DescribePackageCommand,
  DescribePackageResponse,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { describeError, errorName } from "../calls/awsClients";
import { CREATED_TIME_TOLERANCE_MS, isAmbiguousFailure, serviceClock } from "../calls/createOnce";
import { MAX_CALL_RETRY_SECONDS, retryTransient } from "../calls/retry";
import { differs } from "../lifecycle/inputChecks";
import type { Started } from "../lifecycle/resourceHooks";
import type { Call, Props } from "../lifecycle/resourceSpec";
import { applyTagChanges, ownTags, Tags } from "../lifecycle/tags";
import { merge, PACKAGE_KEY_TAG, packageTags } from "./packageCalls";

export async function createPackage(call: Call, inputs: Props, base: Props): Promise<Started> {
  const { client, region } = call;
  const name: string = inputs.packageName;
  const startedAt = serviceClock(client)() - CREATED_TIME_TOLERANCE_MS;
  const tags = packageTags(inputs);
  let created: Props;
  try {
    created = await client.send(new CreatePackageCommand({ PackageName: name, Tags: tags }));
  } catch (e) {
    // The SDK repeats a Create whose answer was lost, and the repeat finds the name taken (409).
    // A 409 to the first attempt means the name was taken before this call.
    const repeated = ((e as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1;
    const mayBeOurs = (errorName(e) === "ConflictException" && repeated) || isAmbiguousFailure(e);
    const ours = mayBeOurs ? await packageMadeSince(client, name, startedAt, tags) : undefined;
    const earlier =
      !ours && errorName(e) === "ConflictException"
        ? await packageMarkedAs(client, name, inputs.packageKey)
        : undefined;
    if (ours) {
      call.log(
        `Package ${name}: the answer to CreatePackage was lost; found ${ours.PackageId} created by it`,
      );
      created = ours;
    } else if (earlier) {
      // A `pulumi up` killed after CreatePackage, before the engine recorded the package.
      call.log(
        `Package ${name}: found ${earlier.PackageId}, created for this resource by an earlier run that did not record it; adopting it`,
      );
      created = earlier;
      // Only this resource's keys are set; tags others put there stay.
      const present = ownTags(earlier.Tags, tags);
      if (differs(present, tags)) await applyTagChanges(client, earlier.Arn!, present, tags);
    } else if (errorName(e) === "ConflictException") {
      const existing = (e as { ResourceId?: string }).ResourceId;
      throw new Error(
        `Package ${name}: a package with this name already exists in ${region}${existing ? ` (${existing})` : ""}: ${describeError(e)}. ` +
          `Package names are unique per account and region. If an import job created it first, make the job depend on this ` +
          `Package (pass its packageName to the job); to manage the existing package, set adoptPackageId; otherwise choose ` +
          `another packageName or delete the existing package.`,
      );
    } else {
      throw new Error(
        `Package ${name}: CreatePackage failed in ${region}: ${describeError(e)}. Nothing was created; fix the cause and run \`pulumi up\` again.`,
      );
    }
  }
  const outs = merge(
    { ...base, tags: { ...(inputs.tags ?? {}) } },
    { Arn: created.Arn, StorageLocation: created.StorageLocation, Tags: inputs.tags },
  );
  outs.packageId = created.PackageId;
  const s = outs.storageLocation ?? {};
  call.log(
    `Package ${name}: created ${created.PackageId} (storage s3://${s.bucket ?? "?"}/${s.repoPrefixLocation ?? ""})`,
  );
  return { id: created.PackageId as string, outs };
}

/**
 * The package named `name` if this create made it: created at or after `startedAt` (service
 * time) with exactly the tags we sent. Anything else, or a failed lookup, is not ours.
 */
async function packageMadeSince(
  client: PanoramaClient,
  name: string,
  startedAt: number,
  tags: Tags | undefined,
): Promise<DescribePackageResponse | undefined> {
  try {
    const p = await retryTransient(
      () => client.send(new DescribePackageCommand({ PackageId: `packageName/${name}` })),
      { budgetSeconds: MAX_CALL_RETRY_SECONDS },
    );
    const fresh = (p.CreatedTime?.getTime() ?? 0) >= startedAt;
    return fresh && p.PackageId && !differs(p.Tags ?? {}, tags ?? {}) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The package named `name` if it carries this resource's packageKey tag; otherwise (or unreadable) undefined. */
async function packageMarkedAs(
  client: PanoramaClient,
  name: string,
  key: string | undefined,
): Promise<DescribePackageResponse | undefined> {
  if (!key) return undefined;
  try {
    const p = await retryTransient(
      () => client.send(new DescribePackageCommand({ PackageId: `packageName/${name}` })),
      { budgetSeconds: MAX_CALL_RETRY_SECONDS },
    );
    return p.PackageId && p.Tags?.[PACKAGE_KEY_TAG] === key ? p : undefined;
  } catch {
    return undefined;
  }
}
