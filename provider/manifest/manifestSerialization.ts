// Deterministic serialization of graph.json and overrides: stable key order, compact JSON, so the
// same inputs give byte-identical payloads (a changed payload replaces a device deployment).
import { sortKeys } from "../../model/canonicalJson";
import {
  DECORATOR_KEYS,
  EDGE_KEYS,
  GRAPH_KEYS,
  NODE_KEYS,
  NODE_OVERRIDE_KEYS,
  OVERRIDES_KEYS,
  PACKAGE_KEYS,
} from "../../model/graphRules";
import { ApplicationManifest, ManifestOverrides } from "./manifestTypes";

/** Compact graph.json text with the schema's member order; unset optional members are left out. */
export function serializeApplicationManifest(manifest: ApplicationManifest): string {
  return JSON.stringify({ nodeGraph: canonicalGraph(manifest.nodeGraph, GRAPH_KEYS) });
}

/** Compact overrides text with the schema's member order; unset optional members are left out. */
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
