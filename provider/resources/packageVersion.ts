// PackageVersion: RegisterPackageVersion, waited to REGISTER_COMPLETED; delete is
// DeregisterPackageVersion waited until DescribePackageVersion answers 404 (as CloudFormation's
// and aws-native's PackageVersion). The patch's manifest must already be in the package's storage
// location (`<manifestPrefixLocation>/<version>/<patch>.json`).
import * as pulumi from "@pulumi/pulumi";
import {
  DescribePackageVersionResponse,
  RegisterPackageVersionCommand,
} from "@aws-sdk/client-panorama";
import type { PackageVersionStatus } from "../../model/panoramaTypes";
import { definedOnly, fromApi } from "../lifecycle/apiShapes";
import { describeError } from "../calls/awsClients";
import { requestFailures } from "../lifecycle/inputChecks";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { resourceProvider } from "../lifecycle/resourceProvider";
import { Call, Props, ResourceSpec } from "../lifecycle/resourceSpec";
import { retryTransient } from "../calls/retry";
import { WaitOptions } from "../calls/wait";
import { deregisterPatch, describePatch, PatchRequest } from "./patches";

export type { PackageVersionStatus };

/** Inputs mirror RegisterPackageVersion in camelCase, plus options of this provider. */
export interface PackageVersionArgs {
  /** The package's id (a `Package`'s `packageId`). Changing it replaces the registration. */
  packageId: pulumi.Input<string>;
  /** `<major>.<minor>`, e.g. `1.0`. Changing it replaces the registration. */
  packageVersion: pulumi.Input<string>;
  /** The patch: the sha256 of the package manifest uploaded to the package's storage. Changing it replaces the registration. */
  patchVersion: pulumi.Input<string>;
  /**
   * Make this patch the version's latest. Turning it on later registers the patch again with
   * MarkLatest (in place); turning it off changes nothing remotely. @default false
   */
  markLatest?: pulumi.Input<boolean>;
  /** The account owning the package. @default the caller's account */
  ownerAccount?: pulumi.Input<string>;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
  /** How to wait for REGISTER_COMPLETED and, on delete, for the patch to be gone. @default DEFAULT_WAIT */
  waitOptions?: pulumi.Input<WaitOptions>;
}

const SPEC: ResourceSpec = {
  type: "PackageVersion",
  parameters: ["packageId", "packageVersion", "patchVersion", "ownerAccount"],
  options: { markLatest: "boolean" },
  filledIn: ["ownerAccount"],
  outputs: [
    "status",
    "statusDescription",
    "isLatestPatch",
    "registeredTime",
    "packageArn",
    "packageName",
  ],
};

/**
 * A registered patch of a package version (RegisterPackageVersion). `pulumi up` waits until it is
 * REGISTER_COMPLETED; a patch already registered (by panorama-cli, say) is adopted as it is.
 */
export class PackageVersion extends PanoramaResource {
  /** The package's id. */
  declare readonly packageId: pulumi.Output<string>;
  /** `<major>.<minor>`. */
  declare readonly packageVersion: pulumi.Output<string>;
  /** The registered patch. */
  declare readonly patchVersion: pulumi.Output<string>;
  /** Whether the program asked for this patch to be the latest. */
  declare readonly markLatest: pulumi.Output<boolean | undefined>;
  /** The account owning the package. */
  declare readonly ownerAccount: pulumi.Output<string>;
  /** REGISTER_PENDING, REGISTER_COMPLETED, FAILED or DELETING. */
  declare readonly status: pulumi.Output<PackageVersionStatus>;
  /** The service's message about the status ("" when none). */
  declare readonly statusDescription: pulumi.Output<string>;
  /** Whether this patch is the version's latest. */
  declare readonly isLatestPatch: pulumi.Output<boolean>;
  /** ISO-8601, once registered. */
  declare readonly registeredTime: pulumi.Output<string | undefined>;
  /** The package's ARN. */
  declare readonly packageArn: pulumi.Output<string>;
  /** The package's name. */
  declare readonly packageName: pulumi.Output<string>;
  /** The region of the package. */
  declare readonly region: pulumi.Output<string>;

  constructor(name: string, args: PackageVersionArgs, opts?: pulumi.CustomResourceOptions) {
    super(SPEC, name, { ...args }, opts);
  }
}

export const packageVersionImplementation = resourceProvider<DescribePackageVersionResponse>(SPEC, {
  noun: "package version",
  label,
  check: (inputs) =>
    requestFailures(
      "RegisterPackageVersionRequest",
      pick(inputs, ["packageId", "packageVersion", "patchVersion", "ownerAccount", "markLatest"]),
    ),
  async start(call, inputs, base) {
    const id = [inputs.packageId, inputs.packageVersion, inputs.patchVersion].join("/");
    const existing = await retryTransient(() => describePatch(call, request(inputs)), call.retry);
    if (
      existing?.Status === "REGISTER_COMPLETED" &&
      (!inputs.markLatest || existing.IsLatestPatch)
    ) {
      call.log(`${label(inputs)}: already registered; adopting it`);
      return { id, outs: merge(base, existing) };
    }
    await register(call, inputs);
    call.log(`${label(inputs)}: registering`);
    return { id, outs: { ...base, status: "REGISTER_PENDING" } };
  },
  describe: (call, id) => describePatch(call, parseId(id)),
  merge,
  acceptor: (p) =>
    p.status === "REGISTER_COMPLETED"
      ? "success"
      : p.status === "REGISTER_PENDING"
        ? "retry"
        : "failure",
  failure: (id, p) =>
    `${label(p)}: package version ${id} is ${p.status}: ${(p.statusDescription || "no status description").replace(/\.\s*$/, "")}. ` +
    (p.status === "FAILED"
      ? "Upload a valid manifest for this patch to the package's storage location and run `pulumi up` again; the failed registration stays recorded and is registered again."
      : "It is being deregistered outside this stack; run `pulumi up` again once it is gone to register it again."),
  mustReplace: (olds) => olds.status === "FAILED" || olds.status === "DELETING",
  async update(call, _id, olds, news, outs) {
    if (!news.markLatest || olds.isLatestPatch) return outs;
    await register(call, { ...olds, markLatest: true });
    return { ...outs, status: "REGISTER_PENDING" };
  },
  remove: (call, id, props) =>
    deregisterPatch(call, request(props), {
      label: label(props),
      what: `package version ${id}`,
      holder: "It",
    }),
});

async function register(call: Call, p: Props): Promise<void> {
  try {
    // Safe to repeat: registering a patch that is pending or registered changes nothing but "latest".
    await retryTransient(
      () =>
        call.client.send(
          new RegisterPackageVersionCommand({ ...request(p), MarkLatest: p.markLatest }),
        ),
      call.quotaRetry,
    );
  } catch (e) {
    throw new Error(
      `${label(p)}: RegisterPackageVersion failed in ${call.region}: ${describeError(e)}. Fix the cause and run \`pulumi up\` again.`,
    );
  }
}

function merge(outs: Props, v: DescribePackageVersionResponse): Props {
  const merged: Props = { ...outs, ...(fromApi("DescribePackageVersionResponse", v) as Props) };
  merged.statusDescription = v.StatusDescription ?? "";
  return definedOnly(merged);
}

function request(p: Props): PatchRequest {
  return {
    PackageId: p.packageId,
    PackageVersion: p.packageVersion,
    PatchVersion: p.patchVersion,
    OwnerAccount: p.ownerAccount,
  };
}

function parseId(id: string): PatchRequest {
  const [PackageId, PackageVersion, PatchVersion] = id.split("/");
  return { PackageId, PackageVersion, PatchVersion };
}

function pick(p: Props, keys: string[]): Props {
  return Object.fromEntries(keys.map((k) => [k, p[k]]));
}

function label(p: Props): string {
  return `PackageVersion ${p.packageName ?? p.packageId ?? "?"} ${p.packageVersion ?? "?"} patch ${String(p.patchVersion ?? "?").slice(0, 12)}`;
}
