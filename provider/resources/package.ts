// Package: CreatePackage / DescribePackage / DeletePackage. Lifecycle (reference §8.5, from the
// CloudFormation handlers): create, then Describe until the package is readable; delete repeats
// DeletePackage until 404, a 409 meaning "not yet" (or "not without forceDelete").
import * as pulumi from "@pulumi/pulumi";
import type { DescribePackageResponse } from "@aws-sdk/client-panorama";
import { WaitOptions } from "../calls/wait";
import { resourceKey } from "../lifecycle/derivedValues";
import { requestFailures } from "../lifecycle/inputChecks";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { resourceProvider } from "../lifecycle/resourceProvider";
import { ResourceSpec } from "../lifecycle/resourceSpec";
import { describe, label, merge, PACKAGE_KEY_TAG, packageTags } from "./packageCalls";
import { createPackage } from "./packageCreate";
import { deletePackage } from "./packageDelete";

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

export { PACKAGE_KEY_TAG };

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
    packageKey: { from: [], derive: (scope) => resourceKey(scope, "Package") },
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
  label,
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
  acceptor: (p) => (p.createdTime ? "success" : "retry"),
  state: (p) => (p.createdTime ? "readable" : "not readable yet"),
  apiTags: packageTags,
  remove: deletePackage,
});
