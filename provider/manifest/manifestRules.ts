// The rules of the application manifest (graph.json) the provider checks: the schema rules the
// emulator checks too (model/graphRules.ts, re-exported here) and the provider's own numeric and
// API-payload limits (from the Smithy model).
import { shape } from "../../model/panoramaModel";
// ---------------------------------------------------------------------------------------------
// Rules (one source)
// ---------------------------------------------------------------------------------------------

export {
  DECORATOR_FIELD_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  EDGE_ENDPOINT_PATTERN,
  MANIFEST_ENVELOPE_VERSION,
  NODE_INTERFACE_PATTERN,
  NODE_LAUNCH_MODES,
  NODE_NAME_MAX_LENGTH,
  NODE_NAME_PATTERN,
  PACKAGE_INCLUDE_MAX_LENGTH,
  PACKAGE_INCLUDE_NAME_PATTERN,
  PACKAGE_INCLUDE_VERSION_PATTERN,
  VALUE_NODE_INTERFACES,
} from "../../model/graphRules";
export type { NodeLaunch, ValueNodeInterface } from "../../model/graphRules";

/** The owner of the packages built into every appliance (`panorama::abstract_rtsp_media_source`). */
export const BUILT_IN_PACKAGE_OWNER = "panorama";

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
