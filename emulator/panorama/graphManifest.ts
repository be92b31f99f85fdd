// The application manifest (graph.json, `nodeGraph` envelope 2021-01-01) and its overrides at
// CreateApplicationInstance. The documents are checked with the project's one validator
// (model/graphValidation.ts: the schema documents plus the cross-member rules); a broken rule is a
// ValidationException naming the payload member. A valid graph is then resolved against the
// registered packages: every `<account>::<name>` package must have a REGISTER_COMPLETED patch (the
// one named by `patchVersion`, else the version's latest) declaring the node's interface;
// `panorama::` packages are built in. A graph that does not resolve fails its deployment.
import { deployedNodes } from "../../model/deployedNodes";
import { FieldProblem } from "../../model/fieldProblems";
import {
  BUILT_IN_OWNER,
  MANIFEST_ENVELOPE_VERSION,
  parseNodeInterface,
} from "../../model/graphRules";
import {
  applicationManifestProblems,
  manifestOverridesProblems,
  noOverrides,
  parseDocument,
} from "../../model/graphValidation";
import { validationError } from "../protocol/errors";
import { builtInPatch } from "./builtInNodes";
import { findPackageByName } from "./packages";
import { Runtime } from "../state/runtime";
import { ResolvedDependency, ResolvedNode } from "../state/deviceRecords";
import { patchKey, versionKey } from "../state/state";

export interface Resolution {
  /** Why the deployment fails (for StatusDescription), or undefined when it can deploy. */
  failure?: string;
  dependencies: ResolvedDependency[];
  nodes: ResolvedNode[];
}

interface PackageInclude {
  name: string;
  version: string;
  patchVersion?: string;
}
interface GraphNode {
  name: string;
  interface: string;
  overridable?: boolean;
  launch?: string;
}
interface GraphBody {
  packages?: PackageInclude[];
  nodes?: GraphNode[];
  nodeOverrides?: { replace: string; with: { name: string }[] }[];
}

class ManifestProblem extends Error {}

/** Throws a ValidationException for a broken document; else the deployment's resolution. */
export function resolveApplicationManifest(
  rt: Runtime,
  manifest: string,
  overrides?: string,
): Resolution {
  const graph = checkedDocument(
    manifest,
    "ManifestPayload.PayloadData",
    applicationManifestProblems,
  );
  const overridesDocument =
    overrides === undefined || overrides === ""
      ? noOverrides(MANIFEST_ENVELOPE_VERSION)
      : checkedDocument(overrides, "ManifestOverridesPayload.PayloadData");
  refuse(
    "ManifestOverridesPayload.PayloadData",
    manifestOverridesProblems(overridesDocument, graph),
  );
  try {
    return resolve(
      rt,
      (graph as { nodeGraph: GraphBody }).nodeGraph,
      (overridesDocument as { nodeGraphOverrides: GraphBody }).nodeGraphOverrides,
    );
  } catch (e) {
    if (e instanceof ManifestProblem) return { failure: e.message, dependencies: [], nodes: [] };
    throw e;
  }
}

function checkedDocument(
  text: string,
  member: string,
  problemsOf?: (document: unknown) => FieldProblem[],
): unknown {
  const parsed = parseDocument(text);
  if (!parsed.ok) refuse(member, [{ path: "", rule: parsed.rule }]);
  const document = (parsed as { document: unknown }).document;
  if (problemsOf) refuse(member, problemsOf(document));
  return document;
}

/** A ValidationException with one field per problem, in the service's own wording. */
function refuse(member: string, problems: FieldProblem[]): void {
  if (!problems.length) return;
  throw validationError(
    problems.map((p) => ({
      path: member,
      rule: p.path ? `${p.path}: ${p.rule}` : `Member ${p.rule}`,
    })),
  );
}

function resolve(rt: Runtime, graph: GraphBody, overrides: GraphBody): Resolution {
  const dependencies = new Map<string, ResolvedDependency>();
  const interfacesOf = new Map<string, string[]>();
  for (const include of [...(graph.packages ?? []), ...(overrides.packages ?? [])]) {
    const dep = resolvePackageInclude(rt, include, interfacesOf);
    dependencies.set(dep.fullName, dep);
  }
  const graphNodes = graph.nodes ?? [];
  const overrideNodes = overrides.nodes ?? [];
  graphNodes.forEach((n, i) => checkInterface(n, `nodeGraph.nodes[${i}]`, interfacesOf));
  overrideNodes.forEach((n, i) =>
    checkInterface(n, `nodeGraphOverrides.nodes[${i}]`, interfacesOf),
  );

  return {
    dependencies: [...dependencies.values()],
    nodes: deployedNodes(graphNodes, {
      nodes: overrideNodes,
      nodeOverrides: overrides.nodeOverrides,
    }).map((n) => {
      const { owner, packageName, interfaceName } = parseNodeInterface(n.interface)!;
      const dep = dependencies.get(`${owner}::${packageName}`)!;
      return {
        nodeName: n.name,
        owner,
        packageName,
        packageVersion: dep.version,
        patchVersion: dep.patchVersion,
        interfaceName,
        ...(n.launch && { launch: n.launch }),
      };
    }),
  };
}

function resolvePackageInclude(
  rt: Runtime,
  include: PackageInclude,
  interfacesOf: Map<string, string[]>,
): ResolvedDependency {
  const [owner, name] = include.name.split("::");
  const version = include.version;
  if (owner === BUILT_IN_OWNER) {
    const patchVersion = include.patchVersion ?? builtInPatch(name, version);
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

/** A registered patch's package.json declares the interfaces its nodes may use. */
function checkInterface(node: GraphNode, at: string, interfacesOf: Map<string, string[]>): void {
  const ref = parseNodeInterface(node.interface);
  if (!ref) return;
  const pkgName = `${ref.owner}::${ref.packageName}`;
  const known = interfacesOf.get(pkgName);
  if (known && known.length && !known.includes(ref.interfaceName))
    fail(
      `${at}.interface ${node.interface}: package ${pkgName} has no interface ${ref.interfaceName} (it has ${known.join(", ")}).`,
    );
}

function fail(message: string): never {
  throw new ManifestProblem(message);
}
