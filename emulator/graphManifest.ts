// The application manifest (graph.json, `nodeGraph` envelope 2021-01-01) and its overrides,
// checked against the published schema rules (reference §8.1, §8.2) and resolved against the
// registered packages: every `<account>::<name>` package must have a REGISTER_COMPLETED patch
// (the one named by `patchVersion`, else the version's latest); `panorama::` packages are built in.
import {
  BUILT_IN_OWNER,
  DESCRIPTION_MAX_LENGTH,
  EDGE_ENDPOINT_PATTERN,
  EDGE_KEYS,
  GRAPH_KEYS,
  INTERFACE_NODE_KEYS,
  isValueNodeInterface,
  MANIFEST_ENVELOPE_VERSION,
  NODE_LAUNCH_MODES,
  NODE_NAME_MAX_LENGTH,
  NODE_NAME_PATTERN,
  OVERRIDES_KEYS,
  PACKAGE_INCLUDE_NAME_PATTERN,
  PACKAGE_INCLUDE_VERSION_PATTERN,
  PACKAGE_KEYS,
  parseNodeInterface,
  VALUE_NODE_INTERFACES,
  VALUE_NODE_KEYS,
} from "../model/graphRules";
import { sha256Hex } from "./state/ids";
import { show } from "./nodePackageManifest";
import { findPackageByName } from "./panorama/packages";
import { Runtime } from "./state/runtime";
import { ResolvedDependency, ResolvedNode } from "./state/deviceRecords";
import { patchKey, versionKey } from "./state/state";

export interface Resolution {
  /** Why the deployment fails (for StatusDescription), or undefined when it can deploy. */
  failure?: string;
  dependencies: ResolvedDependency[];
  nodes: ResolvedNode[];
}

class ManifestProblem extends Error {}

export function resolveApplicationManifest(
  rt: Runtime,
  manifest: string,
  overrides?: string,
): Resolution {
  try {
    return resolve(rt, manifest, overrides);
  } catch (e) {
    if (e instanceof ManifestProblem) return { failure: e.message, dependencies: [], nodes: [] };
    throw e;
  }
}

function resolve(rt: Runtime, manifest: string, overridesText?: string): Resolution {
  const graph = parseEnvelope(manifest, "nodeGraph", "ManifestPayload");
  allowOnly(graph, GRAPH_KEYS, "nodeGraph");
  if (!Array.isArray(graph.packages) || graph.packages.length < 1)
    fail("nodeGraph.packages must list at least one package.");
  if (!Array.isArray(graph.nodes) || graph.nodes.length < 1)
    fail("nodeGraph.nodes must list at least one node.");
  if (
    graph.description !== undefined &&
    (typeof graph.description !== "string" || graph.description.length > DESCRIPTION_MAX_LENGTH)
  )
    fail(`nodeGraph.description must be a string of at most ${DESCRIPTION_MAX_LENGTH} characters.`);

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
    allowOnly(o, OVERRIDES_KEYS, "nodeGraphOverrides");
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
      if (!isObject(ov) || typeof ov.replace !== "string" || !Array.isArray(ov.with))
        fail(`${at} must have replace and with.`);
      const target = nodes.get(ov.replace);
      if (!target)
        fail(`${at}.replace names ${show(ov.replace)}, which is not a node of the graph.`);
      if (!target!.overridable)
        fail(`${at} replaces node ${ov.replace}, which is not overridable.`);
      replaced.add(ov.replace);
      for (const [j, w] of ov.with.entries()) {
        const name = isObject(w) ? w.name : undefined;
        const node = overrideNodes.get(name);
        if (!node)
          fail(
            `${at}.with[${j}] names ${show(name)}, which is not a node of nodeGraphOverrides.nodes.`,
          );
        replacements.set(name, node!);
      }
    }
  }
  for (const [name, node] of nodes)
    if (node.overrideMandatory && !replaced.has(name))
      fail(
        `Node ${name} must be overridden (overrideMandatory), but ManifestOverridesPayload does not replace it.`,
      );

  const deployed = [
    ...[...nodes.values()].filter((n) => !replaced.has(n.name)),
    ...replacements.values(),
  ];
  return {
    dependencies: [...dependencies.values()],
    nodes: deployed
      .filter((n) => !isValueNodeInterface(n.interface))
      .map((n) => {
        const { owner, packageName, interfaceName } = parseNodeInterface(n.interface)!;
        const dep = dependencies.get(`${owner}::${packageName}`)!;
        return {
          nodeName: n.name,
          owner,
          packageName,
          packageVersion: dep.version,
          patchVersion: dep.patchVersion,
          interfaceName,
        };
      }),
  };
}

function resolvePackageInclude(
  rt: Runtime,
  p: unknown,
  at: string,
  interfacesOf: Map<string, string[]>,
): ResolvedDependency {
  if (!isObject(p)) fail(`${at} must be an object.`);
  const include = p as Record<string, any>;
  allowOnly(include, PACKAGE_KEYS, at);
  if (typeof include.name !== "string" || !PACKAGE_INCLUDE_NAME_PATTERN.test(include.name))
    fail(`${at}.name must be <account>::<PackageName>, got ${show(include.name)}.`);
  if (typeof include.version !== "string" || !PACKAGE_INCLUDE_VERSION_PATTERN.test(include.version))
    fail(`${at}.version must be <major>.<minor>, got ${show(include.version)}.`);
  if (include.patchVersion !== undefined && typeof include.patchVersion !== "string")
    fail(`${at}.patchVersion must be a string.`);
  const [owner, name] = include.name.split("::");
  const version: string = include.version;

  if (owner === BUILT_IN_OWNER) {
    const patchVersion = include.patchVersion ?? sha256Hex(`${include.name}@${version}`);
    return { fullName: include.name, owner, name, version, patchVersion };
  }
  if (owner !== rt.options.accountId)
    fail(
      `Package ${include.name} belongs to account ${owner}; only packages of account ${rt.options.accountId} and panorama:: packages can be deployed.`,
    );
  const pkg = findPackageByName(rt, name);
  if (!pkg) fail(`Package ${include.name} does not exist.`);
  const patchVersion: string | undefined =
    include.patchVersion ?? rt.state.latestPatches[versionKey(pkg!.packageId, version)];
  if (patchVersion === undefined)
    fail(`Package ${include.name} version ${version} has no registered patch.`);
  const patch = rt.state.patches[patchKey(pkg!.packageId, version, patchVersion!)];
  if (!patch || patch.status !== "REGISTER_COMPLETED")
    fail(
      `Package ${include.name} version ${version} patch ${patchVersion} is not registered${patch ? ` (status ${patch.status})` : ""}.`,
    );
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
    if (
      typeof node.name !== "string" ||
      !NODE_NAME_PATTERN.test(node.name) ||
      node.name.length > NODE_NAME_MAX_LENGTH
    )
      fail(
        `${at}.name must match ${NODE_NAME_PATTERN.source} (at most ${NODE_NAME_MAX_LENGTH} characters), got ${show(node.name)}.`,
      );
    if (nodes.has(node.name)) fail(`${at}.name ${node.name} is used by more than one node.`);
    if (typeof node.interface !== "string") fail(`${at}.interface is missing.`);
    if (isValueNodeInterface(node.interface)) {
      allowOnly(node, VALUE_NODE_KEYS, at);
    } else {
      allowOnly(node, INTERFACE_NODE_KEYS, at);
      const ref = parseNodeInterface(node.interface);
      if (!ref)
        fail(
          `${at}.interface must be <owner>::<package>.<interface> or one of ${VALUE_NODE_INTERFACES.join(", ")}, got ${show(node.interface)}.`,
        );
      const pkgName = `${ref!.owner}::${ref!.packageName}`;
      if (!dependencies.has(pkgName))
        fail(
          `${at}.interface ${node.interface} uses package ${pkgName}, which is not listed in packages.`,
        );
      const known = interfacesOf.get(pkgName);
      if (known && known.length && !known.includes(ref!.interfaceName))
        fail(
          `${at}.interface ${node.interface}: package ${pkgName} has no interface ${ref!.interfaceName} (it has ${known.join(", ")}).`,
        );
      if (
        node.launch !== undefined &&
        !(NODE_LAUNCH_MODES as readonly unknown[]).includes(node.launch)
      )
        fail(`${at}.launch must be one of ${NODE_LAUNCH_MODES.join(", ")}.`);
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
    allowOnly(edge, EDGE_KEYS, at);
    for (const end of EDGE_KEYS) {
      const ref = edge[end];
      if (typeof ref !== "string" || !EDGE_ENDPOINT_PATTERN.test(ref))
        fail(`${at}.${end} must be <node> or <node>.<port>, got ${show(ref)}.`);
      const node = ref.split(".")[0];
      if (!nodes.has(node))
        fail(`${at}.${end} ${ref} refers to node ${node}, which is not in the graph.`);
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
  if (!isObject(doc) || !isObject(doc[root]))
    fail(`${member} must be a JSON object with a ${root} member.`);
  allowOnly(doc, [root], member);
  if (doc[root].envelopeVersion !== MANIFEST_ENVELOPE_VERSION)
    fail(
      `${root}.envelopeVersion must be "${MANIFEST_ENVELOPE_VERSION}", got ${show(doc[root].envelopeVersion)}.`,
    );
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
