// Typed builder and validator for the application manifest (graph.json, `ManifestPayload`) and its
// overrides (`ManifestOverridesPayload`) of CreateApplicationInstance.
//
// The rules mirror the DG schemas `resources/manifest-schema/ver_2021-01-01/nodeGraph.schema.json`,
// `nodeGraphOverrides.schema.json` and the files they reference (reference §8.1, §8.2); the payload
// limits come from the Smithy model. Each rule lives here once, as a named constant, so the
// provider's `check` and the emulator can import the same validators.
//
// Pulumi is loaded lazily and only by the `*Output` wrappers, so the plain builders and validators
// can run anywhere (emulator, scripts, a dynamic provider) without the Pulumi runtime.
import type * as pulumi from "@pulumi/pulumi";
import { shape } from "../model/panoramaModel";

// ---------------------------------------------------------------------------------------------
// Rules (one source)
// ---------------------------------------------------------------------------------------------

export const MANIFEST_ENVELOPE_VERSION = "2021-01-01";

/** `nodePackageInclude.schema.json#/properties/name`: `<owner>::<PackageName>`. */
export const PACKAGE_INCLUDE_NAME_PATTERN = /^[$A-Z_a-z0-9]+::[a-zA-Z_0-9\-]+$/;
/** `nodePackageInclude.schema.json#/properties/version`: `<major>.<minor>`. */
export const PACKAGE_INCLUDE_VERSION_PATTERN = /^[0-9]+\.[0-9]+$/;
export const PACKAGE_INCLUDE_MAX_LENGTH = 255;
/** Node names, `replace` and `with[].name` of node overrides. */
export const NODE_NAME_PATTERN = /^[$A-Z_a-z0-9\-]+$/;
export const NODE_NAME_MAX_LENGTH = 128;
/** `nodeWithInterface.schema.json#/properties/interface`: `<owner>::<package>.<interfaceName>`. */
export const NODE_INTERFACE_PATTERN = /^[$A-Z_a-z0-9\-]+::[A-Z_a-z0-9\-]+\.[A-Z_a-z0-9\-]+$/;
/** `edge.schema.json`: `node` (a value node) or `node.port`. */
export const EDGE_ENDPOINT_PATTERN = /^[a-zA-Z0-9_\-]+\.?[a-z_A-Z0-9\-]+$/;
export const DESCRIPTION_MAX_LENGTH = 255;
export const DECORATOR_FIELD_MAX_LENGTH = 255;

export const VALUE_NODE_INTERFACES = ["boolean", "float32", "int32", "string"] as const;
export type ValueNodeInterface = (typeof VALUE_NODE_INTERFACES)[number];
export const NODE_LAUNCH_MODES = ["onDemand", "onAppStart", "onSignal"] as const;
export type NodeLaunch = (typeof NODE_LAUNCH_MODES)[number];

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const FLOAT32_MAX = 3.4028234663852886e38;

/** `arn:<partition>:panorama:<region>:<account>:package/<packageId>`. */
export const PACKAGE_ARN_PATTERN = /^arn:[a-z0-9-]+:panorama:[a-z0-9-]*:([0-9]{12}):package\/(.+)$/;

interface StringLimit {
  min: number;
  max: number;
  pattern: RegExp;
}

/** Length and pattern of a string shape of the Smithy model (the one source of API limits). */
function apiStringLimit(shapeName: string): StringLimit {
  const traits = shape(shapeName).traits ?? {};
  const length = (traits["smithy.api#length"] ?? {}) as { min?: number; max?: number };
  return {
    min: length.min ?? 0,
    max: length.max ?? Number.MAX_SAFE_INTEGER,
    pattern: new RegExp((traits["smithy.api#pattern"] as string | undefined) ?? "^[\\s\\S]*$"),
  };
}

// ---------------------------------------------------------------------------------------------
// Document types (graph.json and overrides, as the service reads them)
// ---------------------------------------------------------------------------------------------

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

/** Passed through unchecked (schema `network/networkRoutingRule.schema.json`); keys are sorted. */
export type NetworkRoutingRule = Record<string, unknown>;

export interface NodeGraph {
  envelopeVersion: typeof MANIFEST_ENVELOPE_VERSION;
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
  envelopeVersion: typeof MANIFEST_ENVELOPE_VERSION;
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
export class ManifestValidationError extends Error {
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

// ---------------------------------------------------------------------------------------------
// Package references
// ---------------------------------------------------------------------------------------------

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
  if (owner !== undefined) checkApiString(problems, "ownerAccount", owner, "PackageOwnerAccount");
  checkApiString(problems, "packageName", args.packageName, "NodePackageName");
  checkApiString(problems, "packageVersion", args.packageVersion, "NodePackageVersion");
  checkApiString(problems, "patchVersion", args.patchVersion, "NodePackagePatchVersion");
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
// Deterministic serialization
// ---------------------------------------------------------------------------------------------

const PACKAGE_KEYS = ["name", "version", "patchVersion", "generatedPatchVersion", "uri"];
const NODE_KEYS = [
  "name",
  "interface",
  "value",
  "overridable",
  "overrideMandatory",
  "launch",
  "decorator",
];
const DECORATOR_KEYS = ["title", "description", "constraintText", "constraintRegex"];
const EDGE_KEYS = ["producer", "consumer"];
const NODE_OVERRIDE_KEYS = ["replace", "with"];
const GRAPH_KEYS = [
  "envelopeVersion",
  "description",
  "packages",
  "nodes",
  "edges",
  "networkRoutingRules",
];
const OVERRIDES_KEYS = [
  "envelopeVersion",
  "description",
  "packages",
  "nodes",
  "edges",
  "nodeOverrides",
  "networkRoutingRules",
];

/** Compact graph.json text with the key order above; unset optional members are left out. */
export function serializeApplicationManifest(manifest: ApplicationManifest): string {
  return JSON.stringify({ nodeGraph: canonicalGraph(manifest.nodeGraph, GRAPH_KEYS) });
}

/** Compact overrides text with the key order above; unset optional members are left out. */
export function serializeManifestOverrides(overrides: ManifestOverrides): string {
  return JSON.stringify({
    nodeGraphOverrides: canonicalGraph(overrides.nodeGraphOverrides, OVERRIDES_KEYS),
  });
}

function canonicalGraph(graph: object, keys: string[]): Record<string, unknown> {
  const g = graph as Record<string, unknown>;
  const out = pick(g, keys);
  const list = (k: string, f: (x: Record<string, unknown>) => unknown) => {
    if (Array.isArray(out[k])) out[k] = (out[k] as Record<string, unknown>[]).map(f);
  };
  list("packages", (p) => pick(p, PACKAGE_KEYS));
  list("nodes", (n) => {
    const node = pick(n, NODE_KEYS);
    if (node.decorator && typeof node.decorator === "object")
      node.decorator = pick(node.decorator as object, DECORATOR_KEYS);
    return node;
  });
  list("edges", (e) => pick(e, EDGE_KEYS));
  list("nodeOverrides", (o) => {
    const override = pick(o, NODE_OVERRIDE_KEYS);
    if (Array.isArray(override.with)) override.with = override.with.map((w) => pick(w, ["name"]));
    return override;
  });
  list("networkRoutingRules", (r) => sortKeys(r));
  return out;
}

/** The listed keys in that order, then any other keys sorted (validation reports those). */
function pick(obj: object, keys: string[]): Record<string, unknown> {
  const source = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  for (const k of Object.keys(source).sort())
    if (!keys.includes(k) && source[k] !== undefined) out[k] = source[k];
  return out;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort())
      out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/**
 * Every broken rule of an application manifest, as `<field path>: <rule>`; empty when valid.
 * Text is checked as the API sees it (`ManifestPayloadData`: 1–51200 characters, one line), an
 * object as the text `applicationManifest()` would send.
 */
export function validateApplicationManifest(
  manifest: string | ApplicationManifest | unknown,
): string[] {
  const problems: string[] = [];
  const parsed = parsePayload(
    problems,
    manifest,
    "manifestPayload.payloadData",
    "ManifestPayloadData",
  );
  if (parsed === undefined) return problems;
  if (!isObject(parsed))
    return [...problems, `(root): must be an object with the single key nodeGraph`];
  checkKeys(problems, "(root)", parsed, ["nodeGraph"]);
  const graph = parsed.nodeGraph;
  if (!isObject(graph)) return [...problems, `nodeGraph: is required and must be an object`];
  if (typeof manifest !== "string") {
    const text = safeSerialize(() =>
      serializeApplicationManifest(parsed as unknown as ApplicationManifest),
    );
    if (text !== undefined)
      checkPayloadText(problems, text, "manifestPayload.payloadData", "ManifestPayloadData");
  }

  const p = "nodeGraph";
  checkKeys(problems, p, graph, GRAPH_KEYS);
  checkEnvelope(problems, p, graph.envelopeVersion);
  checkDescription(problems, p, graph.description);
  const packages = checkPackages(problems, `${p}.packages`, graph.packages, true);
  const nodes = checkNodes(problems, `${p}.nodes`, graph.nodes, true);
  checkNetworkRoutingRules(problems, p, graph.networkRoutingRules);
  if (packages) checkInterfacePackages(problems, `${p}.nodes`, nodes, packages, `${p}.packages`);
  checkEdges(problems, `${p}.edges`, graph.edges, nodes, `${p}.nodes`);
  return problems;
}

/**
 * Every broken rule of a manifest-overrides document; empty when valid. An empty string is a valid
 * payload (no overrides). With `options.manifest`, also checks the overrides against that graph:
 * `replace` names an overridable node of it, every `overrideMandatory` node is replaced, and edges
 * and interfaces may use its nodes and packages.
 */
export function validateManifestOverrides(
  overrides: string | ManifestOverrides | unknown,
  options: ManifestOverridesOptions = {},
): string[] {
  const problems: string[] = [];
  if (overrides === "") return problems;
  const parsed = parsePayload(
    problems,
    overrides,
    "manifestOverridesPayload.payloadData",
    "ManifestOverridesPayloadData",
  );
  if (parsed === undefined) return problems;
  if (!isObject(parsed))
    return [...problems, `(root): must be an object with the single key nodeGraphOverrides`];
  checkKeys(problems, "(root)", parsed, ["nodeGraphOverrides"]);
  const graph = parsed.nodeGraphOverrides;
  if (!isObject(graph))
    return [...problems, `nodeGraphOverrides: is required and must be an object`];
  if (typeof overrides !== "string") {
    const text = safeSerialize(() =>
      serializeManifestOverrides(parsed as unknown as ManifestOverrides),
    );
    if (text !== undefined)
      checkPayloadText(
        problems,
        text,
        "manifestOverridesPayload.payloadData",
        "ManifestOverridesPayloadData",
      );
  }

  const p = "nodeGraphOverrides";
  checkKeys(problems, p, graph, OVERRIDES_KEYS);
  checkEnvelope(problems, p, graph.envelopeVersion);
  checkDescription(problems, p, graph.description);
  const packages = checkPackages(problems, `${p}.packages`, graph.packages, false);
  const nodes = checkNodes(problems, `${p}.nodes`, graph.nodes, false);
  checkNetworkRoutingRules(problems, p, graph.networkRoutingRules);

  let base: Record<string, unknown> | undefined;
  if (options.manifest !== undefined) {
    const baseProblems = validateApplicationManifest(options.manifest);
    if (baseProblems.length) {
      problems.push(
        `(manifest): the application manifest the overrides apply to is invalid: ${baseProblems.join("; ")}`,
      );
    } else {
      const doc =
        typeof options.manifest === "string" ? JSON.parse(options.manifest) : options.manifest;
      base = doc.nodeGraph;
    }
  }
  const baseNodes = base ? (base.nodes as NodeEntry[]) : [];
  const basePackages = base ? (base.packages as PackageInclude[]).map((x) => x.name) : [];

  // Without the graph, an interface may name a package declared only there: not checkable.
  if (base && packages)
    checkInterfacePackages(
      problems,
      `${p}.nodes`,
      nodes,
      [...packages, ...basePackages],
      `${p}.packages or nodeGraph.packages`,
    );
  if (base || graph.edges !== undefined)
    checkEdges(
      problems,
      `${p}.edges`,
      graph.edges,
      base ? [...baseNodes, ...nodes] : nodes,
      base ? `${p}.nodes or nodeGraph.nodes` : `${p}.nodes`,
      !base,
    );
  checkNodeOverrides(
    problems,
    `${p}.nodeOverrides`,
    graph.nodeOverrides,
    nodes,
    base ? baseNodes : undefined,
  );
  return problems;
}

function parsePayload(
  problems: string[],
  input: unknown,
  path: string,
  shapeName: string,
): unknown {
  if (typeof input !== "string") return input;
  checkPayloadText(problems, input, path, shapeName);
  try {
    return JSON.parse(input);
  } catch (e) {
    problems.push(`${path}: is not valid JSON (${(e as Error).message})`);
    return undefined;
  }
}

function checkPayloadText(problems: string[], text: string, path: string, shapeName: string): void {
  const limit = apiStringLimit(shapeName);
  const length = [...text].length;
  if (length < limit.min) problems.push(`${path}: must not be empty`);
  if (length > limit.max)
    problems.push(
      `${path}: is ${length} characters, the API accepts at most ${limit.max} (${shapeName})`,
    );
  // `^.+$` without the s flag: the API refuses line breaks, hence compact JSON.
  if (length >= limit.min && !limit.pattern.test(text))
    problems.push(
      `${path}: must match ${limit.pattern.source} (${shapeName}); remove line breaks, e.g. send compact JSON`,
    );
}

function safeSerialize(f: () => string): string | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function checkEnvelope(problems: string[], p: string, value: unknown): void {
  if (value === undefined)
    problems.push(`${p}.envelopeVersion: is required ("${MANIFEST_ENVELOPE_VERSION}")`);
  else if (value !== MANIFEST_ENVELOPE_VERSION)
    problems.push(`${p}.envelopeVersion: must be "${MANIFEST_ENVELOPE_VERSION}" ${got(value)}`);
}

function checkDescription(problems: string[], p: string, value: unknown): void {
  if (value === undefined) return;
  checkString(problems, `${p}.description`, value, { max: DESCRIPTION_MAX_LENGTH });
}

function checkNetworkRoutingRules(problems: string[], p: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void problems.push(`${p}.networkRoutingRules: must be a list`);
  value.forEach((r, i) => {
    if (!isObject(r)) problems.push(`${p}.networkRoutingRules[${i}]: must be an object`);
  });
}

/** Returns the declared package names (`<owner>::<PackageName>`), `undefined` if there is no list. */
function checkPackages(
  problems: string[],
  p: string,
  value: unknown,
  required: boolean,
): string[] | undefined {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) {
    problems.push(`${p}: is required and must be a list`);
    return undefined;
  }
  if (required && value.length === 0) problems.push(`${p}: must list at least 1 package`);
  const names: string[] = [];
  value.forEach((pkg, i) => {
    const at = `${p}[${i}]`;
    if (!isObject(pkg)) return void problems.push(`${at}: must be an object`);
    checkKeys(problems, at, pkg, PACKAGE_KEYS);
    const nameOk = checkString(problems, `${at}.name`, pkg.name, {
      max: PACKAGE_INCLUDE_MAX_LENGTH,
      pattern: PACKAGE_INCLUDE_NAME_PATTERN,
    });
    checkString(problems, `${at}.version`, pkg.version, {
      max: PACKAGE_INCLUDE_MAX_LENGTH,
      pattern: PACKAGE_INCLUDE_VERSION_PATTERN,
    });
    // The schema allows any string; a pinned patch must be one the API can name.
    if (pkg.patchVersion !== undefined)
      checkApiString(problems, `${at}.patchVersion`, pkg.patchVersion, "NodePackagePatchVersion");
    if (pkg.generatedPatchVersion !== undefined)
      checkString(problems, `${at}.generatedPatchVersion`, pkg.generatedPatchVersion, {});
    if (pkg.uri !== undefined) checkString(problems, `${at}.uri`, pkg.uri, {});
    if (!nameOk) return;
    const name = pkg.name as string;
    const first = names.indexOf(name);
    // Node interfaces name packages without a version, so a second entry would be ambiguous.
    if (first >= 0)
      problems.push(`${at}.name: package "${name}" is already listed at ${p}[${first}]`);
    names.push(name);
  });
  return names;
}

/** Returns the nodes by index, `undefined` where an entry is not an object (for cross-references). */
function checkNodes(problems: string[], p: string, value: unknown, required: boolean): NodeEntry[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) {
    problems.push(`${p}: is required and must be a list`);
    return [];
  }
  if (required && value.length === 0) problems.push(`${p}: must list at least 1 node`);
  const seen = new Map<string, number>();
  const nodes: NodeEntry[] = [];
  value.forEach((node, i) => {
    const at = `${p}[${i}]`;
    nodes.push(isObject(node) ? node : undefined);
    if (!isObject(node)) return void problems.push(`${at}: must be an object`);
    if (
      checkString(problems, `${at}.name`, node.name, {
        min: 1,
        max: NODE_NAME_MAX_LENGTH,
        pattern: NODE_NAME_PATTERN,
      })
    ) {
      const name = node.name as string;
      if (seen.has(name))
        problems.push(`${at}.name: node "${name}" is already declared at ${p}[${seen.get(name)}]`);
      else seen.set(name, i);
    }
    const iface = node.interface;
    const isValueNode =
      typeof iface === "string" && (VALUE_NODE_INTERFACES as readonly string[]).includes(iface);
    if (iface === undefined) {
      problems.push(`${at}.interface: is required`);
    } else if (!isValueNode && (typeof iface !== "string" || !NODE_INTERFACE_PATTERN.test(iface))) {
      problems.push(
        `${at}.interface: must match ${NODE_INTERFACE_PATTERN.source} or be one of ${VALUE_NODE_INTERFACES.join(", ")} ${got(iface)}`,
      );
    }
    const allowed = isValueNode
      ? ["name", "interface", "value", "overridable", "overrideMandatory", "decorator"]
      : ["name", "interface", "overridable", "overrideMandatory", "launch", "decorator"];
    checkKeys(
      problems,
      at,
      node,
      allowed,
      isValueNode ? "on a value node" : "on an interface node",
    );
    if (isValueNode && node.value !== undefined)
      checkValue(problems, `${at}.value`, iface as ValueNodeInterface, node.value);
    for (const flag of ["overridable", "overrideMandatory"]) {
      if (node[flag] !== undefined && typeof node[flag] !== "boolean")
        problems.push(`${at}.${flag}: must be a boolean ${got(node[flag])}`);
    }
    if (
      node.launch !== undefined &&
      !isValueNode &&
      !(NODE_LAUNCH_MODES as readonly unknown[]).includes(node.launch)
    )
      problems.push(
        `${at}.launch: must be one of ${NODE_LAUNCH_MODES.join(", ")} ${got(node.launch)}`,
      );
    if (node.decorator !== undefined) checkDecorator(problems, `${at}.decorator`, node.decorator);
  });
  return nodes;
}

function checkValue(
  problems: string[],
  at: string,
  type: ValueNodeInterface,
  value: unknown,
): void {
  switch (type) {
    case "boolean":
      if (typeof value !== "boolean")
        problems.push(`${at}: must be a boolean for a boolean node ${got(value)}`);
      return;
    case "string":
      if (typeof value !== "string")
        problems.push(`${at}: must be a string for a string node ${got(value)}`);
      return;
    case "int32":
      if (
        typeof value !== "number" ||
        !Number.isInteger(value) ||
        value < INT32_MIN ||
        value > INT32_MAX
      )
        problems.push(
          `${at}: must be an integer from ${INT32_MIN} to ${INT32_MAX} for an int32 node ${got(value)}`,
        );
      return;
    case "float32":
      if (typeof value !== "number" || !Number.isFinite(value) || Math.abs(value) > FLOAT32_MAX)
        problems.push(
          `${at}: must be a finite number within the float32 range for a float32 node ${got(value)}`,
        );
      return;
  }
}

function checkDecorator(problems: string[], at: string, value: unknown): void {
  if (!isObject(value)) return void problems.push(`${at}: must be an object`);
  checkKeys(problems, at, value, DECORATOR_KEYS);
  for (const k of DECORATOR_KEYS) {
    if (value[k] !== undefined)
      checkString(problems, `${at}.${k}`, value[k], { min: 1, max: DECORATOR_FIELD_MAX_LENGTH });
  }
}

/** Each interface node must use a package the document declares. */
function checkInterfacePackages(
  problems: string[],
  p: string,
  nodes: NodeEntry[],
  packages: string[],
  where: string,
): void {
  nodes.forEach((node, i) => {
    const iface = node?.interface;
    if (typeof iface !== "string" || !NODE_INTERFACE_PATTERN.test(iface)) return;
    const pkg = iface.slice(0, iface.lastIndexOf("."));
    if (!packages.includes(pkg))
      problems.push(
        `${p}[${i}].interface: uses package "${pkg}", which is not declared in ${where}`,
      );
  });
}

function checkEdges(
  problems: string[],
  p: string,
  value: unknown,
  nodes: NodeEntry[],
  where: string,
  allowUndeclared = false,
): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void problems.push(`${p}: must be a list`);
  const byName = new Map<string, Record<string, unknown>>();
  for (const n of nodes)
    if (n && typeof n.name === "string" && !byName.has(n.name)) byName.set(n.name, n);
  const isValue = (n: Record<string, unknown>) =>
    (VALUE_NODE_INTERFACES as readonly unknown[]).includes(n.interface);
  value.forEach((edge, i) => {
    const at = `${p}[${i}]`;
    if (!isObject(edge)) return void problems.push(`${at}: must be an object`);
    checkKeys(problems, at, edge, EDGE_KEYS);
    for (const end of EDGE_KEYS) {
      const ref = edge[end];
      if (!checkString(problems, `${at}.${end}`, ref, { pattern: EDGE_ENDPOINT_PATTERN })) continue;
      const dot = (ref as string).indexOf(".");
      const nodeName = dot < 0 ? (ref as string) : (ref as string).slice(0, dot);
      const node = byName.get(nodeName);
      if (!node) {
        // Overrides checked without their graph may connect graph nodes: not checkable then.
        if (!allowUndeclared)
          problems.push(
            `${at}.${end}: refers to node "${nodeName}", which is not declared in ${where}`,
          );
        continue;
      }
      if (end === "producer" && dot < 0 && !isValue(node))
        problems.push(
          `${at}.producer: "${ref}" must name an output port (<node>.<port>); only value nodes produce without a port`,
        );
      if (end === "producer" && dot >= 0 && isValue(node))
        problems.push(
          `${at}.producer: "${ref}": value node "${nodeName}" has no ports; use "${nodeName}"`,
        );
      if (end === "consumer" && isValue(node))
        problems.push(
          `${at}.consumer: "${ref}" is a value node, which cannot consume; name an input port <node>.<port>`,
        );
      else if (end === "consumer" && dot < 0)
        problems.push(`${at}.consumer: "${ref}" must name an input port (<node>.<port>)`);
    }
  });
}

function checkNodeOverrides(
  problems: string[],
  p: string,
  value: unknown,
  overrideNodes: NodeEntry[],
  baseNodes: NodeEntry[] | undefined,
): void {
  const replaced = new Map<string, number>();
  if (value !== undefined && !Array.isArray(value))
    return void problems.push(`${p}: must be a list`);
  const declared = new Set(overrideNodes.map((n) => n?.name));
  ((value as unknown[]) ?? []).forEach((o, i) => {
    const at = `${p}[${i}]`;
    if (!isObject(o)) return void problems.push(`${at}: must be an object`);
    checkKeys(problems, at, o, [...NODE_OVERRIDE_KEYS, "envelopeVersion"]);
    if (o.envelopeVersion !== undefined) checkEnvelope(problems, at, o.envelopeVersion);
    if (checkString(problems, `${at}.replace`, o.replace, { pattern: NODE_NAME_PATTERN })) {
      const target = o.replace as string;
      if (replaced.has(target))
        problems.push(
          `${at}.replace: node "${target}" is already replaced at ${p}[${replaced.get(target)}]`,
        );
      else replaced.set(target, i);
      if (baseNodes) {
        const node = baseNodes.find((n) => n?.name === target);
        if (!node)
          problems.push(`${at}.replace: node "${target}" is not declared in nodeGraph.nodes`);
        // A node the developer did not mark overridable cannot be replaced at deployment.
        else if (node.overridable !== true)
          problems.push(
            `${at}.replace: node "${target}" is not overridable in the application manifest`,
          );
      }
    }
    if (!Array.isArray(o.with))
      return void problems.push(`${at}.with: is required and must be a list`);
    o.with.forEach((w, j) => {
      const wat = `${at}.with[${j}]`;
      if (!isObject(w)) return void problems.push(`${wat}: must be an object with a name`);
      checkKeys(problems, wat, w, ["name"]);
      if (!checkString(problems, `${wat}.name`, w.name, { pattern: NODE_NAME_PATTERN })) return;
      if (!declared.has(w.name))
        problems.push(`${wat}.name: node "${w.name}" is not declared in nodeGraphOverrides.nodes`);
    });
  });
  for (const node of baseNodes ?? []) {
    if (
      node?.overrideMandatory === true &&
      typeof node.name === "string" &&
      !replaced.has(node.name)
    )
      problems.push(
        `${p}: node "${node.name}" is overrideMandatory in the application manifest and must be replaced`,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Small checks
// ---------------------------------------------------------------------------------------------

type NodeEntry = Record<string, unknown> | undefined;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkKeys(
  problems: string[],
  at: string,
  obj: Record<string, unknown>,
  allowed: string[],
  context = "",
): void {
  for (const k of Object.keys(obj)) {
    if (obj[k] !== undefined && !allowed.includes(k))
      problems.push(
        `${at === "(root)" ? "" : `${at}.`}${k}: is not allowed${context ? ` ${context}` : ""} (allowed: ${allowed.join(", ")})`,
      );
  }
}

function checkString(
  problems: string[],
  at: string,
  value: unknown,
  rule: { min?: number; max?: number; pattern?: RegExp },
): boolean {
  if (value === undefined) {
    problems.push(`${at}: is required`);
    return false;
  }
  if (typeof value !== "string") {
    problems.push(`${at}: must be a string ${got(value)}`);
    return false;
  }
  const before = problems.length;
  const length = [...value].length;
  if (rule.min !== undefined && length < rule.min)
    problems.push(`${at}: must have at least ${rule.min} character(s)`);
  if (rule.max !== undefined && length > rule.max)
    problems.push(`${at}: must have at most ${rule.max} characters (has ${length})`);
  if (rule.pattern && !rule.pattern.test(value))
    problems.push(`${at}: must match ${rule.pattern.source} ${got(value)}`);
  return problems.length === before;
}

function checkApiString(
  problems: string[],
  at: string,
  value: unknown,
  shapeName: string,
): boolean {
  const limit = apiStringLimit(shapeName);
  return checkString(problems, at, value, limit);
}

function got(value: unknown): string {
  let text: string;
  try {
    text =
      typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  } catch {
    text = String(value);
  }
  return `(got ${text.length > 80 ? `${text.slice(0, 77)}...` : text})`;
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
