// The node-package manifest (package.json, `nodePackage` envelope 2021-01-01) that import jobs
// and package-version registrations read, checked against the rules of the published schema
// (awsdocs/aws-panorama-developer-guide resources/manifest-schema/ver_2021-01-01). The first
// problem found is reported, phrased so a user can fix the file.
import { NodeCategory, NodeInterfaceRecord, PortRecord, PortType } from "../state/nodeInterfaces";

export const ENVELOPE_VERSION = "2021-01-01";
const NAME = /^[a-z_A-Z0-9\-]+$/;
const VERSION = /^[0-9]+\.[0-9]+$/;
const ASSET_NAME = /^[$A-Z_a-z0-9\-]+$/;
const CATEGORIES = ["media_source", "media_sink", "business_logic", "ml_model"];
const IMPLEMENTATION_TYPES = ["system", "container", "model"];

export interface NodePackageManifest {
  name: string;
  version: string;
  interfaces: string[];
  /** The interfaces as ListNodes / DescribeNode show them. */
  nodes: NodeInterfaceRecord[];
}

export type ManifestCheck =
  { ok: true; manifest: NodePackageManifest } | { ok: false; problem: string };

export function checkNodePackageManifest(bytes: Buffer): ManifestCheck {
  let doc: any;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    return bad(`it is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(doc)) return bad("it must be a JSON object with a nodePackage member");
  const extra = Object.keys(doc).filter((k) => k !== "nodePackage");
  if (extra.length)
    return bad(`unexpected top-level member ${extra[0]}; only nodePackage is allowed`);
  const p = doc.nodePackage;
  if (!isObject(p)) return bad("nodePackage is missing or not an object");
  const allowed = ["envelopeVersion", "name", "version", "description", "assets", "interfaces"];
  const unknown = Object.keys(p).filter((k) => !allowed.includes(k));
  if (unknown.length) return bad(`nodePackage.${unknown[0]} is not allowed`);
  if (p.envelopeVersion !== ENVELOPE_VERSION)
    return bad(
      `nodePackage.envelopeVersion must be "${ENVELOPE_VERSION}", got ${show(p.envelopeVersion)}`,
    );
  if (typeof p.name !== "string" || !NAME.test(p.name) || p.name.length > 128)
    return bad(
      `nodePackage.name must match ${NAME.source} (1-128 characters), got ${show(p.name)}`,
    );
  if (typeof p.version !== "string" || !VERSION.test(p.version))
    return bad(
      `nodePackage.version must match ${VERSION.source} (<major>.<minor>), got ${show(p.version)}`,
    );
  if (
    p.description !== undefined &&
    (typeof p.description !== "string" || p.description.length > 255)
  )
    return bad("nodePackage.description must be a string of at most 255 characters");

  const assets = p.assets ?? [];
  if (!Array.isArray(assets)) return bad("nodePackage.assets must be a list");
  const assetNames = new Set<string>();
  for (const [i, a] of assets.entries()) {
    const at = `nodePackage.assets[${i}]`;
    if (!isObject(a)) return bad(`${at} must be an object`);
    if (typeof a.name !== "string" || !ASSET_NAME.test(a.name) || a.name.length > 255)
      return bad(`${at}.name must match ${ASSET_NAME.source}, got ${show(a.name)}`);
    assetNames.add(a.name);
    if (a.implementations !== undefined && !Array.isArray(a.implementations))
      return bad(`${at}.implementations must be a list`);
    for (const [j, impl] of (a.implementations ?? []).entries()) {
      const it = `${at}.implementations[${j}]`;
      if (!isObject(impl)) return bad(`${it} must be an object`);
      if (!IMPLEMENTATION_TYPES.includes(impl.type))
        return bad(
          `${it}.type must be one of ${IMPLEMENTATION_TYPES.join(", ")}, got ${show(impl.type)}`,
        );
      if (
        typeof impl.assetUri !== "string" ||
        impl.assetUri.length < 1 ||
        impl.assetUri.length > 255
      )
        return bad(`${it}.assetUri must be a string of 1-255 characters`);
      if (impl.descriptorUri !== undefined && typeof impl.descriptorUri !== "string")
        return bad(`${it}.descriptorUri must be a string`);
    }
  }

  if (!Array.isArray(p.interfaces) || p.interfaces.length < 1)
    return bad("nodePackage.interfaces must list at least one interface");
  const interfaces: string[] = [];
  const nodes: NodeInterfaceRecord[] = [];
  for (const [i, f] of p.interfaces.entries()) {
    const at = `nodePackage.interfaces[${i}]`;
    if (!isObject(f)) return bad(`${at} must be an object`);
    if (typeof f.name !== "string" || !NAME.test(f.name) || f.name.length > 128)
      return bad(`${at}.name must match ${NAME.source}, got ${show(f.name)}`);
    if (!CATEGORIES.includes(f.category))
      return bad(`${at}.category must be one of ${CATEGORIES.join(", ")}, got ${show(f.category)}`);
    if (f.asset !== undefined && typeof f.asset !== "string")
      return bad(`${at}.asset must be a string`);
    if (typeof f.asset === "string" && f.asset !== "" && !assetNames.has(f.asset))
      return bad(`${at}.asset names ${show(f.asset)}, which is not one of nodePackage.assets`);
    for (const ports of ["inputs", "outputs"]) {
      if (f[ports] === undefined) continue;
      if (!Array.isArray(f[ports])) return bad(`${at}.${ports} must be a list`);
      for (const [j, port] of f[ports].entries())
        if (!isObject(port) || typeof port.name !== "string")
          return bad(`${at}.${ports}[${j}] must be an object with a name`);
    }
    interfaces.push(f.name);
    nodes.push({
      name: f.name,
      category: f.category.toUpperCase() as NodeCategory,
      ...(typeof f.description === "string" && { description: f.description }),
      ...(typeof f.asset === "string" && f.asset !== "" && { assetName: f.asset }),
      inputs: (f.inputs ?? []).map(port),
      outputs: (f.outputs ?? []).map(port),
    });
  }
  return { ok: true, manifest: { name: p.name, version: p.version, interfaces, nodes } };
}

const PORT_TYPES: readonly string[] = ["BOOLEAN", "STRING", "INT32", "FLOAT32", "MEDIA"];

/** A manifest port as the API shows it; values the API's shapes cannot carry are left out. */
function port(p: Record<string, any>): PortRecord {
  const type = typeof p.type === "string" ? p.type.toUpperCase() : undefined;
  const value = p.default ?? p.defaultValue;
  return {
    name: p.name,
    ...(type && PORT_TYPES.includes(type) && { type: type as PortType }),
    ...(typeof p.description === "string" && { description: p.description }),
    ...(value !== undefined && { defaultValue: String(value) }),
    ...(Number.isInteger(p.maxConnections) && { maxConnections: p.maxConnections }),
  };
}

function bad(problem: string): ManifestCheck {
  return { ok: false, problem };
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function show(v: unknown): string {
  if (v === undefined) return "nothing";
  const text = JSON.stringify(v);
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
}
