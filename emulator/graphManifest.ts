// The application manifest (graph.json, `nodeGraph` envelope 2021-01-01) and its overrides,
// checked against the published schema rules (reference §8.1, §8.2) and resolved against the
// registered packages: every `<account>::<name>` package must have a REGISTER_COMPLETED patch
// (the one named by `patchVersion`, else the version's latest); `panorama::` packages are built in.
import { sha256Hex } from "./ids";
import { show } from "./nodePackageManifest";
import { findPackageByName } from "./packages";
import { Runtime } from "./runtime";
import { patchKey, ResolvedDependency, ResolvedNode, versionKey } from "./state";

export const ENVELOPE_VERSION = "2021-01-01";
const PACKAGE_NAME = /^[$A-Z_a-z0-9]+::[a-zA-Z_0-9\-]+$/;
const VERSION = /^[0-9]+\.[0-9]+$/;
const NODE_NAME = /^[$A-Z_a-z0-9\-]+$/;
const INTERFACE = /^([$A-Z_a-z0-9\-]+)::([A-Z_a-z0-9\-]+)\.([A-Z_a-z0-9\-]+)$/;
const PORT_REF = /^[a-zA-Z0-9_\-]+\.?[a-z_A-Z0-9\-]+$/;
const VALUE_TYPES = ["boolean", "float32", "int32", "string"];
const LAUNCH = ["onDemand", "onAppStart", "onSignal"];
export const BUILT_IN_OWNER = "panorama";

export interface Resolution {
  /** Why the deployment fails (for StatusDescription), or undefined when it can deploy. */
  failure?: string;
  dependencies: ResolvedDependency[];
  nodes: ResolvedNode[];
}

class ManifestProblem extends Error {}

export function resolveApplicationManifest(rt: Runtime, manifest: string, overrides?: string): Resolution {
  try {
    return resolve(rt, manifest, overrides);
  } catch (e) {
    if (e instanceof ManifestProblem) return { failure: e.message, dependencies: [], nodes: [] };
    throw e;
  }
}

function resolve(rt: Runtime, manifest: string, overridesText?: string): Resolution {
  const graph = parseEnvelope(manifest, "nodeGraph", "ManifestPayload");
  allowOnly(graph, ["envelopeVersion", "description", "packages", "nodes", "edges", "networkRoutingRules"], "nodeGraph");
  if (!Array.isArray(graph.packages) || graph.packages.length < 1) fail("nodeGraph.packages must list at least one package.");
  if (!Array.isArray(graph.nodes) || graph.nodes.length < 1) fail("nodeGraph.nodes must list at least one node.");
  if (graph.description !== undefined && (typeof graph.description !== "string" || graph.description.length > 255))
    fail("nodeGraph.description must be a string of at most 255 characters.");

  const dependencies = new Map<string, ResolvedDependency>();
  const interfacesOf = new Map<string, string[]>();
  const addPackages = (list: unknown[], where: string) =>
    list.forEach((p, i) => {
      const dep = resolvePackageInclude(rt, p, `${where}[${i}]`, interfacesOf);
      dependencies.set(dep.fullName, dep);
    });
  addPackages(graph.packages, "nodeGraph.packages");

  const nodes = new Map<string, Record<string, any>>();
  checkNodes(graph.nodes, "nodeGraph.nodes", nodes, dependencies, interfacesOf);
  checkEdges(graph.edges, "nodeGraph.edges", nodes);

  const replaced = new Set<string>();
  const replacements = new Map<string, Record<string, any>>();
  if (overridesText !== undefined && overridesText.trim() !== "") {
    const o = parseEnvelope(overridesText, "nodeGraphOverrides", "ManifestOverridesPayload");
    allowOnly(o, ["envelopeVersion", "packages", "nodes", "nodeOverrides", "edges", "networkRoutingRules"], "nodeGraphOverrides");
    if (o.packages !== undefined) {
      if (!Array.isArray(o.packages)) fail("nodeGraphOverrides.packages must be a list.");
      addPackages(o.packages, "nodeGraphOverrides.packages");
    }
    const overrideNodes = new Map<string, Record<string, any>>();
    if (o.nodes !== undefined) {
      if (!Array.isArray(o.nodes)) fail("nodeGraphOverrides.nodes must be a list.");
      checkNodes(o.nodes, "nodeGraphOverrides.nodes", overrideNodes, dependencies, interfacesOf);
    }
    for (const [i, ov] of (Array.isArray(o.nodeOverrides) ? o.nodeOverrides : []).entries()) {
      const at = `nodeGraphOverrides.nodeOverrides[${i}]`;
      if (!isObject(ov) || typeof ov.replace !== "string" || !Array.isArray(ov.with)) fail(`${at} must have replace and with.`);
      const target = nodes.get(ov.replace);
      if (!target) fail(`${at}.replace names ${show(ov.replace)}, which is not a node of the graph.`);
      if (!target!.overridable) fail(`${at} replaces node ${ov.replace}, which is not overridable.`);
      replaced.add(ov.replace);
      for (const [j, w] of ov.with.entries()) {
        const name = isObject(w) ? w.name : undefined;
        const node = overrideNodes.get(name);
        if (!node) fail(`${at}.with[${j}] names ${show(name)}, which is not a node of nodeGraphOverrides.nodes.`);
        replacements.set(name, node!);
      }
    }
  }
  for (const [name, node] of nodes)
    if (node.overrideMandatory && !replaced.has(name))
      fail(`Node ${name} must be overridden (overrideMandatory), but ManifestOverridesPayload does not replace it.`);

  const deployed = [...[...nodes.values()].filter((n) => !replaced.has(n.name)), ...replacements.values()];
  return {
    dependencies: [...dependencies.values()],
    nodes: deployed
      .filter((n) => !VALUE_TYPES.includes(n.interface))
      .map((n) => {
        const [, owner, packageName, interfaceName] = INTERFACE.exec(n.interface)!;
        const dep = dependencies.get(`${owner}::${packageName}`)!;
        return { nodeName: n.name, owner, packageName, packageVersion: dep.version, patchVersion: dep.patchVersion, interfaceName };
      }),
  };
}

function resolvePackageInclude(rt: Runtime, p: unknown, at: string, interfacesOf: Map<string, string[]>): ResolvedDependency {
  if (!isObject(p)) fail(`${at} must be an object.`);
  const include = p as Record<string, any>;
  allowOnly(include, ["name", "version", "patchVersion", "generatedPatchVersion", "uri"], at);
  if (typeof include.name !== "string" || !PACKAGE_NAME.test(include.name))
    fail(`${at}.name must be <account>::<PackageName>, got ${show(include.name)}.`);
  if (typeof include.version !== "string" || !VERSION.test(include.version))
    fail(`${at}.version must be <major>.<minor>, got ${show(include.version)}.`);
  if (include.patchVersion !== undefined && typeof include.patchVersion !== "string") fail(`${at}.patchVersion must be a string.`);
  const [owner, name] = include.name.split("::");
  const version: string = include.version;

  if (owner === BUILT_IN_OWNER) {
    const patchVersion = include.patchVersion ?? sha256Hex(`${include.name}@${version}`);
    return { fullName: include.name, owner, name, version, patchVersion };
  }
  if (owner !== rt.options.accountId)
    fail(`Package ${include.name} belongs to account ${owner}; only packages of account ${rt.options.accountId} and panorama:: packages can be deployed.`);
  const pkg = findPackageByName(rt, name);
  if (!pkg) fail(`Package ${include.name} does not exist.`);
  const patchVersion: string | undefined = include.patchVersion ?? rt.state.latestPatches[versionKey(pkg!.packageId, version)];
  if (patchVersion === undefined) fail(`Package ${include.name} version ${version} has no registered patch.`);
  const patch = rt.state.patches[patchKey(pkg!.packageId, version, patchVersion!)];
  if (!patch || patch.status !== "REGISTER_COMPLETED")
    fail(`Package ${include.name} version ${version} patch ${patchVersion} is not registered${patch ? ` (status ${patch.status})` : ""}.`);
  interfacesOf.set(include.name, patch!.interfaces);
  return { fullName: include.name, owner, name, version, patchVersion: patchVersion! };
}

function checkNodes(
  list: unknown[],
  where: string,
  nodes: Map<string, Record<string, any>>,
  dependencies: Map<string, ResolvedDependency>,
  interfacesOf: Map<string, string[]>,
): void {
  for (const [i, n] of list.entries()) {
    const at = `${where}[${i}]`;
    if (!isObject(n)) fail(`${at} must be an object.`);
    const node = n as Record<string, any>;
    if (typeof node.name !== "string" || !NODE_NAME.test(node.name) || node.name.length > 128)
      fail(`${at}.name must match ${NODE_NAME.source}, got ${show(node.name)}.`);
    if (nodes.has(node.name)) fail(`${at}.name ${node.name} is used by more than one node.`);
    if (typeof node.interface !== "string") fail(`${at}.interface is missing.`);
    if (VALUE_TYPES.includes(node.interface)) {
      allowOnly(node, ["name", "interface", "value", "overridable", "overrideMandatory", "decorator"], at);
    } else {
      allowOnly(node, ["name", "interface", "overridable", "overrideMandatory", "launch", "decorator"], at);
      const m = INTERFACE.exec(node.interface);
      if (!m) fail(`${at}.interface must be <owner>::<package>.<interface> or a value type, got ${show(node.interface)}.`);
      const pkgName = `${m![1]}::${m![2]}`;
      if (!dependencies.has(pkgName)) fail(`${at}.interface ${node.interface} uses package ${pkgName}, which is not listed in packages.`);
      const known = interfacesOf.get(pkgName);
      if (known && known.length && !known.includes(m![3]))
        fail(`${at}.interface ${node.interface}: package ${pkgName} has no interface ${m![3]} (it has ${known.join(", ")}).`);
      if (node.launch !== undefined && !LAUNCH.includes(node.launch)) fail(`${at}.launch must be one of ${LAUNCH.join(", ")}.`);
    }
    nodes.set(node.name, node);
  }
}

function checkEdges(edges: unknown, where: string, nodes: Map<string, Record<string, any>>): void {
  if (edges === undefined) return;
  if (!Array.isArray(edges)) fail(`${where} must be a list.`);
  for (const [i, e] of (edges as unknown[]).entries()) {
    const at = `${where}[${i}]`;
    if (!isObject(e)) fail(`${at} must be an object.`);
    const edge = e as Record<string, any>;
    allowOnly(edge, ["producer", "consumer"], at);
    for (const end of ["producer", "consumer"]) {
      const ref = edge[end];
      if (typeof ref !== "string" || !PORT_REF.test(ref)) fail(`${at}.${end} must be <node> or <node>.<port>, got ${show(ref)}.`);
      const node = ref.split(".")[0];
      if (!nodes.has(node)) fail(`${at}.${end} ${ref} refers to node ${node}, which is not in the graph.`);
    }
  }
}

function parseEnvelope(text: string, root: string, member: string): Record<string, any> {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    fail(`${member} is not valid JSON: ${(e as Error).message}.`);
  }
  if (!isObject(doc) || !isObject(doc[root])) fail(`${member} must be a JSON object with a ${root} member.`);
  allowOnly(doc, [root], member);
  if (doc[root].envelopeVersion !== ENVELOPE_VERSION)
    fail(`${root}.envelopeVersion must be "${ENVELOPE_VERSION}", got ${show(doc[root].envelopeVersion)}.`);
  return doc[root];
}

function allowOnly(obj: Record<string, unknown>, allowed: string[], at: string): void {
  const extra = Object.keys(obj).find((k) => !allowed.includes(k));
  if (extra !== undefined) fail(`${at}.${extra} is not allowed.`);
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fail(message: string): never {
  throw new ManifestProblem(message);
}
