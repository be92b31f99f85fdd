import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../lifecycle/providerShim";
import { WaitOptions } from "../calls/wait";

/** Inputs mirror CreatePackage in camelCase, plus options of this provider. */
export interface PackageArgs {
  /** 1–128 characters of `[a-zA-Z0-9_-]`; unique in the account and region. Changing it replaces the package. */
  packageName: pulumi.Input<string>;
  /** Changed in place (TagResource / UntagResource). @default {} */
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
}

/** Where a package's assets and manifests go (the service-managed S3 access point and prefixes). */
export interface PackageStorageLocation {
  /** An S3 access-point ARN owned by the service. */
  bucket: string;
  repoPrefixLocation: string;
  generatedPrefixLocation: string;
  binaryPrefixLocation: string;
  manifestPrefixLocation: string;
}

/**
 * A Panorama node package (CreatePackage): the container that package versions are imported or
 * registered into. Its `arn` gives manifests the owner account (see `packageRefOutput`).
 */
export class Package extends pulumi.dynamic.Resource {
  declare readonly packageId: pulumi.Output<string>;
  declare readonly packageName: pulumi.Output<string>;
  declare readonly arn: pulumi.Output<string>;
  declare readonly storageLocation: pulumi.Output<PackageStorageLocation>;
  /** ISO-8601. */
  declare readonly createdTime: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<Record<string, string>>;
  /** Present when the service reports principals with read access. */
  declare readonly readAccessPrincipalArns: pulumi.Output<string[] | undefined>;
  /** Present when the service reports principals with write access. */
  declare readonly writeAccessPrincipalArns: pulumi.Output<string[] | undefined>;
  declare readonly forceDelete: pulumi.Output<boolean | undefined>;
  declare readonly region: pulumi.Output<string>;

  constructor(name: string, args: PackageArgs, opts?: pulumi.CustomResourceOptions) {
    super(packageProvider, name, { ...OUTPUT_PLACEHOLDERS, ...args }, opts, "panorama", "Package");
  }
}

/**
 * Every declared output, so Pulumi exposes it even when the program leaves the input of the same
 * name unset (a dynamic resource only has the outputs named in its constructor's props).
 */
const OUTPUT_PLACEHOLDERS = {
  tags: undefined,
  forceDelete: undefined,
  region: undefined,
  packageId: undefined,
  arn: undefined,
  storageLocation: undefined,
  createdTime: undefined,
  readAccessPrincipalArns: undefined,
  writeAccessPrincipalArns: undefined,
};

/** The serialized provider; see providerShim.ts. */
export const packageProvider = providerShim("pulumi-panorama/dist/provider/resources/packageProvider.js", "deletePackage");
