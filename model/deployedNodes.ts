// The nodes a deployment runs, from graph.json and its overrides: the graph's nodes that no
// `nodeOverrides` entry replaces, then the override nodes put in their place. Their names are the
// node instance ids ListApplicationInstanceNodeInstances reports and node signals take. Value
// nodes (`boolean`, `string`…) hold parameters and run nowhere.
import { isValueNodeInterface } from "./graphRules";

interface NamedNode {
  name: string;
  interface: string;
}

interface OverridesBody<N> {
  nodes?: N[];
  nodeOverrides?: { replace: string; with: { name: string }[] }[];
}

export function deployedNodes<N extends NamedNode>(
  graphNodes: readonly N[],
  overrides: OverridesBody<N>,
): N[] {
  const replaced = new Set((overrides.nodeOverrides ?? []).map((o) => o.replace));
  const replacements = new Map<string, N>();
  for (const o of overrides.nodeOverrides ?? [])
    for (const w of o.with) {
      const node = (overrides.nodes ?? []).find((n) => n.name === w.name);
      if (node) replacements.set(w.name, node);
    }
  return [...graphNodes.filter((n) => !replaced.has(n.name)), ...replacements.values()].filter(
    (n) => !isValueNodeInterface(n.interface),
  );
}
