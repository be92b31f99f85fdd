// Types of the application manifest (graph.json), its overrides and the builders' arguments.
// They describe the schema documents in model/schemas/ (tests/model/graphSchema.test.ts checks
// that the unions below list exactly the schema's values).
// ---------------------------------------------------------------------------------------------
// Document types (graph.json and overrides, as the service reads them)
// ---------------------------------------------------------------------------------------------
import { UsageError } from "../userError";

/** The interface of a value node (the schema's `valueType`). */
export type ValueNodeInterface = "boolean" | "float32" | "int32" | "string";
/** When an interface node starts (the schema's `interfaceNode.launch`). */
export type NodeLaunch = "onDemand" | "onAppStart" | "onSignal";

/** One entry of `nodeGraph.packages`. */
export interface PackageInclude {
  /** `<owner account or "panorama">::<PackageName>`. */
  name: string;
  /** `<major>.<minor>`. */
  version: string;
  /** Pins the patch (the import job's `Output.PatchVersion`); omitted = the version's latest patch. */
  patchVersion?: string;
  generatedPatchVersion?: string;
  uri?: string;
}

export interface NodeDecorator {
  title?: string;
  description?: string;
  constraintText?: string;
  constraintRegex?: string;
}

interface NodeCommon {
  /** 1–128 characters of `[$A-Za-z0-9_-]`. */
  name: string;
  /** @default false */
  overridable?: boolean;
  /** Requires an override at deployment. @default false */
  overrideMandatory?: boolean;
  decorator?: NodeDecorator;
}

/** A node instantiating a package interface. */
export interface InterfaceNode extends NodeCommon {
  /** `<owner>::<PackageName>.<interfaceName>`. */
  interface: string;
  /** @default "onAppStart" */
  launch?: NodeLaunch;
}

export interface BooleanValueNode extends NodeCommon {
  interface: "boolean";
  value?: boolean;
}
export interface Float32ValueNode extends NodeCommon {
  interface: "float32";
  value?: number;
}
export interface Int32ValueNode extends NodeCommon {
  interface: "int32";
  value?: number;
}
export interface StringValueNode extends NodeCommon {
  interface: "string";
  value?: string;
}
export type ValueNode = BooleanValueNode | Float32ValueNode | Int32ValueNode | StringValueNode;
export type GraphNode = InterfaceNode | ValueNode;

export interface Edge {
  /** A value node's name, or `<node>.<outputPort>`. */
  producer: string;
  /** `<node>.<inputPort>`. */
  consumer: string;
}

/** A container port of a node routed to a host port (the schema's `networkRoutingRule`). */
export interface NetworkRoutingRule {
  /** The node whose container port is routed. */
  node: string;
  /** 1–65535. */
  containerPort: number;
  hostPort?: number;
  decorator?: NodeDecorator;
}

export interface NodeGraph {
  /** `MANIFEST_ENVELOPE_VERSION` (the builders set it). */
  envelopeVersion: string;
  description?: string;
  packages: PackageInclude[];
  nodes: GraphNode[];
  edges?: Edge[];
  networkRoutingRules?: NetworkRoutingRule[];
}

/** graph.json. */
export interface ApplicationManifest {
  nodeGraph: NodeGraph;
}

export interface NodeOverride {
  /** A node of the application manifest. */
  replace: string;
  /** Nodes declared in the overrides' `nodes`; several plus `launch: "onSignal"` multiplex cameras. */
  with: { name: string }[];
}

export interface NodeGraphOverrides {
  /** `MANIFEST_ENVELOPE_VERSION` (the builders set it). */
  envelopeVersion: string;
  description?: string;
  packages?: PackageInclude[];
  nodes?: GraphNode[];
  edges?: Edge[];
  nodeOverrides?: NodeOverride[];
  networkRoutingRules?: NetworkRoutingRule[];
}

/** The `ManifestOverridesPayload` document. */
export interface ManifestOverrides {
  nodeGraphOverrides: NodeGraphOverrides;
}

// ---------------------------------------------------------------------------------------------
// Builder arguments
// ---------------------------------------------------------------------------------------------

/** A package by its parts; `packageRef()` makes one from an import job's outputs. */
export interface PackageRef {
  /** Owner account ID, or `panorama` for the appliance's built-in packages. */
  owner: string;
  /** The package name (`PackageName`), without the owner. */
  name: string;
  /** `<major>.<minor>`. */
  version: string;
  /** Pins the deployment to this patch; omitted = the version's latest patch. */
  patchVersion?: string;
}

/** Either a reference by parts or a graph.json entry as is (`name: "<owner>::<PackageName>"`). */
export type PackageSpec = PackageRef | PackageInclude;

/** An interface node given by its package reference and interface name instead of the full string. */
export interface PackageInterfaceNode extends NodeCommon {
  package: PackageSpec;
  /** The interface's name in the package's package.json (e.g. `interface`, `hdmi0`). */
  interfaceName: string;
  launch?: NodeLaunch;
}

export type NodeSpec = GraphNode | PackageInterfaceNode;

export interface ApplicationManifestArgs {
  /** @default none (graph.json has no description) */
  description?: string;
  packages: PackageSpec[];
  nodes: NodeSpec[];
  /** @default [] */
  edges?: Edge[];
  networkRoutingRules?: NetworkRoutingRule[];
}

export interface NodeOverrideSpec {
  replace: string;
  /** Node names, or `{ name }` objects as in the document. */
  with: (string | { name: string })[];
}

export interface ManifestOverridesArgs {
  description?: string;
  packages?: PackageSpec[];
  nodes?: NodeSpec[];
  edges?: Edge[];
  nodeOverrides?: NodeOverrideSpec[];
  networkRoutingRules?: NetworkRoutingRule[];
}

export interface ManifestOverridesOptions {
  /**
   * The application manifest the overrides apply to. When given, `replace` targets, edges and
   * package references are checked against it as well.
   * @default none (only the overrides' own consistency is checked)
   */
  manifest?: string | ApplicationManifest;
}

/** What a package import job (and its package) tell about the imported version. */
export interface ImportedPackageArgs {
  /** The package's ARN (`Package.arn`); the owner account is taken from it. */
  packageArn?: string;
  /** The owner account ID; needed when `packageArn` is not given. */
  ownerAccount?: string;
  /** `OutputConfig.PackageVersionOutputConfig.PackageName` of the import job. */
  packageName: string;
  /** The job's `Output.PackageVersion`. */
  packageVersion: string;
  /** The job's `Output.PatchVersion`: the manifest pins exactly this patch. */
  patchVersion: string;
}

/** Thrown by the builders; `problems` lists every broken rule as `<field path>: <rule>`. */
export class ManifestValidationError extends UsageError {
  constructor(
    readonly document: string,
    readonly problems: string[],
  ) {
    super(
      `Invalid ${document}:\n${problems.map((p) => `  - ${p}`).join("\n")}\n` +
        `Fix these fields in the arguments and run \`pulumi up\` again.`,
    );
    this.name = "ManifestValidationError";
  }
}
