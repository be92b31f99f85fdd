// Package: CreatePackage / DescribePackage / DeletePackage. Lifecycle (reference §8.5, from the
// CloudFormation handlers): create, then Describe until the package is readable; delete repeats
// DeletePackage until 404, a 409 meaning "not yet" (or "not without forceDelete").
import * as pulumi from "@pulumi/pulumi";
import {
  CreatePackageCommand,
  DeletePackageCommand,
  DescribePackageCommand,
  DescribePackageResponse,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { fromApi } from "../lifecycle/apiShapes";
import { describeError, errorName, isTransientError } from "../calls/awsClients";
import { CREATED_TIME_TOLERANCE_MS, isAmbiguousFailure, serviceClock } from "../calls/createOnce";
import { deterministicClientToken } from "../lifecycle/clientToken";
import { differs, requestFailures } from "../lifecycle/inputChecks";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { resourceProvider } from "../lifecycle/resourceProvider";
import { Call, Props, ResourceSpec } from "../lifecycle/resourceSpec";
import { MAX_CALL_RETRY_SECONDS, retryTransient } from "../calls/retry";
import { applyTagChanges, ownTags, Tags } from "../lifecycle/tags";
import { pollUntil, WaitOptions } from "../calls/wait";

/** Inputs mirror CreatePackage in camelCase, plus options of this provider. */
export interface PackageArgs {
  /** 1–128 characters of `[a-zA-Z0-9_-]`; unique in the account and region. Changing it replaces the package. */
  packageName?: pulumi.Input<string>;
  /**
   * Tags this resource manages, changed in place (TagResource / UntagResource). Tags others put on
   * the package (an import job's `jobTags`, the console) are neither stored nor removed. @default {}
   */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
  /**
   * On delete, also delete the package's registered versions and the artifacts in its storage
   * location (DeletePackage `ForceDelete`). @default false: a package that still has versions or
   * artifacts is not deleted and `pulumi destroy` says so.
   */
  forceDelete?: pulumi.Input<boolean>;
  /**
   * Bounds the waits of create (until the package is readable) and delete (while the service
   * answers 409 Conflict). @default DEFAULT_WAIT with `timeoutSeconds` 120
   */
  waitOptions?: pulumi.Input<WaitOptions>;
  /**
   * Bring an existing package under management by its id instead of creating one (Pulumi's
   * `import` option does not reach dynamic resources). `packageName`, when set, must match it.
   * `pulumi destroy` then deletes it. @default none
   */
  adoptPackageId?: pulumi.Input<string>;
  /**
   * Marks the package as this resource's (the `pulumi-panorama:packageKey` tag), so a package
   * created by a `pulumi up` that was killed before it recorded it is adopted by the next one
   * instead of failing "already exists". @default derived from the project, stack and resource name
   */
  packageKey?: pulumi.Input<string>;
}

/** The tag that marks a package as a Package resource's (see `packageKey`). */
export const PACKAGE_KEY_TAG = "pulumi-panorama:packageKey";

/** Where a package's assets and manifests go (the service-managed S3 access point and prefixes). */
export interface PackageStorageLocation {
  /** An S3 access-point ARN owned by the service. */
  bucket: string;
  /** Prefix of the package's repository. */
  repoPrefixLocation: string;
  /** Prefix of generated files. */
  generatedPrefixLocation: string;
  /** Prefix of binaries (node assets). */
  binaryPrefixLocation: string;
  /** Prefix of package manifests: `<prefix>/<version>/<patch>.json`. */
  manifestPrefixLocation: string;
}

const SPEC: ResourceSpec = {
  type: "Package",
  parameters: ["packageName"],
  options: { tags: "tags", forceDelete: "boolean", packageKey: "text" },
  adopt: { input: "adoptPackageId", shape: "NodePackageId", list: "list-packages" },
  outputs: [
    "packageId",
    "arn",
    "storageLocation",
    "createdTime",
    "readAccessPrincipalArns",
    "writeAccessPrincipalArns",
  ],
  // Packages appear and disappear within seconds; a longer wait only delays the message about a
  // package that cannot be deleted without `forceDelete`.
  timeoutSeconds: 120,
  appearsLate: true,
  derived: {
    packageKey: { from: [], derive: (scope) => deterministicClientToken(scope, "Package") },
  },
};

/**
 * A Panorama node package (CreatePackage): the container that package versions are imported or
 * registered into. Its `arn` gives manifests the owner account (see `packageRefOutput`).
 */
export class Package extends PanoramaResource {
  /** The package's id, e.g. `package-…`. */
  declare readonly packageId: pulumi.Output<string>;
  /** The package's name. */
  declare readonly packageName: pulumi.Output<string>;
  /** The package's ARN. */
  declare readonly arn: pulumi.Output<string>;
  /** Where the package's assets and manifests go. */
  declare readonly storageLocation: pulumi.Output<PackageStorageLocation>;
  /** ISO-8601. */
  declare readonly createdTime: pulumi.Output<string>;
  /** The tags this resource manages (only the keys the program sets). */
  declare readonly tags: pulumi.Output<Record<string, string>>;
  /** Present when the service reports principals with read access. */
  declare readonly readAccessPrincipalArns: pulumi.Output<string[] | undefined>;
  /** Present when the service reports principals with write access. */
  declare readonly writeAccessPrincipalArns: pulumi.Output<string[] | undefined>;
  /** Whether delete also removes versions and artifacts. */
  declare readonly forceDelete: pulumi.Output<boolean | undefined>;
  /** The package adopted by id, if any. */
  declare readonly adoptPackageId: pulumi.Output<string | undefined>;
  /** The region the package lives in. */
  declare readonly region: pulumi.Output<string>;

  /** The marker of this resource's package (the `pulumi-panorama:packageKey` tag, kept out of `tags`). */
  declare readonly packageKey: pulumi.Output<string>;

  constructor(name: string, args: PackageArgs, opts?: pulumi.CustomResourceOptions) {
    super(SPEC, name, { ...args }, opts);
  }
}

export const packageImplementation = resourceProvider<DescribePackageResponse>(SPEC, {
  noun: "package",
  label: (p) => `Package ${p.packageName ?? p.packageId ?? p.adoptPackageId ?? "?"}`,
  check: (inputs, adopting) => [
    ...requestFailures(
      "CreatePackageRequest",
      { packageName: inputs.packageName, tags: inputs.tags },
      adopting,
    ),
    ...(inputs.tags && typeof inputs.tags === "object" && PACKAGE_KEY_TAG in inputs.tags
      ? [
          {
            property: "tags",
            reason: `tags["${PACKAGE_KEY_TAG}"]: is reserved for this resource's packageKey; remove it from tags`,
          },
        ]
      : []),
  ],
  start: createPackage,
  describe: (call, id) => describe(call.client, id),
  merge,
  // A create that could not read the package back is finished by the next update.
  isDone: (p) => (p.createdTime ? "success" : "retry"),
  state: (p) => (p.createdTime ? "readable" : "not readable yet"),
  failure: (id) => `Package ${id} failed.`,
  apiTags: packageTags,
  remove: deletePackage,
});

async function createPackage(call: Call, inputs: Props, base: Props) {
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
      console.log(
        `Package ${name}: the answer to CreatePackage was lost; found ${ours.PackageId} created by it`,
      );
      created = ours;
    } else if (earlier) {
      // A `pulumi up` killed after CreatePackage, before the engine recorded the package.
      console.log(
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
  console.log(
    `Package ${name}: created ${created.PackageId} (storage s3://${s.bucket ?? "?"}/${s.repoPrefixLocation ?? ""})`,
  );
  return { id: created.PackageId as string, outs };
}

/** GONE `absent`: DeletePackage answered 404, i.e. there was nothing to delete. */
type DeleteAttempt =
  | { state: "GONE"; absent: boolean }
  | { state: "DELETING" }
  | { state: "CONFLICT"; message: string };

async function deletePackage(call: Call, id: string, props: Props): Promise<void> {
  const who = `Package ${props.packageName ?? id}`;
  const force = props.forceDelete === true;
  const options = call.wait;
  let announced = false;
  const attempt = async (): Promise<DeleteAttempt> => {
    const outcome = await deleteOnce(call.client, id, force);
    if (outcome.state === "CONFLICT" && !announced) {
      announced = true;
      console.log(
        `${who}: DeletePackage ${id} answered 409 Conflict (${outcome.message}); retrying for up to ` +
          `${options.timeoutSeconds}s${force ? "" : " (forceDelete is off)"}`,
      );
    }
    return outcome;
  };
  let last: DeleteAttempt;
  try {
    last = await attempt();
    if (last.state === "GONE" && last.absent)
      return void console.log(`${who}: package ${id} no longer exists; nothing to delete`);
    if (last.state !== "GONE") {
      const result = await pollUntil({
        options,
        check: attempt,
        isDone: (a) => a.state === "GONE",
        isTransient: isTransientError,
      });
      last = result.value ?? last;
    }
  } catch (e) {
    throw new Error(
      `${who}: could not delete package ${id}: ${describeError(e)}. It stays in the stack; fix the cause and run \`pulumi destroy\` again.`,
    );
  }
  if (last.state === "GONE")
    return void console.log(
      `${who}: package ${id} deleted${force ? " with its versions and artifacts" : ""}`,
    );
  const advice = force
    ? "Check what holds the package and run `pulumi destroy` again."
    : "Deregister its package versions and remove its artifacts, or set `forceDelete: true` on the Package " +
      "(run `pulumi up` so the setting reaches the stack) to delete them with it, then run `pulumi destroy` again.";
  throw new Error(
    `${who}: package ${id} is still there after ${options.timeoutSeconds}s (waitOptions.timeoutSeconds)` +
      (last.state === "CONFLICT"
        ? `; the service answers 409 Conflict: ${last.message}`
        : "; deletion is still in progress") +
      `. ${advice}`,
  );
}

/** One DeletePackage; after an accepted request, one Describe tells whether it is gone already. */
async function deleteOnce(
  client: PanoramaClient,
  id: string,
  force: boolean,
): Promise<DeleteAttempt> {
  try {
    await client.send(
      new DeletePackageCommand({ PackageId: id, ...(force ? { ForceDelete: true } : {}) }),
    );
  } catch (e) {
    if (errorName(e) === "ResourceNotFoundException") return { state: "GONE", absent: true };
    if (errorName(e) === "ConflictException")
      return { state: "CONFLICT", message: (e as Error).message };
    throw e;
  }
  return (await describe(client, id)) ? { state: "DELETING" } : { state: "GONE", absent: false };
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

/** The tags the package carries for this resource: the program's and the packageKey marker. */
function packageTags(p: Props): Tags {
  return { ...(p.tags ?? {}), ...(p.packageKey ? { [PACKAGE_KEY_TAG]: p.packageKey } : {}) };
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

/** DescribePackage, or undefined when the package does not exist. */
async function describe(
  client: PanoramaClient,
  id: string,
): Promise<DescribePackageResponse | undefined> {
  try {
    return await client.send(new DescribePackageCommand({ PackageId: id }));
  } catch (e) {
    if (errorName(e) === "ResourceNotFoundException") return undefined;
    throw e;
  }
}

/** Merges a DescribePackage answer into outputs; of the tags only the program's keys are kept. */
function merge(outs: Props, described: Partial<DescribePackageResponse>): Props {
  const d = fromApi("DescribePackageResponse", described) as Props;
  const merged: Props = { ...outs, ...d, tags: ownTags(described.Tags, outs.tags) };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return merged;
}
