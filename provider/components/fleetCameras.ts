// The cameras of a fleet: per device, a CameraNode (CreateNodeFromTemplateJob, RTSP_CAMERA_STREAM)
// for each abstract camera of the graph, put in its place by that device's overrides. Each device
// has its own node package, so a credential change makes a new node, and a new deployment, for
// that device only.
import * as pulumi from "@pulumi/pulumi";
import { ABSTRACT_CAMERA_INTERFACE } from "../../model/graphRules";
import type { WaitOptions } from "../calls/wait";
import type { GraphNode, NodeOverrideSpec, PackageInclude } from "../manifest/manifestTypes";
import { CameraNode } from "../resources/cameraNode";
import type { PanoramaProject } from "./panoramaProject";

/** One RTSP camera of a device, in place of an abstract camera node of graph.json. */
export interface FleetCamera {
  /** `rtsp://` or `rtsps://` URL of the stream; kept secret, as the API marks it sensitive. */
  streamUrl: pulumi.Input<string>;
  /** Kept secret. */
  username: pulumi.Input<string>;
  /** Kept secret (pass `config.requireSecret(…)`; plain strings are made secret too). */
  password: pulumi.Input<string>;
  /**
   * The camera's node package (the CameraNode's `outputPackageName` and `nodeName`), one per
   * device and camera. @default `<component name>_<device>_<camera node>`
   */
  packageName?: string;
  /**
   * The camera package's version (`<major>.<minor>`). A version holds one camera, so a credential
   * change under the same version removes the device's deployment and old node before the new
   * ones are made; change the version with the credentials to deploy the new camera first.
   * @default "1.0"
   */
  packageVersion?: string;
}

const DEFAULT_CAMERA_PACKAGE_VERSION = "1.0";
/** NodePackageVersion. */
const CAMERA_PACKAGE_VERSION = /^[0-9]+\.[0-9]+$/;
/** NodePackageName and NodeName: 1–128 of `[a-zA-Z0-9-_]`. */
const CAMERA_PACKAGE_NAME = /^[a-zA-Z0-9\-_]{1,128}$/;

export function cameraPackageName(
  component: string,
  device: string,
  node: string,
  camera: FleetCamera,
): string {
  return camera.packageName ?? `${component}_${device}_${node}`;
}

/** The problems of one device's cameras, each naming the argument and the rule. */
export function cameraProblems(
  project: PanoramaProject,
  component: string,
  device: string,
  cameras: Record<string, FleetCamera> | undefined,
  deviceOverrides: Record<string, unknown> | undefined,
  at: string,
): string[] {
  const problems: string[] = [];
  for (const [node, camera] of Object.entries(cameras ?? {})) {
    const where = `${at}.cameras.${node}`;
    const graphNode = project.graph.nodeGraph.nodes.find((n) => n.name === node);
    const cameraNodes = project.graph.nodeGraph.nodes
      .filter((n) => n.interface === ABSTRACT_CAMERA_INTERFACE)
      .map((n) => n.name);
    if (!graphNode || graphNode.interface !== ABSTRACT_CAMERA_INTERFACE) {
      problems.push(
        `${where}: the graph has no abstract camera node ${node} (${ABSTRACT_CAMERA_INTERFACE}; ` +
          `its camera nodes: ${cameraNodes.join(", ") || "none"})`,
      );
      continue;
    }
    if (!graphNode.overridable)
      problems.push(`${where}: node ${node} is not overridable in graph.json`);
    if (deviceOverrides && node in deviceOverrides)
      problems.push(
        `${where}: node ${node} is in this device's nodeOverrides too; give one of them`,
      );
    if (!camera || typeof camera !== "object") {
      problems.push(`${where}: give { streamUrl, username, password }`);
      continue;
    }
    const missing = (["streamUrl", "username", "password"] as const).filter(
      (key) => camera[key] === undefined || camera[key] === null || camera[key] === "",
    );
    if (missing.length)
      problems.push(
        `${where}: missing ${missing.join(", ")} (a camera needs its stream URL and credentials)`,
      );
    const packageName = cameraPackageName(component, device, node, camera);
    if (!CAMERA_PACKAGE_NAME.test(packageName))
      problems.push(
        `${where}: camera package name ${JSON.stringify(packageName)} is not 1-128 characters of [a-zA-Z0-9_-]; ` +
          "give packageName",
      );
    if (camera.packageVersion !== undefined && !CAMERA_PACKAGE_VERSION.test(camera.packageVersion))
      problems.push(
        `${where}: packageVersion ${JSON.stringify(camera.packageVersion)} is not <major>.<minor> (e.g. 2.0)`,
      );
    if (project.packages.some((p) => p.name === packageName))
      problems.push(
        `${where}: camera package name ${packageName} is a package of packages/ too; give another packageName`,
      );
  }
  return problems;
}

/** What a device's overrides need of a camera node, once it exists. */
export interface CameraOverride {
  ownerAccount: string;
  packageName: string;
  packageVersion: string;
  patchVersion: string;
  /** `<account>::<package>.<nodeName>`. */
  nodeInterface: string;
}

/** One CameraNode per camera of a device; their overrides parts by abstract camera node name. */
export function declareCameras(
  prefix: string,
  component: string,
  device: string,
  cameras: Record<string, FleetCamera>,
  options: { region?: pulumi.Input<string>; waitOptions?: WaitOptions },
  opts: pulumi.CustomResourceOptions,
): { nodes: Record<string, CameraNode>; overrides: pulumi.Output<Record<string, CameraOverride>> } {
  const nodes: Record<string, CameraNode> = {};
  const overrides: Record<string, pulumi.Output<CameraOverride>> = {};
  for (const [node, camera] of Object.entries(cameras)) {
    const packageName = cameraPackageName(component, device, node, camera);
    const cameraNode = new CameraNode(
      `${prefix}-camera-${node}`,
      {
        outputPackageName: packageName,
        outputPackageVersion: camera.packageVersion ?? DEFAULT_CAMERA_PACKAGE_VERSION,
        nodeName: packageName,
        templateParameters: {
          StreamUrl: camera.streamUrl,
          Username: camera.username,
          Password: camera.password,
        },
        region: options.region,
        waitOptions: options.waitOptions,
      },
      opts,
    );
    nodes[node] = cameraNode;
    overrides[node] = pulumi
      .all([
        cameraNode.ownerAccount,
        cameraNode.packageName,
        cameraNode.packageVersion,
        cameraNode.patchVersion,
        cameraNode.nodeInterface,
      ])
      .apply(([ownerAccount, pkg, packageVersion, patchVersion, nodeInterface]) => ({
        ownerAccount,
        packageName: pkg,
        packageVersion,
        patchVersion,
        nodeInterface,
      }));
  }
  return {
    nodes,
    overrides: pulumi.output(overrides) as pulumi.Output<Record<string, CameraOverride>>,
  };
}

/** The overrides' parts that put each camera node (pinned to its patch) in its abstract camera's place. */
export function cameraOverrideParts(cameras: Record<string, CameraOverride>): {
  packages: PackageInclude[];
  nodes: GraphNode[];
  nodeOverrides: NodeOverrideSpec[];
} {
  const packages: PackageInclude[] = [];
  const nodes: GraphNode[] = [];
  const nodeOverrides: NodeOverrideSpec[] = [];
  for (const [replace, camera] of Object.entries(cameras).sort(([a], [b]) => a.localeCompare(b))) {
    packages.push({
      name: `${camera.ownerAccount}::${camera.packageName}`,
      version: camera.packageVersion,
      patchVersion: camera.patchVersion,
    });
    // The override node's name is the running node's NodeInstanceId (what signals name).
    nodes.push({ name: camera.packageName, interface: camera.nodeInterface, launch: "onAppStart" });
    nodeOverrides.push({ replace, with: [camera.packageName] });
  }
  return { packages, nodes, nodeOverrides };
}
