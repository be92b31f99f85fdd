// Typed builder and validator for the application manifest (graph.json, `ManifestPayload`) and its
// overrides (`ManifestOverridesPayload`) of CreateApplicationInstance.
//
// The document rules are the JSON Schema documents in model/schemas/ (the DG's
// `nodeGraph.schema.json`, `nodeGraphOverrides.schema.json` and the files they reference, reference
// §8.1, §8.2) plus the cross-member rules of model/graphReferences.ts, which the emulator checks
// too; the payload limits come from the Smithy model.
//
// Pulumi is loaded lazily and only by the `*Output` wrappers, so the plain builders and validators
// can run anywhere (emulator, scripts, a dynamic provider) without the Pulumi runtime.
import type * as pulumi from "@pulumi/pulumi";
import { apiStringProblems, got } from "../../model/fieldProblems";
import { MANIFEST_ENVELOPE_VERSION } from "../../model/graphRules";
import { serializeApplicationManifest, serializeManifestOverrides } from "./manifestSerialization";
import {
  ApplicationManifest,
  ApplicationManifestArgs,
  GraphNode,
  ImportedPackageArgs,
  ManifestOverrides,
  ManifestOverridesArgs,
  ManifestOverridesOptions,
  ManifestValidationError,
  NodeSpec,
  PackageInclude,
  PackageRef,
  PackageSpec,
} from "./manifestTypes";
import {
  sentences,
  validateApplicationManifest,
  validateManifestOverrides,
} from "./manifestValidation";

export * from "./manifestTypes";
export { serializeApplicationManifest, serializeManifestOverrides } from "./manifestSerialization";
export { validateApplicationManifest, validateManifestOverrides } from "./manifestValidation";

// ---------------------------------------------------------------------------------------------
// Package references
// ---------------------------------------------------------------------------------------------

/** `arn:<partition>:panorama:<region>:<account>:package/<packageId>`. */
const PACKAGE_ARN_PATTERN = /^arn:[a-z0-9-]+:panorama:[a-z0-9-]*:([0-9]{12}):package\/(.+)$/;

/**
 * A package reference pinned to the patch an import job produced. The owner account comes from
 * `packageArn` when given (it must agree with `ownerAccount` if both are set).
 */
export function packageRef(args: ImportedPackageArgs): PackageRef {
  const problems: string[] = [];
  let owner = args.ownerAccount;
  if (args.packageArn !== undefined) {
    const match = PACKAGE_ARN_PATTERN.exec(String(args.packageArn));
    if (!match) {
      problems.push(
        `packageArn: must be a package ARN arn:<partition>:panorama:<region>:<account>:package/<id> ${got(args.packageArn)}`,
      );
    } else if (owner !== undefined && owner !== match[1]) {
      problems.push(`ownerAccount: "${owner}" disagrees with account ${match[1]} of packageArn`);
    } else {
      owner = match[1];
    }
  } else if (owner === undefined) {
    problems.push("ownerAccount: give ownerAccount or packageArn (the owner of the package)");
  }
  const limits: [string, unknown, string][] = [
    ["packageName", args.packageName, "NodePackageName"],
    ["packageVersion", args.packageVersion, "NodePackageVersion"],
    ["patchVersion", args.patchVersion, "NodePackagePatchVersion"],
  ];
  if (owner !== undefined) limits.unshift(["ownerAccount", owner, "PackageOwnerAccount"]);
  for (const [name, value, shapeName] of limits)
    problems.push(...sentences(apiStringProblems(name, value, shapeName)));
  if (problems.length) throw new ManifestValidationError("package reference", problems);
  return {
    owner: owner!,
    name: args.packageName,
    version: args.packageVersion,
    patchVersion: args.patchVersion,
  };
}

/** The graph.json `packages` entry of a reference. */
export function packageInclude(spec: PackageSpec): PackageInclude {
  if (isPackageRef(spec)) {
    return {
      name: `${spec.owner}::${spec.name}`,
      version: spec.version,
      patchVersion: spec.patchVersion,
    };
  }
  return spec;
}

/** `<owner>::<PackageName>.<interfaceName>`, the `interface` of a node using that package. */
export function interfaceOf(spec: PackageSpec, interfaceName: string): string {
  return `${packageInclude(spec).name}.${interfaceName}`;
}

function isPackageRef(spec: PackageSpec): spec is PackageRef {
  return typeof spec === "object" && spec !== null && "owner" in spec;
}

// ---------------------------------------------------------------------------------------------
// Builders (plain values → payload text)
// ---------------------------------------------------------------------------------------------

/**
 * The application manifest (graph.json) as compact JSON with a fixed key order, ready for
 * `ManifestPayload.PayloadData`. Identical arguments give byte-identical text, so a deployment is
 * replaced only when the graph really changes. Throws `ManifestValidationError` on any broken rule.
 */
export function applicationManifest(args: ApplicationManifestArgs): string {
  const document: ApplicationManifest = {
    nodeGraph: {
      envelopeVersion: MANIFEST_ENVELOPE_VERSION,
      description: args.description,
      packages: (args.packages ?? []).map(packageInclude),
      nodes: (args.nodes ?? []).map(toGraphNode),
      edges: args.edges ?? [],
      networkRoutingRules: args.networkRoutingRules,
    },
  };
  const problems = validateApplicationManifest(document);
  if (problems.length)
    throw new ManifestValidationError("application manifest (graph.json)", problems);
  return serializeApplicationManifest(document);
}

/**
 * The overrides document as compact JSON with a fixed key order, for
 * `ManifestOverridesPayload.PayloadData`. Throws `ManifestValidationError` on any broken rule.
 */
export function manifestOverrides(
  args: ManifestOverridesArgs,
  options: ManifestOverridesOptions = {},
): string {
  const document: ManifestOverrides = {
    nodeGraphOverrides: {
      envelopeVersion: MANIFEST_ENVELOPE_VERSION,
      description: args.description,
      packages: nonEmpty((args.packages ?? []).map(packageInclude)),
      nodes: nonEmpty((args.nodes ?? []).map(toGraphNode)),
      edges: nonEmpty(args.edges ?? []),
      nodeOverrides: nonEmpty(
        (args.nodeOverrides ?? []).map((o) => ({
          replace: o.replace,
          with: (o.with ?? []).map((w) => (typeof w === "string" ? { name: w } : w)),
        })),
      ),
      networkRoutingRules: args.networkRoutingRules,
    },
  };
  const problems = validateManifestOverrides(document, options);
  if (problems.length) throw new ManifestValidationError("manifest overrides", problems);
  return serializeManifestOverrides(document);
}

function toGraphNode(spec: NodeSpec): GraphNode {
  if (spec && typeof spec === "object" && "package" in spec) {
    const { package: pkg, interfaceName, ...rest } = spec;
    return { ...rest, interface: interfaceOf(pkg, interfaceName) };
  }
  return spec;
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length ? items : undefined;
}

// ---------------------------------------------------------------------------------------------
// Output-aware wrappers (for Pulumi programs)
// ---------------------------------------------------------------------------------------------

/** `T` with every member, at any depth, allowed to be a Pulumi Input (an Output or a Promise). */
export type DeepInput<T> = unknown extends T
  ? pulumi.Input<T>
  : T extends string | number | boolean | undefined | null
    ? pulumi.Input<T>
    : T extends (infer U)[]
      ? pulumi.Input<DeepInput<U>[]>
      : pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>;

function pulumiOutput<T>(value: unknown): pulumi.Output<T> {
  // Loaded here so that importing this module never loads the Pulumi runtime.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const runtime: typeof pulumi = require("@pulumi/pulumi");
  return runtime.output(value) as unknown as pulumi.Output<T>;
}

/** `packageRef` over Pulumi Inputs, e.g. a `Package`'s `arn` and a `PackageImportJob`'s outputs. */
export function packageRefOutput(args: DeepInput<ImportedPackageArgs>): pulumi.Output<PackageRef> {
  return pulumiOutput<ImportedPackageArgs>(args).apply((a) => packageRef(a));
}

/**
 * `applicationManifest` over Pulumi Inputs. The result depends on every Output it was built from,
 * so passing it as `manifestPayload` makes the deployment wait for the import jobs it pins.
 */
export function applicationManifestOutput(
  args: DeepInput<ApplicationManifestArgs>,
): pulumi.Output<string> {
  return pulumiOutput<ApplicationManifestArgs>(args).apply((a) => applicationManifest(a));
}

/** `manifestOverrides` over Pulumi Inputs. */
export function manifestOverridesOutput(
  args: DeepInput<ManifestOverridesArgs>,
  options: DeepInput<ManifestOverridesOptions> = {},
): pulumi.Output<string> {
  return pulumiOutput<[ManifestOverridesArgs, ManifestOverridesOptions]>([args, options]).apply(
    ([a, o]) => manifestOverrides(a, o),
  );
}
