// Validation of graph.json and overrides documents for the builders and `check`: the API's limits
// on the payload text (Smithy model), then the document rules of model/graphValidation.ts, every
// broken rule as `<field path>: <rule>`.
import { apiStringLimit, FieldProblem } from "../../model/fieldProblems";
import { MANIFEST_ENVELOPE_VERSION } from "../../model/graphRules";
import {
  applicationManifestProblems,
  manifestOverridesProblems,
  noOverrides,
  parseDocument,
} from "../../model/graphValidation";
import { serializeApplicationManifest, serializeManifestOverrides } from "./manifestSerialization";
import { ApplicationManifest, ManifestOverrides, ManifestOverridesOptions } from "./manifestTypes";

/**
 * Every broken rule of an application manifest, as `<field path>: <rule>`; empty when valid.
 * Text is checked as the API sees it (`ManifestPayloadData`: 1–51200 characters, one line), an
 * object as the text `applicationManifest()` would send.
 */
export function validateApplicationManifest(
  manifest: string | ApplicationManifest | unknown,
): string[] {
  const payload = payloadProblems(
    manifest,
    "manifestPayload.payloadData",
    "ManifestPayloadData",
    () => serializeApplicationManifest(manifest as ApplicationManifest),
  );
  if (!payload.parsed) return payload.problems;
  return [...payload.problems, ...sentences(applicationManifestProblems(payload.document))];
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
  let graph: unknown;
  if (options.manifest !== undefined) {
    const graphProblems = validateApplicationManifest(options.manifest);
    if (graphProblems.length)
      return [
        `(manifest): the application manifest the overrides apply to is invalid: ${graphProblems.join("; ")}`,
      ];
    graph = typeof options.manifest === "string" ? JSON.parse(options.manifest) : options.manifest;
  }
  if (overrides === "") {
    // No overrides: with the graph, its overrideMandatory nodes are still missing a replacement.
    return graph === undefined
      ? []
      : sentences(manifestOverridesProblems(noOverrides(MANIFEST_ENVELOPE_VERSION), graph));
  }
  const payload = payloadProblems(
    overrides,
    "manifestOverridesPayload.payloadData",
    "ManifestOverridesPayloadData",
    () => serializeManifestOverrides(overrides as ManifestOverrides),
  );
  if (!payload.parsed) return payload.problems;
  return [...payload.problems, ...sentences(manifestOverridesProblems(payload.document, graph))];
}

interface Payload {
  problems: string[];
  parsed: boolean;
  document?: unknown;
}

/** The payload text's problems (its own, or that of the text a document would be sent as). */
function payloadProblems(
  input: unknown,
  path: string,
  shapeName: string,
  serialize: () => string,
): Payload {
  if (typeof input !== "string") {
    const text = safely(serialize);
    return {
      problems: text === undefined ? [] : textProblems(text, path, shapeName),
      parsed: true,
      document: input,
    };
  }
  const problems = textProblems(input, path, shapeName);
  const parsed = parseDocument(input);
  if (!parsed.ok) return { problems: [...problems, `${path}: ${parsed.rule}`], parsed: false };
  return { problems, parsed: true, document: parsed.document };
}

function textProblems(text: string, path: string, shapeName: string): string[] {
  const limit = apiStringLimit(shapeName);
  const length = [...text].length;
  const problems: string[] = [];
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
  return problems;
}

function safely(f: () => string): string | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** `<field path>: <rule>`; `(root)` names the document itself. */
export function sentences(problems: FieldProblem[]): string[] {
  return problems.map((p) => `${p.path || "(root)"}: ${p.rule}`);
}
