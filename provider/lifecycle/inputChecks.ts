// Small pieces every resource's check and diff share: model violations as check failures named by
// property, the provider's own options, and "did this input change" with preview unknowns.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { validate } from "../../model/panoramaModel";
import { camelPath, toApi } from "./apiShapes";
import { resolveRegion } from "../calls/awsClients";
import { canonicalJson } from "../../model/canonicalJson";
import { containsUnknown, isUnknown } from "./unknowns";
import { waitOptionViolations } from "../calls/wait";
import { HIDDEN_INPUTS } from "./hiddenInputs";

const isHidden = (key: string) => (HIDDEN_INPUTS as readonly string[]).includes(key);

/** `ManifestPayload.PayloadData` + `Member must not be null` → `manifestPayload.payloadData: must not be null`. */
export function violationSentence(path: string, rule: string): string {
  return `${path}: ${rule.replace(/^Member /, "").replace(/^Key /, "key ")}`;
}

export interface RequestViolation {
  /** The top-level input the violation belongs to (the check failure's `property`). */
  property: string;
  /** camelCase path of the member, e.g. `outputConfig.packageVersionOutputConfig.packageName`. */
  path: string;
  rule: string;
}

/** Converts camelCase inputs to the API request `shape` and validates it with the Smithy model. */
export function requestViolations(
  shape: string,
  camelRequest: Record<string, unknown>,
): RequestViolation[] {
  const request = toApi(shape, camelRequest);
  return validate(shape, request, "", isUnknown).map((v) => {
    const path = camelPath(v.path);
    return { property: path.split(/[.[]/)[0], path, rule: v.rule };
  });
}

/**
 * Check failures of the request `shape` built from camelCase inputs. While adopting, the object's
 * own values stand in for missing members, so only the members the program gives are checked.
 */
export function requestFailures(
  shape: string,
  camelRequest: Record<string, unknown>,
  adopting = false,
): dynamic.CheckFailure[] {
  return requestViolations(shape, camelRequest)
    .filter((v) => !(adopting && v.rule === "Member must not be null"))
    .map((v) => ({ property: v.property, reason: violationSentence(v.path, v.rule) }));
}

/** One failure per input the resource does not know, listing the ones it does. */
export function unknownPropertyFailures(
  resource: string,
  inputs: Record<string, unknown>,
  known: readonly string[],
): dynamic.CheckFailure[] {
  return Object.keys(inputs)
    .filter((key) => key !== "__provider" && !isHidden(key) && !known.includes(key))
    .map((key) => ({
      property: key,
      reason: `${key}: unknown property of ${resource} (known: ${known.join(", ")})`,
    }));
}

/** The `region` and `waitOptions` options every resource has. */
export function commonOptionFailures(inputs: Record<string, unknown>): dynamic.CheckFailure[] {
  const failures: dynamic.CheckFailure[] = [];
  const region = inputs.region;
  if (
    region !== undefined &&
    !isUnknown(region) &&
    !(typeof region === "string" && /^[a-z0-9-]+$/.test(region))
  )
    failures.push({
      property: "region",
      reason: `region: must be an AWS region name such as us-east-1 (got ${JSON.stringify(region)})`,
    });
  if (!containsUnknown(inputs.waitOptions))
    for (const reason of waitOptionViolations(inputs.waitOptions, "waitOptions"))
      failures.push({ property: "waitOptions", reason });
  return failures;
}

/** A boolean option of the provider (not an API member). */
export function booleanOptionFailures(
  inputs: Record<string, unknown>,
  key: string,
): dynamic.CheckFailure[] {
  const v = inputs[key];
  if (v === undefined || isUnknown(v) || typeof v === "boolean") return [];
  return [{ property: key, reason: `${key}: must be a boolean` }];
}

/** True if an input changed; a value not known yet (preview) counts as a change. */
export function differs(a: unknown, b: unknown): boolean {
  if (containsUnknown(b)) return true;
  return canonicalJson(a ?? null) !== canonicalJson(b ?? null);
}

/** Like differs, but an unknown part of `b` (a preview) matches whatever `a` has there. */
export function differsWhereKnown(a: unknown, b: unknown): boolean {
  if (isUnknown(b)) return false;
  if (!containsUnknown(b)) return differs(a, b);
  if (Array.isArray(b))
    return (
      !Array.isArray(a) || a.length !== b.length || b.some((v, i) => differsWhereKnown(a[i], v))
    );
  if (!a || typeof a !== "object" || Array.isArray(a)) return true;
  const old = a as Record<string, unknown>;
  const now = b as Record<string, unknown>;
  return [...new Set([...Object.keys(old), ...Object.keys(now)])].some((k) =>
    differsWhereKnown(old[k], now[k]),
  );
}

/** The region an input resolves to now, or undefined when none can be resolved. */
export function safeRegion(
  region: unknown,
  resolve: (requested: string | undefined) => string = resolveRegion,
): string | undefined {
  try {
    return resolve(typeof region === "string" ? region : undefined);
  } catch {
    return undefined;
  }
}

/**
 * True if the resolved region changed (or is not known yet): the remote object must be replaced.
 * `resolve` is the call's (the plugin's provider config), else the stack's.
 */
export function regionChanged(
  oldRegion: unknown,
  newRegion: unknown,
  resolve?: (requested: string | undefined) => string,
): boolean {
  return (
    containsUnknown(newRegion) || (!!oldRegion && safeRegion(newRegion, resolve) !== oldRegion)
  );
}
