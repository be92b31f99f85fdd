// Facts of the application manifest (graph.json) and its overrides, read from the JSON Schema
// documents in model/schemas/ (the one source of those rules; see model/schemas/README.md):
// the envelope version, the patterns the tests and builders name, and the member order that
// serialization writes. The provider and the emulator both import them.
import graphSchema from "./schemas/nodeGraph.schema.json";
import overridesSchema from "./schemas/nodeGraphOverrides.schema.json";
import parts from "./schemas/graphParts.schema.json";

const defs = parts.definitions;

export const MANIFEST_ENVELOPE_VERSION: string = defs.envelopeVersion.enum[0];

/** `<owner>::<PackageName>` of a package include. */
export const PACKAGE_INCLUDE_NAME_PATTERN = new RegExp(defs.packageInclude.properties.name.pattern);
/** `<major>.<minor>` of a package include. */
export const PACKAGE_INCLUDE_VERSION_PATTERN = new RegExp(
  defs.packageInclude.properties.version.pattern,
);
/** Node names, `replace` and `with[].name` of node overrides. */
export const NODE_NAME_PATTERN = new RegExp(defs.nodeName.pattern);
/** `<owner>::<package>.<interfaceName>`. */
export const NODE_INTERFACE_PATTERN = new RegExp(defs.interfaceReference.pattern);
/** `node` (a value node) or `node.port`. */
export const EDGE_ENDPOINT_PATTERN = new RegExp(defs.edgeEnd.pattern);

export const VALUE_NODE_INTERFACES: readonly string[] = defs.valueType.enum;
export const NODE_LAUNCH_MODES: readonly string[] = defs.interfaceNode.properties.launch.enum;

/** Owner of the built-in packages (`panorama::abstract_rtsp_media_source` …). */
export const BUILT_IN_OWNER = "panorama";
/** The graph's abstract camera, which a device's overrides replace with a camera node. */
export const ABSTRACT_CAMERA_INTERFACE = "panorama::abstract_rtsp_media_source.rtsp_v1_interface";

// The members each object allows, in the order serialization writes them (the schemas' order).
export const GRAPH_KEYS = Object.keys(graphSchema.properties.nodeGraph.properties);
export const OVERRIDES_KEYS = Object.keys(overridesSchema.properties.nodeGraphOverrides.properties);
export const PACKAGE_KEYS = Object.keys(defs.packageInclude.properties);
/** Every member of a value node and of an interface node, in one order. */
export const NODE_KEYS = mergeOrdered(
  Object.keys(defs.stringNode.properties),
  Object.keys(defs.interfaceNode.properties),
);
export const DECORATOR_KEYS = Object.keys(defs.nodeDecorator.properties);
export const EDGE_KEYS = Object.keys(defs.edge.properties) as ("producer" | "consumer")[];
export const NODE_OVERRIDE_KEYS = Object.keys(defs.nodeOverride.properties);

export function isValueNodeInterface(value: unknown): boolean {
  return VALUE_NODE_INTERFACES.includes(value as string);
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

/** `first`, with each key only `second` has placed right after the key it follows there. */
function mergeOrdered(first: string[], second: string[]): string[] {
  const out = [...first];
  second.forEach((key, i) => {
    if (!out.includes(key)) out.splice(i === 0 ? 0 : out.indexOf(second[i - 1]) + 1, 0, key);
  });
  return out;
}
