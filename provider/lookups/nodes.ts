// Node lookups: the node catalogue of ListNodes and DescribeNode. A node is one interface of a
// package version's patch: the built-ins of the `panorama` owner (the abstract RTSP camera, the
// HDMI sink) and the account's own (imported code and models, camera nodes), so a program can
// find a camera node's interface or a model's patch without copying ids.
import * as pulumi from "@pulumi/pulumi";
import { DescribeNodeCommand, ListNodesCommand, Node } from "@aws-sdk/client-panorama";
import { validate } from "../../model/panoramaModel";
import { fromApi } from "../lifecycle/apiShapes";
import { UsageError } from "../userError";
import {
  checkLookupArgs,
  lookupCall,
  LookupClients,
  lookupOutput,
  LookupOutputArgs,
  programClients,
} from "./lookupCalls";

export type NodeCategory = "BUSINESS_LOGIC" | "ML_MODEL" | "MEDIA_SOURCE" | "MEDIA_SINK";
export type PortType = "BOOLEAN" | "STRING" | "INT32" | "FLOAT32" | "MEDIA";

/** The owner of the built-in nodes, as graph.json names them (`panorama::hdmi_data_sink`). */
export const BUILT_IN_NODE_OWNER = "panorama";

/** The filters of ListNodes; every one is exact, and they are AND-ed. */
export interface GetNodesArgs {
  category?: NodeCategory;
  /** `panorama` for the built-ins; without it, the account's nodes and the built-ins. */
  ownerAccount?: string;
  packageName?: string;
  /** `<major>.<minor>`. */
  packageVersion?: string;
  patchVersion?: string;
  /** @default stack config `aws:region`, then `AWS_REGION` */
  region?: string;
}

/** A node as `ListNodes` returns it, camelCased; timestamps are ISO-8601 strings. */
export interface NodeSummary {
  /** DescribeNode's key: `<package>-<version>-<patch[0:8]>-<name>`. */
  readonly nodeId: string;
  /** The interface's name: graph.json names it `<owner>::<packageName>.<name>`. */
  readonly name: string;
  readonly category: NodeCategory;
  readonly ownerAccount?: string;
  readonly packageName: string;
  readonly packageId: string;
  readonly packageArn?: string;
  readonly packageVersion: string;
  readonly patchVersion: string;
  readonly description?: string;
  readonly createdTime: string;
}

export interface GetNodesResult {
  /** Every matching node (every page of ListNodes), in the service's order. */
  readonly nodes: NodeSummary[];
  /** Their ids, in the same order. */
  readonly ids: string[];
  readonly region: string;
}

/**
 * Lists the node catalogue (every page of ListNodes), optionally filtered by category, owner and
 * package.
 *
 * @example
 * const cameras = await getNodes({ category: "MEDIA_SOURCE" });
 */
export async function getNodes(
  args: GetNodesArgs = {},
  opts?: pulumi.InvokeOptions,
): Promise<GetNodesResult> {
  return getNodesWith(programClients(opts), args);
}

/** {@link getNodes} with the clients of a program or of the provider plugin. */
export async function getNodesWith(
  clients: LookupClients,
  args: GetNodesArgs = {},
): Promise<GetNodesResult> {
  const lookup = "getNodes";
  const filters = listFilters(args);
  checkLookupArgs(lookup, "ListNodesRequest", filters);
  const { client, region } = clients(lookup, args.region);
  const nodes = (await listAll(lookup, client, filters)).map(
    (n) => fromApi("Node", n) as NodeSummary,
  );
  return { nodes, ids: nodes.map((n) => n.nodeId), region };
}

/** {@link getNodes} taking Pulumi values. */
export function getNodesOutput(
  args?: LookupOutputArgs<GetNodesArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetNodesResult> {
  return lookupOutput(getNodes, args, opts);
}

export interface GetNodeArgs {
  /** The node's id. Set this, or `packageName` (with `name` when its package has several nodes). */
  nodeId?: string;
  /** The interface's name within its package, e.g. `rtsp_v1_interface`. */
  name?: string;
  category?: NodeCategory;
  /** `panorama` for a built-in; with `nodeId`, which owner's node of that id. */
  ownerAccount?: string;
  packageName?: string;
  packageVersion?: string;
  patchVersion?: string;
  /** @default stack config `aws:region`, then `AWS_REGION` */
  region?: string;
}

export interface NodeInputPort {
  readonly name: string;
  readonly description?: string;
  readonly type: PortType;
  readonly defaultValue?: string;
  readonly maxConnections?: number;
}

export interface NodeOutputPort {
  readonly name: string;
  readonly description?: string;
  readonly type: PortType;
}

/** A node as `DescribeNode` returns it, camelCased; timestamps are ISO-8601 strings. */
export interface GetNodeResult {
  readonly nodeId: string;
  readonly name: string;
  readonly category: NodeCategory;
  readonly ownerAccount: string;
  readonly packageName: string;
  readonly packageId: string;
  readonly packageArn?: string;
  readonly packageVersion: string;
  readonly patchVersion: string;
  /** Its ports, as a graph's edges connect them (`<node>.<port>`). */
  readonly nodeInterface: { inputs: NodeInputPort[]; outputs: NodeOutputPort[] };
  readonly assetName?: string;
  readonly description: string;
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
  /** `<owner>::<packageName>.<name>`, the node's `interface` in graph.json and overrides. */
  readonly interface: string;
  readonly region: string;
}

/**
 * Looks up one node: by `nodeId` (DescribeNode), or by its package and name (ListNodes with the
 * filters given, then DescribeNode of the one match). Fails, naming what was looked for, when no
 * node or several match.
 *
 * @example
 * const sink = await getNode({ ownerAccount: "panorama", packageName: "hdmi_data_sink" });
 * // sink.interface === "panorama::hdmi_data_sink.hdmi0"
 */
export async function getNode(
  args: GetNodeArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetNodeResult> {
  return getNodeWith(programClients(opts), args);
}

/** {@link getNode} with the clients of a program or of the provider plugin. */
export async function getNodeWith(
  clients: LookupClients,
  args: GetNodeArgs,
): Promise<GetNodeResult> {
  const lookup = "getNode";
  const byId = args.nodeId !== undefined && args.nodeId !== "";
  if (!byId && !args.packageName)
    throw new UsageError(`${lookup}: set \`nodeId\`, or \`packageName\` (and \`name\`)`);
  if (byId) {
    const extra = (
      ["name", "category", "packageName", "packageVersion", "patchVersion"] as const
    ).filter((k) => args[k] !== undefined);
    if (extra.length)
      throw new UsageError(
        `${lookup}: \`nodeId\` names one node; leave out ${extra.map((k) => `\`${k}\``).join(", ")} (or look it up by its package without \`nodeId\`)`,
      );
    checkLookupArgs(lookup, "DescribeNodeRequest", {
      nodeId: args.nodeId,
      ownerAccount: args.ownerAccount,
    });
  } else {
    checkLookupArgs(lookup, "ListNodesRequest", listFilters(args));
    const bad = args.name === undefined ? [] : validate("NodeName", args.name, "name");
    if (bad.length)
      throw new UsageError(`${lookup}: ${bad.map((v) => `${v.path}: ${v.rule}`).join("; ")}`);
  }
  const { client, region } = clients(lookup, args.region);
  const found = byId
    ? { nodeId: args.nodeId!, owner: args.ownerAccount }
    : await nodeByPackage(lookup, client, region, args);
  const node = await lookupCall(
    lookup,
    () => client.send(new DescribeNodeCommand({ NodeId: found.nodeId, OwnerAccount: found.owner })),
    `no node with id ${JSON.stringify(found.nodeId)}${found.owner ? ` of owner ${found.owner}` : ""} in ${region}`,
  );
  const described = fromApi("DescribeNodeResponse", node) as Omit<
    GetNodeResult,
    "interface" | "region"
  >;
  return {
    ...described,
    interface: `${described.ownerAccount}::${described.packageName}.${described.name}`,
    region,
  };
}

/** {@link getNode} taking Pulumi values, e.g. a camera node's package name. */
export function getNodeOutput(
  args: LookupOutputArgs<GetNodeArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetNodeResult> {
  return lookupOutput(getNode, args, opts);
}

function listFilters(args: GetNodesArgs) {
  return {
    category: args.category,
    ownerAccount: args.ownerAccount,
    packageName: args.packageName,
    packageVersion: args.packageVersion,
    patchVersion: args.patchVersion,
  };
}

type Client = ReturnType<LookupClients>["client"];

async function nodeByPackage(
  lookup: string,
  client: Client,
  region: string,
  args: GetNodeArgs,
): Promise<{ nodeId: string; owner?: string }> {
  const listed = await listAll(lookup, client, listFilters(args));
  const matches = listed.filter((n) => args.name === undefined || n.Name === args.name);
  const wanted =
    `package ${args.packageName}${args.packageVersion ? ` ${args.packageVersion}` : ""}` +
    `${args.patchVersion ? ` patch ${args.patchVersion}` : ""}${args.name ? `, named ${JSON.stringify(args.name)}` : ""}` +
    `${args.category ? `, category ${args.category}` : ""}${args.ownerAccount ? `, owner ${args.ownerAccount}` : ""}`;
  if (matches.length === 1) return { nodeId: matches[0].NodeId!, owner: matches[0].OwnerAccount };
  if (matches.length === 0)
    throw new UsageError(
      `${lookup}: no node of ${wanted} in ${region}` +
        (listed.length ? ` (its nodes: ${listed.map((n) => n.Name).join(", ")})` : ""),
    );
  throw new UsageError(
    `${lookup}: ${matches.length} nodes of ${wanted} in ${region} (${matches.map(describeMatch).join(", ")}); ` +
      "narrow it with `name`, `packageVersion`, `patchVersion` or `ownerAccount`, or look one up by `nodeId`",
  );
}

function describeMatch(n: Node): string {
  return `${n.OwnerAccount}::${n.PackageName}.${n.Name} ${n.PackageVersion} patch ${n.PatchVersion?.slice(0, 8)}`;
}

/** Every page of ListNodes. */
async function listAll(lookup: string, client: Client, filters: ReturnType<typeof listFilters>) {
  const nodes: Node[] = [];
  let nextToken: string | undefined;
  do {
    const page = await lookupCall(
      lookup,
      () =>
        client.send(
          new ListNodesCommand({
            Category: filters.category,
            OwnerAccount: filters.ownerAccount,
            PackageName: filters.packageName,
            PackageVersion: filters.packageVersion,
            PatchVersion: filters.patchVersion,
            NextToken: nextToken,
            MaxResults: 25,
          }),
        ),
      "ListNodes answered not found",
    );
    nodes.push(...(page.Nodes ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return nodes;
}
