// check of an ApplicationInstance: the CreateApplicationInstance request against the model, the
// graph.json and overrides documents against their rules, and the deploymentKey tag's place.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { validate } from "../../model/panoramaModel";
import { requestViolations, violationSentence } from "../lifecycle/inputChecks";
import type { Props } from "../lifecycle/resourceSpec";
import { isUnknown } from "../lifecycle/unknowns";
import {
  validateApplicationManifest,
  validateManifestOverrides,
} from "../manifest/applicationManifest";
import { DEPLOYMENT_KEY_TAG } from "./applicationInstanceCalls";
import { pausedNodesFailures } from "./applicationInstanceSignals";

/** The TagMap limit of the API. */
const MAX_TAGS = 50;

export function checkInstance(inputs: Props, adopting: boolean): dynamic.CheckFailure[] {
  const failures: dynamic.CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const manifest = inputs.manifestPayload;
  const overrides = inputs.manifestOverridesPayload;

  for (const [key, builder] of [
    ["manifestPayload", "applicationManifest() or applicationManifestOutput()"],
    ["manifestOverridesPayload", "manifestOverrides() or manifestOverridesOutput()"],
  ]) {
    const v = inputs[key];
    if (v !== undefined && !isUnknown(v) && typeof v !== "string")
      fail(key, `${key}: must be the document's JSON text (a string); build it with ${builder}`);
  }

  const tags: Props | undefined = inputs.tags;
  for (const v of requestViolations("CreateApplicationInstanceRequest", {
    name: inputs.name,
    description: inputs.description,
    manifestPayload: manifest === undefined ? undefined : { payloadData: manifest },
    manifestOverridesPayload: overrides === undefined ? undefined : { payloadData: overrides },
    applicationInstanceIdToReplace: inputs.applicationInstanceIdToReplace,
    runtimeRoleArn: inputs.runtimeRoleArn,
    defaultRuntimeContextDevice: inputs.defaultRuntimeContextDevice,
    tags,
  })) {
    // An adopted instance's settings come from the instance; only given ones are checked.
    if (adopting && v.rule === "Member must not be null") continue;
    // The payload texts are checked below, with the same model limits and the document schemas.
    if (
      v.path === "manifestPayload.payloadData" ||
      v.path === "manifestOverridesPayload.payloadData"
    )
      continue;
    // Counted below, including the deploymentKey tag.
    if (v.path === "tags" && /entries less than or equal/.test(v.rule)) continue;
    fail(v.property, violationSentence(v.path, v.rule));
  }

  let manifestValid = false;
  if (typeof manifest === "string" && !isUnknown(manifest)) {
    const problems = validateApplicationManifest(manifest);
    for (const p of problems) fail("manifestPayload", documentProblem("manifestPayload", p));
    manifestValid = problems.length === 0;
  }
  if (typeof overrides === "string" && !isUnknown(overrides)) {
    for (const p of validateManifestOverrides(overrides, manifestValid ? { manifest } : {}))
      fail("manifestOverridesPayload", documentProblem("manifestOverridesPayload", p));
  } else if (overrides === undefined && manifestValid) {
    // No overrides at all: a graph node marked overrideMandatory is still missing its replacement.
    for (const p of validateManifestOverrides("", { manifest }))
      fail("manifestOverridesPayload", documentProblem("manifestOverridesPayload", p));
  }

  failures.push(...pausedNodesFailures(inputs, manifestValid));

  if (tags && typeof tags === "object" && !isUnknown(tags)) {
    if (DEPLOYMENT_KEY_TAG in tags)
      fail(
        "tags",
        `tags["${DEPLOYMENT_KEY_TAG}"]: is reserved for this resource's deploymentKey; remove it from tags`,
      );
    if (Object.keys(tags).length >= MAX_TAGS)
      fail(
        "tags",
        `tags: must have at most ${MAX_TAGS - 1} entries (the API allows ${MAX_TAGS}; one holds the deploymentKey)`,
      );
  }
  const key = inputs.deploymentKey;
  if (key === undefined)
    fail(
      "deploymentKey",
      "deploymentKey: is required (the ApplicationInstance class derives it from the project, stack and resource name)",
    );
  else if (!isUnknown(key)) {
    for (const v of validate("TagValue", key, "deploymentKey", isUnknown))
      fail("deploymentKey", violationSentence(v.path, v.rule));
    if (key === "") fail("deploymentKey", "deploymentKey: must not be empty");
  }
  return failures;
}

/** `manifestPayload.payloadData: must not be empty` → `manifestPayload: must not be empty`; field paths are kept. */
function documentProblem(property: string, problem: string): string {
  const prefix = `${property}.payloadData: `;
  return problem.startsWith(prefix)
    ? `${property}: ${problem.slice(prefix.length)}`
    : `${property}: ${problem}`;
}
