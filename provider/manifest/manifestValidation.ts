// Validation of graph.json and overrides documents: every broken rule as `<field path>: <rule>`.
import {
  apiStringLimit,
  FLOAT32_MAX,
  INT32_MAX,
  INT32_MIN,
  DECORATOR_FIELD_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  EDGE_ENDPOINT_PATTERN,
  MANIFEST_ENVELOPE_VERSION,
  NODE_INTERFACE_PATTERN,
  NODE_LAUNCH_MODES,
  NODE_NAME_MAX_LENGTH,
  NODE_NAME_PATTERN,
  PACKAGE_INCLUDE_MAX_LENGTH,
  PACKAGE_INCLUDE_NAME_PATTERN,
  PACKAGE_INCLUDE_VERSION_PATTERN,
  VALUE_NODE_INTERFACES,
  ValueNodeInterface,
} from "./manifestRules";
import {
  DECORATOR_KEYS,
  EDGE_KEYS,
  GRAPH_KEYS,
  NODE_OVERRIDE_KEYS,
  OVERRIDES_KEYS,
  PACKAGE_KEYS,
  serializeApplicationManifest,
  serializeManifestOverrides,
} from "./manifestSerialization";
import {
  ApplicationManifest,
  ManifestOverrides,
  ManifestOverridesOptions,
  PackageInclude,
} from "./manifestTypes";
// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/**
 * Every broken rule of an application manifest, as `<field path>: <rule>`; empty when valid.
 * Text is checked as the API sees it (`ManifestPayloadData`: 1–51200 characters, one line), an
 * object as the text `applicationManifest()` would send.
 */
export function validateApplicationManifest(
  manifest: string | ApplicationManifest | unknown,
): string[] {
  const problems: string[] = [];
  const parsed = parsePayload(
    problems,
    manifest,
    "manifestPayload.payloadData",
    "ManifestPayloadData",
  );
  if (parsed === undefined) return problems;
  if (!isObject(parsed))
    return [...problems, `(root): must be an object with the single key nodeGraph`];
  checkKeys(problems, "(root)", parsed, ["nodeGraph"]);
  const graph = parsed.nodeGraph;
  if (!isObject(graph)) return [...problems, `nodeGraph: is required and must be an object`];
  if (typeof manifest !== "string") {
    const text = safeSerialize(() =>
      serializeApplicationManifest(parsed as unknown as ApplicationManifest),
    );
    if (text !== undefined)
      checkPayloadText(problems, text, "manifestPayload.payloadData", "ManifestPayloadData");
  }

  const p = "nodeGraph";
  checkKeys(problems, p, graph, GRAPH_KEYS);
  checkEnvelope(problems, p, graph.envelopeVersion);
  checkDescription(problems, p, graph.description);
  const packages = checkPackages(problems, `${p}.packages`, graph.packages, true);
  const nodes = checkNodes(problems, `${p}.nodes`, graph.nodes, true);
  checkNetworkRoutingRules(problems, p, graph.networkRoutingRules);
  if (packages) checkInterfacePackages(problems, `${p}.nodes`, nodes, packages, `${p}.packages`);
  checkEdges(problems, `${p}.edges`, graph.edges, nodes, `${p}.nodes`);
  return problems;
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
  const problems: string[] = [];
  if (overrides === "") return problems;
  const parsed = parsePayload(
    problems,
    overrides,
    "manifestOverridesPayload.payloadData",
    "ManifestOverridesPayloadData",
  );
  if (parsed === undefined) return problems;
  if (!isObject(parsed))
    return [...problems, `(root): must be an object with the single key nodeGraphOverrides`];
  checkKeys(problems, "(root)", parsed, ["nodeGraphOverrides"]);
  const graph = parsed.nodeGraphOverrides;
  if (!isObject(graph))
    return [...problems, `nodeGraphOverrides: is required and must be an object`];
  if (typeof overrides !== "string") {
    const text = safeSerialize(() =>
      serializeManifestOverrides(parsed as unknown as ManifestOverrides),
    );
    if (text !== undefined)
      checkPayloadText(
        problems,
        text,
        "manifestOverridesPayload.payloadData",
        "ManifestOverridesPayloadData",
      );
  }

  const p = "nodeGraphOverrides";
  checkKeys(problems, p, graph, OVERRIDES_KEYS);
  checkEnvelope(problems, p, graph.envelopeVersion);
  checkDescription(problems, p, graph.description);
  const packages = checkPackages(problems, `${p}.packages`, graph.packages, false);
  const nodes = checkNodes(problems, `${p}.nodes`, graph.nodes, false);
  checkNetworkRoutingRules(problems, p, graph.networkRoutingRules);

  let base: Record<string, unknown> | undefined;
  if (options.manifest !== undefined) {
    const baseProblems = validateApplicationManifest(options.manifest);
    if (baseProblems.length) {
      problems.push(
        `(manifest): the application manifest the overrides apply to is invalid: ${baseProblems.join("; ")}`,
      );
    } else {
      const doc =
        typeof options.manifest === "string" ? JSON.parse(options.manifest) : options.manifest;
      base = doc.nodeGraph;
    }
  }
  const baseNodes = base ? (base.nodes as NodeEntry[]) : [];
  const basePackages = base ? (base.packages as PackageInclude[]).map((x) => x.name) : [];

  // Without the graph, an interface may name a package declared only there: not checkable.
  if (base && packages)
    checkInterfacePackages(
      problems,
      `${p}.nodes`,
      nodes,
      [...packages, ...basePackages],
      `${p}.packages or nodeGraph.packages`,
    );
  if (base || graph.edges !== undefined)
    checkEdges(
      problems,
      `${p}.edges`,
      graph.edges,
      base ? [...baseNodes, ...nodes] : nodes,
      base ? `${p}.nodes or nodeGraph.nodes` : `${p}.nodes`,
      !base,
    );
  checkNodeOverrides(
    problems,
    `${p}.nodeOverrides`,
    graph.nodeOverrides,
    nodes,
    base ? baseNodes : undefined,
  );
  return problems;
}

function parsePayload(
  problems: string[],
  input: unknown,
  path: string,
  shapeName: string,
): unknown {
  if (typeof input !== "string") return input;
  checkPayloadText(problems, input, path, shapeName);
  try {
    return JSON.parse(input);
  } catch (e) {
    problems.push(`${path}: is not valid JSON (${(e as Error).message})`);
    return undefined;
  }
}

function checkPayloadText(problems: string[], text: string, path: string, shapeName: string): void {
  const limit = apiStringLimit(shapeName);
  const length = [...text].length;
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
}

function safeSerialize(f: () => string): string | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function checkEnvelope(problems: string[], p: string, value: unknown): void {
  if (value === undefined)
    problems.push(`${p}.envelopeVersion: is required ("${MANIFEST_ENVELOPE_VERSION}")`);
  else if (value !== MANIFEST_ENVELOPE_VERSION)
    problems.push(`${p}.envelopeVersion: must be "${MANIFEST_ENVELOPE_VERSION}" ${got(value)}`);
}

function checkDescription(problems: string[], p: string, value: unknown): void {
  if (value === undefined) return;
  checkString(problems, `${p}.description`, value, { max: DESCRIPTION_MAX_LENGTH });
}

function checkNetworkRoutingRules(problems: string[], p: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void problems.push(`${p}.networkRoutingRules: must be a list`);
  value.forEach((r, i) => {
    if (!isObject(r)) problems.push(`${p}.networkRoutingRules[${i}]: must be an object`);
  });
}

/** Returns the declared package names (`<owner>::<PackageName>`), `undefined` if there is no list. */
function checkPackages(
  problems: string[],
  p: string,
  value: unknown,
  required: boolean,
): string[] | undefined {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) {
    problems.push(`${p}: is required and must be a list`);
    return undefined;
  }
  if (required && value.length === 0) problems.push(`${p}: must list at least 1 package`);
  const names: string[] = [];
  value.forEach((pkg, i) => {
    const at = `${p}[${i}]`;
    if (!isObject(pkg)) return void problems.push(`${at}: must be an object`);
    checkKeys(problems, at, pkg, PACKAGE_KEYS);
    const nameOk = checkString(problems, `${at}.name`, pkg.name, {
      max: PACKAGE_INCLUDE_MAX_LENGTH,
      pattern: PACKAGE_INCLUDE_NAME_PATTERN,
    });
    checkString(problems, `${at}.version`, pkg.version, {
      max: PACKAGE_INCLUDE_MAX_LENGTH,
      pattern: PACKAGE_INCLUDE_VERSION_PATTERN,
    });
    // The schema allows any string; a pinned patch must be one the API can name.
    if (pkg.patchVersion !== undefined)
      checkApiString(problems, `${at}.patchVersion`, pkg.patchVersion, "NodePackagePatchVersion");
    if (pkg.generatedPatchVersion !== undefined)
      checkString(problems, `${at}.generatedPatchVersion`, pkg.generatedPatchVersion, {});
    if (pkg.uri !== undefined) checkString(problems, `${at}.uri`, pkg.uri, {});
    if (!nameOk) return;
    const name = pkg.name as string;
    const first = names.indexOf(name);
    // Node interfaces name packages without a version, so a second entry would be ambiguous.
    if (first >= 0)
      problems.push(`${at}.name: package "${name}" is already listed at ${p}[${first}]`);
    names.push(name);
  });
  return names;
}

/** Returns the nodes by index, `undefined` where an entry is not an object (for cross-references). */
function checkNodes(problems: string[], p: string, value: unknown, required: boolean): NodeEntry[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) {
    problems.push(`${p}: is required and must be a list`);
    return [];
  }
  if (required && value.length === 0) problems.push(`${p}: must list at least 1 node`);
  const seen = new Map<string, number>();
  const nodes: NodeEntry[] = [];
  value.forEach((node, i) => {
    const at = `${p}[${i}]`;
    nodes.push(isObject(node) ? node : undefined);
    if (!isObject(node)) return void problems.push(`${at}: must be an object`);
    if (
      checkString(problems, `${at}.name`, node.name, {
        min: 1,
        max: NODE_NAME_MAX_LENGTH,
        pattern: NODE_NAME_PATTERN,
      })
    ) {
      const name = node.name as string;
      if (seen.has(name))
        problems.push(`${at}.name: node "${name}" is already declared at ${p}[${seen.get(name)}]`);
      else seen.set(name, i);
    }
    const iface = node.interface;
    const isValueNode =
      typeof iface === "string" && (VALUE_NODE_INTERFACES as readonly string[]).includes(iface);
    if (iface === undefined) {
      problems.push(`${at}.interface: is required`);
    } else if (!isValueNode && (typeof iface !== "string" || !NODE_INTERFACE_PATTERN.test(iface))) {
      problems.push(
        `${at}.interface: must match ${NODE_INTERFACE_PATTERN.source} or be one of ${VALUE_NODE_INTERFACES.join(", ")} ${got(iface)}`,
      );
    }
    const allowed = isValueNode
      ? ["name", "interface", "value", "overridable", "overrideMandatory", "decorator"]
      : ["name", "interface", "overridable", "overrideMandatory", "launch", "decorator"];
    checkKeys(
      problems,
      at,
      node,
      allowed,
      isValueNode ? "on a value node" : "on an interface node",
    );
    if (isValueNode && node.value !== undefined)
      checkValue(problems, `${at}.value`, iface as ValueNodeInterface, node.value);
    for (const flag of ["overridable", "overrideMandatory"]) {
      if (node[flag] !== undefined && typeof node[flag] !== "boolean")
        problems.push(`${at}.${flag}: must be a boolean ${got(node[flag])}`);
    }
    if (
      node.launch !== undefined &&
      !isValueNode &&
      !(NODE_LAUNCH_MODES as readonly unknown[]).includes(node.launch)
    )
      problems.push(
        `${at}.launch: must be one of ${NODE_LAUNCH_MODES.join(", ")} ${got(node.launch)}`,
      );
    if (node.decorator !== undefined) checkDecorator(problems, `${at}.decorator`, node.decorator);
  });
  return nodes;
}

function checkValue(
  problems: string[],
  at: string,
  type: ValueNodeInterface,
  value: unknown,
): void {
  switch (type) {
    case "boolean":
      if (typeof value !== "boolean")
        problems.push(`${at}: must be a boolean for a boolean node ${got(value)}`);
      return;
    case "string":
      if (typeof value !== "string")
        problems.push(`${at}: must be a string for a string node ${got(value)}`);
      return;
    case "int32":
      if (
        typeof value !== "number" ||
        !Number.isInteger(value) ||
        value < INT32_MIN ||
        value > INT32_MAX
      )
        problems.push(
          `${at}: must be an integer from ${INT32_MIN} to ${INT32_MAX} for an int32 node ${got(value)}`,
        );
      return;
    case "float32":
      if (typeof value !== "number" || !Number.isFinite(value) || Math.abs(value) > FLOAT32_MAX)
        problems.push(
          `${at}: must be a finite number within the float32 range for a float32 node ${got(value)}`,
        );
      return;
  }
}

function checkDecorator(problems: string[], at: string, value: unknown): void {
  if (!isObject(value)) return void problems.push(`${at}: must be an object`);
  checkKeys(problems, at, value, DECORATOR_KEYS);
  for (const k of DECORATOR_KEYS) {
    if (value[k] !== undefined)
      checkString(problems, `${at}.${k}`, value[k], { min: 1, max: DECORATOR_FIELD_MAX_LENGTH });
  }
}

/** Each interface node must use a package the document declares. */
function checkInterfacePackages(
  problems: string[],
  p: string,
  nodes: NodeEntry[],
  packages: string[],
  where: string,
): void {
  nodes.forEach((node, i) => {
    const iface = node?.interface;
    if (typeof iface !== "string" || !NODE_INTERFACE_PATTERN.test(iface)) return;
    const pkg = iface.slice(0, iface.lastIndexOf("."));
    if (!packages.includes(pkg))
      problems.push(
        `${p}[${i}].interface: uses package "${pkg}", which is not declared in ${where}`,
      );
  });
}

function checkEdges(
  problems: string[],
  p: string,
  value: unknown,
  nodes: NodeEntry[],
  where: string,
  allowUndeclared = false,
): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void problems.push(`${p}: must be a list`);
  const byName = new Map<string, Record<string, unknown>>();
  for (const n of nodes)
    if (n && typeof n.name === "string" && !byName.has(n.name)) byName.set(n.name, n);
  const isValue = (n: Record<string, unknown>) =>
    (VALUE_NODE_INTERFACES as readonly unknown[]).includes(n.interface);
  value.forEach((edge, i) => {
    const at = `${p}[${i}]`;
    if (!isObject(edge)) return void problems.push(`${at}: must be an object`);
    checkKeys(problems, at, edge, EDGE_KEYS);
    for (const end of EDGE_KEYS) {
      const ref = edge[end];
      if (!checkString(problems, `${at}.${end}`, ref, { pattern: EDGE_ENDPOINT_PATTERN })) continue;
      const dot = (ref as string).indexOf(".");
      const nodeName = dot < 0 ? (ref as string) : (ref as string).slice(0, dot);
      const node = byName.get(nodeName);
      if (!node) {
        // Overrides checked without their graph may connect graph nodes: not checkable then.
        if (!allowUndeclared)
          problems.push(
            `${at}.${end}: refers to node "${nodeName}", which is not declared in ${where}`,
          );
        continue;
      }
      if (end === "producer" && dot < 0 && !isValue(node))
        problems.push(
          `${at}.producer: "${ref}" must name an output port (<node>.<port>); only value nodes produce without a port`,
        );
      if (end === "producer" && dot >= 0 && isValue(node))
        problems.push(
          `${at}.producer: "${ref}": value node "${nodeName}" has no ports; use "${nodeName}"`,
        );
      if (end === "consumer" && isValue(node))
        problems.push(
          `${at}.consumer: "${ref}" is a value node, which cannot consume; name an input port <node>.<port>`,
        );
      else if (end === "consumer" && dot < 0)
        problems.push(`${at}.consumer: "${ref}" must name an input port (<node>.<port>)`);
    }
  });
}

function checkNodeOverrides(
  problems: string[],
  p: string,
  value: unknown,
  overrideNodes: NodeEntry[],
  baseNodes: NodeEntry[] | undefined,
): void {
  const replaced = new Map<string, number>();
  if (value !== undefined && !Array.isArray(value))
    return void problems.push(`${p}: must be a list`);
  const declared = new Set(overrideNodes.map((n) => n?.name));
  ((value as unknown[]) ?? []).forEach((o, i) => {
    const at = `${p}[${i}]`;
    if (!isObject(o)) return void problems.push(`${at}: must be an object`);
    checkKeys(problems, at, o, [...NODE_OVERRIDE_KEYS, "envelopeVersion"]);
    if (o.envelopeVersion !== undefined) checkEnvelope(problems, at, o.envelopeVersion);
    if (checkString(problems, `${at}.replace`, o.replace, { pattern: NODE_NAME_PATTERN })) {
      const target = o.replace as string;
      if (replaced.has(target))
        problems.push(
          `${at}.replace: node "${target}" is already replaced at ${p}[${replaced.get(target)}]`,
        );
      else replaced.set(target, i);
      if (baseNodes) {
        const node = baseNodes.find((n) => n?.name === target);
        if (!node)
          problems.push(`${at}.replace: node "${target}" is not declared in nodeGraph.nodes`);
        // A node the developer did not mark overridable cannot be replaced at deployment.
        else if (node.overridable !== true)
          problems.push(
            `${at}.replace: node "${target}" is not overridable in the application manifest`,
          );
      }
    }
    if (!Array.isArray(o.with))
      return void problems.push(`${at}.with: is required and must be a list`);
    o.with.forEach((w, j) => {
      const wat = `${at}.with[${j}]`;
      if (!isObject(w)) return void problems.push(`${wat}: must be an object with a name`);
      checkKeys(problems, wat, w, ["name"]);
      if (!checkString(problems, `${wat}.name`, w.name, { pattern: NODE_NAME_PATTERN })) return;
      if (!declared.has(w.name))
        problems.push(`${wat}.name: node "${w.name}" is not declared in nodeGraphOverrides.nodes`);
    });
  });
  for (const node of baseNodes ?? []) {
    if (
      node?.overrideMandatory === true &&
      typeof node.name === "string" &&
      !replaced.has(node.name)
    )
      problems.push(
        `${p}: node "${node.name}" is overrideMandatory in the application manifest and must be replaced`,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Small checks
// ---------------------------------------------------------------------------------------------

type NodeEntry = Record<string, unknown> | undefined;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkKeys(
  problems: string[],
  at: string,
  obj: Record<string, unknown>,
  allowed: string[],
  context = "",
): void {
  for (const k of Object.keys(obj)) {
    if (obj[k] !== undefined && !allowed.includes(k))
      problems.push(
        `${at === "(root)" ? "" : `${at}.`}${k}: is not allowed${context ? ` ${context}` : ""} (allowed: ${allowed.join(", ")})`,
      );
  }
}

function checkString(
  problems: string[],
  at: string,
  value: unknown,
  rule: { min?: number; max?: number; pattern?: RegExp },
): boolean {
  if (value === undefined) {
    problems.push(`${at}: is required`);
    return false;
  }
  if (typeof value !== "string") {
    problems.push(`${at}: must be a string ${got(value)}`);
    return false;
  }
  const before = problems.length;
  const length = [...value].length;
  if (rule.min !== undefined && length < rule.min)
    problems.push(`${at}: must have at least ${rule.min} character(s)`);
  if (rule.max !== undefined && length > rule.max)
    problems.push(`${at}: must have at most ${rule.max} characters (has ${length})`);
  if (rule.pattern && !rule.pattern.test(value))
    problems.push(`${at}: must match ${rule.pattern.source} ${got(value)}`);
  return problems.length === before;
}

export function checkApiString(
  problems: string[],
  at: string,
  value: unknown,
  shapeName: string,
): boolean {
  const limit = apiStringLimit(shapeName);
  return checkString(problems, at, value, limit);
}

export function got(value: unknown): string {
  let text: string;
  try {
    text =
      typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  } catch {
    text = String(value);
  }
  return `(got ${text.length > 80 ? `${text.slice(0, 77)}...` : text})`;
}
