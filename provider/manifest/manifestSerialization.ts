// Deterministic serialization of graph.json and overrides: stable key order, compact JSON, so the
// same inputs give byte-identical payloads (a changed payload replaces a device deployment).
import { ApplicationManifest, ManifestOverrides } from "./manifestTypes";
// ---------------------------------------------------------------------------------------------
// Deterministic serialization
// ---------------------------------------------------------------------------------------------

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
export const DECORATOR_KEYS = ["title", "description", "constraintText", "constraintRegex"];
export const EDGE_KEYS = ["producer", "consumer"];
export const NODE_OVERRIDE_KEYS = ["replace", "with"];
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
