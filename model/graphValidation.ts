// The one validator of graph.json and its overrides: the schema documents (model/schemas/, checked
// with Ajv) plus the cross-member rules (graphReferences.ts). The provider's builders and `check`
// and the emulator's CreateApplicationInstance call it and word the problems in their own style.
import { FieldProblem } from "./fieldProblems";
import { graphReferenceProblems, overridesReferenceProblems } from "./graphReferences";
import { schemaErrors } from "./graphSchema";
import { schemaProblems } from "./schemaMessages";

export type { FieldProblem } from "./fieldProblems";

export type Parsed = { ok: true; document: unknown } | { ok: false; rule: string };

/** Payload text as a JSON document, or the rule it breaks. */
export function parseDocument(text: string): Parsed {
  try {
    return { ok: true, document: JSON.parse(text) };
  } catch (e) {
    return { ok: false, rule: `is not valid JSON (${(e as Error).message})` };
  }
}

/** Every broken rule of an application manifest document (`{"nodeGraph": …}`); empty when valid. */
export function applicationManifestProblems(document: unknown): FieldProblem[] {
  const data = withoutUndefined(document);
  const problems = schemaProblems(schemaErrors("nodeGraph", data), data);
  const graph = bodyOf(data, "nodeGraph");
  if (!graph) return problems;
  return [...problems, ...graphReferenceProblems(graph, pathsOf(problems))];
}

/**
 * Every broken rule of an overrides document (`{"nodeGraphOverrides": …}`). With `manifest`, a
 * valid application manifest document, also its references into that graph.
 */
export function manifestOverridesProblems(document: unknown, manifest?: unknown): FieldProblem[] {
  const data = withoutUndefined(document);
  const problems = schemaProblems(schemaErrors("nodeGraphOverrides", data), data);
  const overrides = bodyOf(data, "nodeGraphOverrides");
  if (!overrides) return problems;
  const graph =
    manifest === undefined ? undefined : bodyOf(withoutUndefined(manifest), "nodeGraph");
  return [...problems, ...overridesReferenceProblems(overrides, pathsOf(problems), graph)];
}

/** An empty overrides document: what an empty `ManifestOverridesPayload` means. */
export function noOverrides(envelopeVersion: string): unknown {
  return { nodeGraphOverrides: { envelopeVersion } };
}

function bodyOf(document: unknown, root: string): Record<string, unknown> | undefined {
  const body = isPlainObject(document) ? document[root] : undefined;
  return isPlainObject(body) ? body : undefined;
}

function pathsOf(problems: FieldProblem[]): Set<string> {
  return new Set(problems.map((p) => p.path));
}

/** Plain objects and lists copied without undefined members (JSON has none; a program may). */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
