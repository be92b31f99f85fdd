// The rules of the application manifest (graph.json) and its overrides, for the provider (which
// validates and serializes them) and the emulator (which checks them at CreateApplicationInstance).
// They mirror the DG schemas `resources/manifest-schema/ver_2021-01-01/nodeGraph.schema.json`,
// `nodeGraphOverrides.schema.json` and the files they reference (reference §8.1, §8.2).

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

/** Owner of the built-in packages (`panorama::abstract_rtsp_media_source` …). */
export const BUILT_IN_OWNER = "panorama";

// The members each object allows, in the order serialization writes them.
export const GRAPH_KEYS = [
  "envelopeVersion",
  "description",
  "packages",
  "nodes",
  "edges",
  "networkRoutingRules",
];
export const OVERRIDES_KEYS = [
  "envelopeVersion",
  "description",
  "packages",
  "nodes",
  "edges",
  "nodeOverrides",
  "networkRoutingRules",
];
export const PACKAGE_KEYS = ["name", "version", "patchVersion", "generatedPatchVersion", "uri"];
export const NODE_KEYS = [
  "name",
  "interface",
  "value",
  "overridable",
  "overrideMandatory",
  "launch",
  "decorator",
];
/** A value node has a `value` and no `launch`; an interface node the other way round. */
export const VALUE_NODE_KEYS = NODE_KEYS.filter((k) => k !== "launch");
export const INTERFACE_NODE_KEYS = NODE_KEYS.filter((k) => k !== "value");
export const DECORATOR_KEYS = ["title", "description", "constraintText", "constraintRegex"];
export const EDGE_KEYS = ["producer", "consumer"];
export const NODE_OVERRIDE_KEYS = ["replace", "with"];

export function isValueNodeInterface(value: unknown): value is ValueNodeInterface {
  return (VALUE_NODE_INTERFACES as readonly unknown[]).includes(value);
}

export interface NodeInterfaceRef {
  owner: string;
  packageName: string;
  interfaceName: string;
}

/** `<owner>::<package>.<interface>` split into its parts, or undefined when it does not match. */
export function parseNodeInterface(text: string): NodeInterfaceRef | undefined {
  if (!NODE_INTERFACE_PATTERN.test(text)) return undefined;
  const [owner, rest] = text.split("::");
  const dot = rest.indexOf(".");
  return { owner, packageName: rest.slice(0, dot), interfaceName: rest.slice(dot + 1) };
}
