// Package lookups: a node package by id or name (getPackage) and one of its versions
// (getPackageVersion), e.g. to deploy a package another stack or panorama-cli imported.
import type { PackageVersionStatus } from "../../model/panoramaTypes";
import * as pulumi from "@pulumi/pulumi";
import { DescribePackageCommand, DescribePackageVersionCommand } from "@aws-sdk/client-panorama";
import type { PackageStorageLocation } from "..";
import { fromApi } from "../lifecycle/apiShapes";
import {
  checkLookupArgs,
  lookupCall,
  LookupClients,
  programClients,
  lookupOutput,
  LookupOutputArgs,
  requireOneOf,
} from "./lookupCalls";

export interface GetPackageArgs {
  /** The package's id, e.g. `package-4tafxmplhtmzabv5lsacba4ere`. Set this or `packageName`. */
  packageId?: string;
  /** The package's name, e.g. `SAMPLE_CODE`. Set this or `packageId`. */
  packageName?: string;
  /** @default stack config `aws:region`, then `AWS_REGION` */
  region?: string;
}

/** A node package as `DescribePackage` returns it, camelCased; timestamps are ISO-8601 strings. */
export interface GetPackageResult {
  readonly packageId: string;
  readonly packageName: string;
  readonly arn: string;
  /** Where the package's assets and manifests are stored. */
  readonly storageLocation: PackageStorageLocation;
  readonly readAccessPrincipalArns?: string[];
  readonly writeAccessPrincipalArns?: string[];
  readonly createdTime: string;
  readonly tags: Record<string, string>;
  /** The region the lookup ran in. */
  readonly region: string;
}

/**
 * Looks up a node package by `packageId` or by `packageName` (DescribePackage; a name is asked
 * for as `packageName/<name>`, as panorama-cli does). Fails, naming the package, when none matches.
 *
 * @example
 * const code = await getPackage({ packageName: "SAMPLE_CODE" });
 */
export async function getPackage(
  args: GetPackageArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetPackageResult> {
  return getPackageWith(programClients(opts), args);
}

/** {@link getPackage} with the clients of a program or of the provider plugin. */
export async function getPackageWith(
  clients: LookupClients,
  args: GetPackageArgs,
): Promise<GetPackageResult> {
  const lookup = "getPackage";
  const by = requireOneOf(lookup, { ...args }, ["packageId", "packageName"]);
  if (by === "packageId")
    checkLookupArgs(lookup, "DescribePackageRequest", { packageId: args.packageId });
  else checkLookupArgs(lookup, "CreatePackageRequest", { packageName: args.packageName });
  const { client, region } = clients(lookup, args.region);
  const packageId = by === "packageId" ? args.packageId! : `packageName/${args.packageName}`;
  const wanted =
    by === "packageId"
      ? `with id ${JSON.stringify(args.packageId)}`
      : `named ${JSON.stringify(args.packageName)}`;
  const described = await lookupCall(
    lookup,
    () => client.send(new DescribePackageCommand({ PackageId: packageId })),
    `no package ${wanted} in ${region}`,
  );
  return {
    ...(fromApi("DescribePackageResponse", described) as object),
    tags: described.Tags ?? {},
    region,
  } as GetPackageResult;
}

/** {@link getPackage} taking Pulumi values. */
export function getPackageOutput(
  args: LookupOutputArgs<GetPackageArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetPackageResult> {
  return lookupOutput(getPackage, args, opts);
}

export interface GetPackageVersionArgs {
  /** The package's id. Set this or `packageName`. */
  packageId?: string;
  /** The package's name (looked up first with {@link getPackage}). Set this or `packageId`. */
  packageName?: string;
  /** The version, e.g. `1.0`. */
  packageVersion: string;
  /** A patch of that version; without it, the version's latest patch. */
  patchVersion?: string;
  /** The account that owns the package, for packages shared with this one. */
  ownerAccount?: string;
  /** @default stack config `aws:region`, then `AWS_REGION` */
  region?: string;
}

/** A package version as `DescribePackageVersion` returns it, camelCased. */
export interface GetPackageVersionResult {
  readonly packageId: string;
  readonly packageName: string;
  readonly packageArn?: string;
  readonly packageVersion: string;
  /** Pin this in graph.json to deploy exactly this patch. */
  readonly patchVersion: string;
  /** Whether this patch is the version's latest. */
  readonly isLatestPatch: boolean;
  readonly status: PackageVersionStatus;
  readonly statusDescription?: string;
  /** The `<owner>::` of graph.json package names. */
  readonly ownerAccount?: string;
  /** ISO-8601. */
  readonly registeredTime?: string;
  /** The region the lookup ran in. */
  readonly region: string;
}

/**
 * Looks up a package version (DescribePackageVersion): a given patch, or the version's latest
 * patch. Fails, naming the package, version and patch, when none matches.
 *
 * @example
 * const latest = await getPackageVersion({ packageName: "SAMPLE_CODE", packageVersion: "1.0" });
 * // latest.patchVersion pins the deployment to the patch registered last
 */
export async function getPackageVersion(
  args: GetPackageVersionArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetPackageVersionResult> {
  return getPackageVersionWith(programClients(opts), args);
}

/** {@link getPackageVersion} with the clients of a program or of the provider plugin. */
export async function getPackageVersionWith(
  clients: LookupClients,
  args: GetPackageVersionArgs,
): Promise<GetPackageVersionResult> {
  const lookup = "getPackageVersion";
  const by = requireOneOf(lookup, { ...args }, ["packageId", "packageName"]);
  const { packageName: _name, region: _region, ...request } = args;
  checkLookupArgs(
    lookup,
    "DescribePackageVersionRequest",
    request,
    by === "packageName" ? ["packageId"] : [],
  );
  const packageId =
    by === "packageId"
      ? args.packageId!
      : (await getPackageWith(clients, { packageName: args.packageName, region: args.region }))
          .packageId;
  const { client, region } = clients(lookup, args.region);
  const patch = args.patchVersion ? `patch ${args.patchVersion}` : "a latest patch";
  const described = await lookupCall(
    lookup,
    () =>
      client.send(
        new DescribePackageVersionCommand({
          PackageId: packageId,
          PackageVersion: args.packageVersion,
          PatchVersion: args.patchVersion,
          OwnerAccount: args.ownerAccount,
        }),
      ),
    `no version ${args.packageVersion} with ${patch} of package ${args.packageName ?? packageId} in ${region}`,
  );
  return {
    ...(fromApi("DescribePackageVersionResponse", described) as object),
    region,
  } as GetPackageVersionResult;
}

/** {@link getPackageVersion} taking Pulumi values, e.g. an import job's outputs. */
export function getPackageVersionOutput(
  args: LookupOutputArgs<GetPackageVersionArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetPackageVersionResult> {
  return lookupOutput(getPackageVersion, args, opts);
}
