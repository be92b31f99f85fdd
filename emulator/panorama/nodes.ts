// The node catalogue: ListNodes and DescribeNode. A node is one interface of a package version's
// patch: the `panorama` built-ins (builtInNodes.ts) and every interface of this account's
// REGISTER_COMPLETED patches, whether imported, registered or made by a camera template job.
// NodeId is the string ListApplicationInstanceNodeInstances shows:
// <PackageName>-<PackageVersion>-<patch[0:8]>-<interface> (developer guide examples).
import { BUILT_IN_OWNER } from "../../model/graphRules";
import { invalidField, notFound } from "../protocol/errors";
import { paginate } from "../protocol/pagination";
import { epochSeconds } from "../protocol/restJson";
import { NodeInterfaceRecord, PortRecord } from "../state/nodeInterfaces";
import { Runtime } from "../state/runtime";
import {
  BUILT_IN_CREATED_AT,
  BUILT_IN_PACKAGES,
  builtInPackageId,
  builtInPatch,
} from "./builtInNodes";

export interface CatalogueNode {
  nodeId: string;
  owner: string;
  packageId: string;
  packageArn?: string;
  packageName: string;
  packageVersion: string;
  patchVersion: string;
  node: NodeInterfaceRecord;
  createdAt: number;
}

export function nodeId(pkg: string, version: string, patch: string, iface: string): string {
  return `${pkg}-${version}-${patch.slice(0, 8)}-${iface}`;
}

/** Built-ins first, then the account's nodes in package creation order. */
export function nodeCatalogue(rt: Runtime): CatalogueNode[] {
  const builtIns = BUILT_IN_PACKAGES.map((b): CatalogueNode => {
    const patch = builtInPatch(b.name, b.version);
    return {
      nodeId: nodeId(b.name, b.version, patch, b.node.name),
      owner: BUILT_IN_OWNER,
      packageId: builtInPackageId(b.name),
      packageName: b.name,
      packageVersion: b.version,
      patchVersion: patch,
      node: b.node,
      createdAt: BUILT_IN_CREATED_AT,
    };
  });
  const own = Object.values(rt.state.patches)
    .filter((p) => p.status === "REGISTER_COMPLETED" && p.nodes && rt.state.packages[p.packageId])
    .map((p) => ({ patch: p, pkg: rt.state.packages[p.packageId] }))
    .sort(
      (a, b) =>
        a.pkg.sequence - b.pkg.sequence ||
        (a.patch.registeredAt ?? 0) - (b.patch.registeredAt ?? 0),
    )
    .flatMap(({ patch, pkg }) =>
      patch.nodes!.map((node): CatalogueNode => ({
        nodeId: nodeId(pkg.packageName, patch.packageVersion, patch.patchVersion, node.name),
        owner: rt.options.accountId,
        packageId: pkg.packageId,
        packageArn: pkg.arn,
        packageName: pkg.packageName,
        packageVersion: patch.packageVersion,
        patchVersion: patch.patchVersion,
        node,
        createdAt: patch.registeredAt ?? pkg.createdAt,
      })),
    );
  return [...builtIns, ...own];
}

interface ListInput {
  Category?: string;
  OwnerAccount?: string;
  PackageName?: string;
  PackageVersion?: string;
  PatchVersion?: string;
  MaxResults?: number;
  NextToken?: string;
}

/** Filters are exact and AND-ed; without OwnerAccount both the account's and panorama's nodes. */
export function listNodes(rt: Runtime, input: ListInput) {
  const nodes = nodeCatalogue(rt).filter(
    (n) =>
      (input.Category === undefined || n.node.category === input.Category) &&
      (input.OwnerAccount === undefined || n.owner === input.OwnerAccount) &&
      (input.PackageName === undefined || n.packageName === input.PackageName) &&
      (input.PackageVersion === undefined || n.packageVersion === input.PackageVersion) &&
      (input.PatchVersion === undefined || n.patchVersion === input.PatchVersion),
  );
  const page = paginate("ListNodes", nodes, (n) => `${n.owner}/${n.nodeId}`, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
    tokenMember: "NextToken",
  });
  return {
    Nodes: page.items.map((n) => ({
      ...nodeIdentity(n),
      Description: n.node.description,
      CreatedTime: epochSeconds(n.createdAt),
    })),
    NextToken: page.nextToken,
  };
}

export function describeNode(rt: Runtime, input: { NodeId: string; OwnerAccount?: string }) {
  const n = findNode(rt, input.NodeId, input.OwnerAccount);
  return {
    ...nodeIdentity(n),
    NodeInterface: {
      Inputs: n.node.inputs.map(inputPort),
      Outputs: n.node.outputs.map(outputPort),
    },
    AssetName: n.node.assetName,
    // Required in the output though optional in a manifest.
    Description: n.node.description ?? "",
    CreatedTime: epochSeconds(n.createdAt),
    LastUpdatedTime: epochSeconds(n.createdAt),
  };
}

/** What ListNodes and DescribeNode both say of a node. */
function nodeIdentity(n: CatalogueNode) {
  return {
    NodeId: n.nodeId,
    Name: n.node.name,
    Category: n.node.category,
    OwnerAccount: n.owner,
    PackageName: n.packageName,
    PackageId: n.packageId,
    PackageArn: n.packageArn,
    PackageVersion: n.packageVersion,
    PatchVersion: n.patchVersion,
  };
}

/** The account's node wins over a built-in of the same id unless OwnerAccount says otherwise. */
export function findNode(rt: Runtime, id: string, owner?: string): CatalogueNode {
  if (owner !== undefined && owner !== BUILT_IN_OWNER && owner !== rt.options.accountId)
    throw invalidField(
      "OwnerAccount",
      `OwnerAccount ${owner} is neither this account (${rt.options.accountId}) nor ${BUILT_IN_OWNER}.`,
    );
  const matches = nodeCatalogue(rt).filter(
    (n) => n.nodeId === id && (owner === undefined || n.owner === owner),
  );
  const found = matches.find((n) => n.owner !== BUILT_IN_OWNER) ?? matches[0];
  if (!found) throw notFound("Node", id, `Node ${id} was not found.`);
  return found;
}

function inputPort(p: PortRecord) {
  return {
    Name: p.name,
    Description: p.description,
    Type: p.type,
    DefaultValue: p.defaultValue,
    MaxConnections: p.maxConnections,
  };
}

function outputPort(p: PortRecord) {
  return { Name: p.name, Description: p.description, Type: p.type };
}
