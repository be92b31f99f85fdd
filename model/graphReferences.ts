// The rules of graph.json and its overrides that JSON Schema cannot say well: names that must be
// unique, references between members (interfaces name listed packages, edges name declared nodes
// and ports, overrides replace overridable nodes of the graph) and the API's limit on a pinned
// patch version (the Smithy model's, not copied into the schema). Members the schema already
// found broken are left to its message.
import { apiStringProblems, FieldProblem } from "./fieldProblems";
import { EDGE_KEYS, isValueNodeInterface, NODE_INTERFACE_PATTERN } from "./graphRules";

type Entry = Record<string, unknown>;
type NodeEntry = Entry | undefined;

class Checks {
  readonly problems: FieldProblem[] = [];
  constructor(private readonly broken: Set<string>) {}

  fail(path: string, rule: string): void {
    this.problems.push({ path, rule });
  }

  /** A string the schema accepted at `path`. */
  usable(path: string, value: unknown): value is string {
    return typeof value === "string" && !this.broken.has(path);
  }
}

/** Cross-member problems of a `nodeGraph` body; `broken` holds the paths the schema reported. */
export function graphReferenceProblems(graph: Entry, broken: Set<string>): FieldProblem[] {
  const c = new Checks(broken);
  const p = "nodeGraph";
  const packages = declaredPackages(c, `${p}.packages`, graph.packages);
  const nodes = declaredNodes(c, `${p}.nodes`, graph.nodes);
  if (packages) interfacePackages(c, `${p}.nodes`, nodes, packages, `${p}.packages`);
  edges(c, `${p}.edges`, graph.edges, nodes, `${p}.nodes`);
  return c.problems;
}

/**
 * Cross-member problems of a `nodeGraphOverrides` body; with the (valid) `nodeGraph` body it
 * applies to, also its references into that graph.
 */
export function overridesReferenceProblems(
  overrides: Entry,
  broken: Set<string>,
  graph?: Entry,
): FieldProblem[] {
  const c = new Checks(broken);
  const p = "nodeGraphOverrides";
  const packages = declaredPackages(c, `${p}.packages`, overrides.packages ?? []);
  const nodes = declaredNodes(c, `${p}.nodes`, overrides.nodes ?? []);
  const graphNodes = graph ? (graph.nodes as Entry[]) : [];
  // Without the graph, interfaces may use its packages and edges its nodes: not checkable.
  if (graph && packages) {
    const all = [...packages, ...(graph.packages as Entry[]).map((x) => x.name as string)];
    interfacePackages(c, `${p}.nodes`, nodes, all, `${p}.packages or nodeGraph.packages`);
  }
  if (graph)
    edges(
      c,
      `${p}.edges`,
      overrides.edges,
      [...graphNodes, ...nodes],
      `${p}.nodes or nodeGraph.nodes`,
    );
  else edges(c, `${p}.edges`, overrides.edges, nodes, `${p}.nodes`, true);
  nodeOverrides(c, `${p}.nodeOverrides`, overrides.nodeOverrides, nodes, graph && graphNodes);
  return c.problems;
}

/** The package names (`<owner>::<PackageName>`), or undefined when there is no list. */
function declaredPackages(c: Checks, p: string, list: unknown): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const names: string[] = [];
  list.forEach((pkg, i) => {
    if (!isEntry(pkg)) return;
    const at = `${p}[${i}]`;
    if (c.usable(`${at}.patchVersion`, pkg.patchVersion))
      c.problems.push(
        ...apiStringProblems(`${at}.patchVersion`, pkg.patchVersion, "NodePackagePatchVersion"),
      );
    if (!c.usable(`${at}.name`, pkg.name)) return;
    // Node interfaces name packages without a version, so a second entry would be ambiguous.
    const first = names.indexOf(pkg.name);
    if (first >= 0)
      c.fail(`${at}.name`, `package "${pkg.name}" is already listed at ${p}[${first}]`);
    names.push(pkg.name);
  });
  return names;
}

/** The nodes by index, undefined where an entry is not an object. */
function declaredNodes(c: Checks, p: string, list: unknown): NodeEntry[] {
  if (!Array.isArray(list)) return [];
  const seen = new Map<string, number>();
  return list.map((node, i) => {
    if (!isEntry(node)) return undefined;
    const at = `${p}[${i}].name`;
    if (c.usable(at, node.name)) {
      const first = seen.get(node.name);
      if (first !== undefined)
        c.fail(at, `node "${node.name}" is already declared at ${p}[${first}]`);
      else seen.set(node.name, i);
    }
    return node;
  });
}

/** Each interface node must use a package the document declares. */
function interfacePackages(
  c: Checks,
  p: string,
  nodes: NodeEntry[],
  packages: string[],
  where: string,
) {
  nodes.forEach((node, i) => {
    const at = `${p}[${i}].interface`;
    const iface = node?.interface;
    if (!c.usable(at, iface) || !NODE_INTERFACE_PATTERN.test(iface)) return;
    const pkg = iface.slice(0, iface.lastIndexOf("."));
    if (!packages.includes(pkg))
      c.fail(at, `uses package "${pkg}", which is not declared in ${where}`);
  });
}

function edges(
  c: Checks,
  p: string,
  list: unknown,
  nodes: NodeEntry[],
  where: string,
  allowUndeclared = false,
): void {
  if (!Array.isArray(list)) return;
  const byName = new Map<string, Entry>();
  for (const n of nodes)
    if (n && typeof n.name === "string" && !byName.has(n.name)) byName.set(n.name, n);
  list.forEach((edge, i) => {
    if (!isEntry(edge)) return;
    for (const end of EDGE_KEYS) {
      const at = `${p}[${i}].${end}`;
      const ref = edge[end];
      if (!c.usable(at, ref)) continue;
      const dot = ref.indexOf(".");
      const nodeName = dot < 0 ? ref : ref.slice(0, dot);
      const node = byName.get(nodeName);
      // Overrides checked without their graph may connect graph nodes: not checkable then.
      if (!node && !allowUndeclared)
        c.fail(at, `refers to node "${nodeName}", which is not declared in ${where}`);
      if (node)
        endpointRule(c, at, end, ref, nodeName, dot >= 0, isValueNodeInterface(node.interface));
    }
  });
}

/** Value nodes produce without a port and never consume; interface nodes do both by port. */
function endpointRule(
  c: Checks,
  at: string,
  end: "producer" | "consumer",
  ref: string,
  nodeName: string,
  hasPort: boolean,
  isValue: boolean,
): void {
  if (end === "producer" && !hasPort && !isValue)
    c.fail(
      at,
      `"${ref}" must name an output port (<node>.<port>); only value nodes produce without a port`,
    );
  if (end === "producer" && hasPort && isValue)
    c.fail(at, `"${ref}": value node "${nodeName}" has no ports; use "${nodeName}"`);
  if (end === "consumer" && isValue)
    c.fail(at, `"${ref}" is a value node, which cannot consume; name an input port <node>.<port>`);
  else if (end === "consumer" && !hasPort)
    c.fail(at, `"${ref}" must name an input port (<node>.<port>)`);
}

function nodeOverrides(
  c: Checks,
  p: string,
  list: unknown,
  overrideNodes: NodeEntry[],
  graphNodes: Entry[] | undefined,
): void {
  const replaced = new Map<string, number>();
  const declared = new Set(overrideNodes.map((n) => n?.name));
  (Array.isArray(list) ? list : []).forEach((o, i) => {
    if (!isEntry(o)) return;
    const at = `${p}[${i}]`;
    if (c.usable(`${at}.replace`, o.replace)) {
      const target = o.replace;
      const first = replaced.get(target);
      if (first !== undefined)
        c.fail(`${at}.replace`, `node "${target}" is already replaced at ${p}[${first}]`);
      else replaced.set(target, i);
      const node = graphNodes?.find((n) => n.name === target);
      if (graphNodes && !node)
        c.fail(`${at}.replace`, `node "${target}" is not declared in nodeGraph.nodes`);
      // A node the developer did not mark overridable cannot be replaced at deployment.
      else if (node && node.overridable !== true)
        c.fail(`${at}.replace`, `node "${target}" is not overridable in the application manifest`);
    }
    (Array.isArray(o.with) ? o.with : []).forEach((w, j) => {
      const name = isEntry(w) ? w.name : undefined;
      if (c.usable(`${at}.with[${j}].name`, name) && !declared.has(name))
        c.fail(
          `${at}.with[${j}].name`,
          `node "${name}" is not declared in nodeGraphOverrides.nodes`,
        );
    });
  });
  for (const node of graphNodes ?? [])
    if (node.overrideMandatory === true && !replaced.has(node.name as string))
      c.fail(
        p,
        `node "${node.name}" is overrideMandatory in the application manifest and must be replaced`,
      );
}

function isEntry(v: unknown): v is Entry {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
