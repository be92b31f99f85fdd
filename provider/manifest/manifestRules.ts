// The rules of the application manifest (graph.json) and its overrides, one named constant each.
// They mirror the DG schemas `resources/manifest-schema/ver_2021-01-01/nodeGraph.schema.json`,
// `nodeGraphOverrides.schema.json` and the files they reference (reference §8.1, §8.2); payload
// limits come from the Smithy model.
import { shape } from "../../model/panoramaModel";
// ---------------------------------------------------------------------------------------------
// Rules (one source)
// ---------------------------------------------------------------------------------------------

export const MANIFEST_ENVELOPE_VERSION = "2021-01-01";

/** The owner of the packages built into every appliance (`panorama::abstract_rtsp_media_source`). */
export const BUILT_IN_PACKAGE_OWNER = "panorama";

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

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
export const FLOAT32_MAX = 3.4028234663852886e38;

/** `arn:<partition>:panorama:<region>:<account>:package/<packageId>`. */
export const PACKAGE_ARN_PATTERN = /^arn:[a-z0-9-]+:panorama:[a-z0-9-]*:([0-9]{12}):package\/(.+)$/;

export interface StringLimit {
  min: number;
  max: number;
  pattern: RegExp;
}

/** Length and pattern of a string shape of the Smithy model (the one source of API limits). */
export function apiStringLimit(shapeName: string): StringLimit {
  const traits = shape(shapeName).traits ?? {};
  const length = (traits["smithy.api#length"] ?? {}) as { min?: number; max?: number };
  return {
    min: length.min ?? 0,
    max: length.max ?? Number.MAX_SAFE_INTEGER,
    pattern: new RegExp((traits["smithy.api#pattern"] as string | undefined) ?? "^[\\s\\S]*$"),
  };
}
