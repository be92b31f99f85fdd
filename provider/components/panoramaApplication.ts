// From a panorama-cli project to a running fleet in one `pulumi up`. For each package of the
// project: its assets and package.json go to the package's storage location under names that are
// the sha256 of their bytes (S3Object), a PackageImportJob imports the manifest and waits for
// SUCCEEDED; graph.json is moved to the target account and pinned to exactly the imported
// patches; then the application rolls across the devices in waves (rollout.ts): each wave's
// ApplicationInstances depend on the whole previous wave (and its HealthGates), so the engine
// deploys the canary first and stops the rollout where a deployment fails.
import * as pulumi from "@pulumi/pulumi";
import { WaitOptions } from "../calls/wait";
import { applicationManifest, manifestOverrides } from "../manifest/applicationManifest";
import { GraphNode, NodeOverrideSpec, PackageInclude } from "../manifest/manifestTypes";
import { VALUE_NODE_INTERFACES } from "../../model/graphRules";
import { ApplicationInstance, ApplicationInstanceArgs } from "../resources/applicationInstance";
import { Package } from "../resources/package";
import { PackageImportJob } from "../resources/packageImportJob";
import { S3Object } from "../resources/s3Object";
import { DeviceLookup } from "../resources/deviceLookup";
import { HealthGate } from "../resources/healthGate";
import type { SoftwareBaseline } from "../resources/softwareBaseline";
import {
  ImportedPatch,
  PanoramaProject,
  pinnedGraph,
  pinnedInclude,
  checkGraphPackages,
  ProjectError,
  ProjectPackage,
  readPanoramaProject,
} from "./panoramaProject";
import { DEFAULT_ROLLOUT, RolloutPolicy, rolloutPolicyProblems, rolloutWaves } from "./rollout";
import { CameraNode } from "../resources/cameraNode";
import {
  CameraOverride,
  cameraOverrideParts,
  cameraProblems,
  declareCameras,
  FleetCamera,
} from "./fleetCameras";
import { declareBaseline, DeviceSoftwareBaseline, deviceSoftwareProblems } from "./fleetSoftware";

export { FleetCamera } from "./fleetCameras";
export { DeviceSoftwareBaseline } from "./fleetSoftware";

/** What replaces an overridable node of the graph on a device. */
export type NodeOverrideValue =
  /** A package of the project (e.g. a camera stream made with `panorama-cli add-panorama-package --type camera`). */
  | { package: string; /** @default the package's only interface */ interfaceName?: string }
  /** A new value for a value node (`string`, `int32`, `float32`, `boolean`). */
  | { value: string | number | boolean };

export interface FleetDevice {
  /** The device id. Give `id` or `name`. */
  id?: string;
  /** The device name, looked up once (ListDevices) when the device joins the fleet. Give `id` or `name`. */
  name?: string;
  /** Overrides for this device, over the application's `nodeOverrides`, by node name. @default none */
  nodeOverrides?: Record<string, NodeOverrideValue>;
  /**
   * This device's RTSP cameras, by the name of the abstract camera node of graph.json each one
   * replaces (`panorama::abstract_rtsp_media_source`): a CameraNode each, put in that node's place
   * in the device's overrides (over an application-wide `nodeOverrides` entry). @default none
   */
  cameras?: Record<string, FleetCamera>;
}

export interface PanoramaApplicationArgs {
  /** The panorama-cli project: a directory with graphs/, packages/ and assets/. Give `projectDir` or `project`. */
  projectDir?: string;
  /** The graph to deploy, `graphs/<graph>/graph.json`. @default the project's only graph */
  graph?: string;
  /** The same as typed values (what `readPanoramaProject` returns), instead of `projectDir`. */
  project?: PanoramaProject;
  /**
   * The devices, in rollout order: the first `rollout.canary` are the canary. A device id, or a
   * `FleetDevice`. Removing a device removes the application from it.
   */
  devices: (string | FleetDevice)[];
  /** Overrides for every device, by node name (e.g. the camera node). @default none */
  nodeOverrides?: Record<string, NodeOverrideValue>;
  /** @default DEFAULT_ROLLOUT: canary 1, then one device at a time, no extra health wait */
  rollout?: RolloutPolicy;
  /**
   * The appliance software every device must run at least. A device behind it (DescribeDevice's
   * CurrentSoftware, read once when it joins) gets an OTA job to `imageVersion`, in its wave,
   * before its deployment. @default none: no device is updated
   */
  deviceSoftware?: DeviceSoftwareBaseline;
  /** The application instances' `Name`. @default the graph's name */
  applicationName?: string;
  description?: string;
  runtimeRoleArn?: pulumi.Input<string>;
  /** Tags of the packages and application instances. @default {} */
  tags?: Record<string, string>;
  /** Make each imported patch its version's latest, as panorama-cli does. @default true */
  markLatest?: boolean;
  /**
   * Delete the packages with their versions and stored artifacts on destroy (DeletePackage
   * ForceDelete). @default true: the application owns its packages
   */
  forceDeletePackages?: boolean;
  /** How the import jobs and deployments wait. @default DEFAULT_WAIT */
  waitOptions?: WaitOptions;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
}

/** One device of the fleet as the rollout left it. */
export interface FleetDeployment {
  /** The name or id the program gave. */
  device: string;
  deviceId: string;
  /** 0 = canary (when there is one), then the batches. */
  wave: number;
  applicationInstanceId: string;
  status: string;
  healthStatus: string;
}

/** A panorama-cli project imported and deployed across a fleet of Panorama appliances. */
export class PanoramaApplication extends pulumi.ComponentResource {
  /** The imported patch of every project package, by package name. */
  readonly packages: pulumi.Output<
    Record<string, { packageId: string; packageVersion: string; patchVersion: string }>
  >;
  /** graph.json as deployed: the target account, every project package pinned to its patch. */
  readonly manifestPayload: pulumi.Output<string>;
  /** Every device, in rollout order. */
  readonly deployments: pulumi.Output<FleetDeployment[]>;
  /** Device (as given) of each wave, in order. */
  readonly waves: string[][];
  readonly instances: Record<string, ApplicationInstance>;
  readonly importJobs: Record<string, PackageImportJob>;
  /** The software baseline of each device (as given), when `deviceSoftware` is set. */
  readonly softwareBaselines: Record<string, SoftwareBaseline>;
  /** The camera nodes of each device (as given), by the graph node they replace. */
  readonly cameras: Record<string, Record<string, CameraNode>>;

  constructor(name: string, args: PanoramaApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("panorama:index:PanoramaApplication", name, {}, opts);
    if ((args.projectDir === undefined) === (args.project === undefined))
      throw new ProjectError(
        "PanoramaApplication: give exactly one of projectDir (a panorama-cli project directory) or project (its typed value).",
      );
    const project = args.project ?? readPanoramaProject(args.projectDir!, args.graph);
    if (args.project) checkGraphPackages(project);
    const devices = checkedDevices(args, project, name);
    const child = { parent: this };
    const common = { region: args.region, waitOptions: args.waitOptions };

    // Packages, uploads and imports.
    this.importJobs = {};
    const imported: Record<string, pulumi.Output<ImportedPatch>> = {};
    const packages: Record<
      string,
      pulumi.Output<{ packageId: string; packageVersion: string; patchVersion: string }>
    > = {};
    for (const p of project.packages) {
      const job = importPackage(`${name}-${p.name}`, p, args, child);
      this.importJobs[p.name] = job;
      imported[p.name] = pulumi
        .all([job.ownerAccount, job.patchVersion])
        .apply(([account, patchVersion]) => ({ account, patchVersion }));
      packages[p.name] = pulumi
        .all([job.packageId, job.packageVersion, job.patchVersion])
        .apply(([packageId, packageVersion, patchVersion]) => ({
          packageId,
          packageVersion,
          patchVersion,
        }));
    }
    const patches = pulumi.output(imported) as pulumi.Output<Record<string, ImportedPatch>>;
    this.packages = pulumi.output(packages) as pulumi.Output<
      Record<string, { packageId: string; packageVersion: string; patchVersion: string }>
    >;
    this.manifestPayload = patches.apply((i) => serializedGraph(project, i));

    // The fleet, wave by wave.
    const policy = { ...DEFAULT_ROLLOUT, ...args.rollout };
    const waves = rolloutWaves(devices, policy);
    this.waves = waves.map((w) => w.map((d) => d.key));
    this.instances = {};
    this.cameras = {};
    this.softwareBaselines = {};
    const deployments: pulumi.Output<FleetDeployment>[] = [];
    let previousWave: pulumi.Resource[] = [];
    waves.forEach((wave, waveIndex) => {
      const thisWave: pulumi.Resource[] = [];
      for (const d of wave) {
        const deviceId =
          d.id ??
          new DeviceLookup(`${name}-device-${d.key}`, { name: d.name!, region: args.region }, child)
            .deviceId;
        // The device's OTA, if it is behind, runs in its wave and before its deployment.
        const baseline =
          args.deviceSoftware &&
          declareBaseline(`${name}-${d.key}`, d.key, deviceId, args.deviceSoftware, args.region, {
            parent: this,
            dependsOn: previousWave,
          });
        const overrides = withoutKeys({ ...args.nodeOverrides, ...d.nodeOverrides }, d.cameras);
        const cameras = d.cameras && Object.keys(d.cameras).length ? d.cameras : undefined;
        let cameraOverrides: pulumi.Output<Record<string, CameraOverride>> | undefined;
        if (cameras) {
          const declared = declareCameras(`${name}-${d.key}`, name, d.key, cameras, common, child);
          this.cameras[d.key] = declared.nodes;
          cameraOverrides = declared.overrides;
        }
        const instance = new ApplicationInstance(
          `${name}-${d.key}`,
          {
            name: args.applicationName ?? project.graphName,
            description: args.description,
            defaultRuntimeContextDevice: deviceId,
            manifestPayload: this.manifestPayload,
            manifestOverridesPayload:
              Object.keys(overrides).length || cameraOverrides
                ? pulumi
                    .all([patches, cameraOverrides ?? {}])
                    .apply(([i, c]) => serializedOverrides(project, overrides, i, c))
                : undefined,
            runtimeRoleArn: args.runtimeRoleArn,
            tags: args.tags,
            ...common,
            // For its progress and failure lines only (lifecycle/hiddenInputs.ts).
            __wave: waveName(waveIndex, waves.length, policy.canary > 0),
          } as ApplicationInstanceArgs,
          { parent: this, dependsOn: baseline ? [...previousWave, baseline] : previousWave },
        );
        this.instances[d.key] = instance;
        if (baseline) this.softwareBaselines[d.key] = baseline;
        thisWave.push(instance);
        // The next wave waits for this one's updates too, when only the baseline changed.
        if (baseline) thisWave.push(baseline);
        if (policy.healthySeconds > 0)
          thisWave.push(
            new HealthGate(
              `${name}-${d.key}-healthy`,
              {
                applicationInstanceId: instance.applicationInstanceId,
                deviceName: d.key,
                healthySeconds: policy.healthySeconds,
                region: args.region,
              },
              child,
            ),
          );
        deployments.push(
          pulumi
            .all([
              pulumi.output(deviceId),
              instance.applicationInstanceId,
              instance.status,
              instance.healthStatus,
            ])
            .apply(([id, applicationInstanceId, status, healthStatus]) => ({
              device: d.key,
              deviceId: id,
              wave: waveIndex,
              applicationInstanceId,
              status,
              healthStatus,
            })),
        );
      }
      previousWave = thisWave;
    });
    this.deployments = pulumi.all(deployments);
    this.registerOutputs({
      packages: this.packages,
      manifestPayload: this.manifestPayload,
      deployments: this.deployments,
      waves: this.waves,
    });
  }
}

/** Package, the content-addressed uploads of its assets and package.json, and the import job. */
function importPackage(
  prefix: string,
  p: ProjectPackage,
  args: PanoramaApplicationArgs,
  child: pulumi.CustomResourceOptions,
): PackageImportJob {
  const pkg = new Package(
    `${prefix}-package`,
    {
      packageName: p.name,
      tags: args.tags,
      forceDelete: args.forceDeletePackages ?? true,
      region: args.region,
    },
    child,
  );
  const bucket = pkg.storageLocation.bucket;
  const uploads = p.assets.map(
    (a) =>
      new S3Object(
        `${prefix}-${a.uri}`,
        {
          bucket,
          key: pulumi.interpolate`${pkg.storageLocation.binaryPrefixLocation}/${a.uri}`,
          sha256: a.sha256,
          source: a.file,
          contentType: a.contentType,
          region: args.region,
        },
        child,
      ),
  );
  const manifest = new S3Object(
    `${prefix}-manifest`,
    {
      bucket,
      // Where panorama-cli puts a patch's package.json: <ManifestPrefixLocation>/<version>/<sha256>.json.
      key: pulumi.interpolate`${pkg.storageLocation.manifestPrefixLocation}/${p.version}/${p.manifestSha256}.json`,
      sha256: p.manifestSha256,
      content: p.manifest,
      contentType: "application/json",
      region: args.region,
    },
    { ...child, dependsOn: uploads },
  );
  return new PackageImportJob(
    `${prefix}-import`,
    {
      inputConfig: {
        packageVersionInputConfig: {
          s3Location: { bucketName: manifest.bucket, objectKey: manifest.key },
        },
      },
      outputConfig: {
        packageVersionOutputConfig: {
          packageName: pkg.packageName,
          packageVersion: p.version,
          markLatest: args.markLatest ?? true,
        },
      },
      region: args.region,
      waitOptions: args.waitOptions,
    },
    child,
  );
}

interface CheckedDevice extends FleetDevice {
  /** The name or id, as resource names and messages use it. */
  key: string;
}

/** Every rule on devices, rollout and overrides, checked before any resource is declared. */
export function checkedDevices(
  args: PanoramaApplicationArgs,
  project: PanoramaProject,
  component: string,
): CheckedDevice[] {
  const problems = rolloutPolicyProblems(args.rollout);
  problems.push(...deviceSoftwareProblems(args.deviceSoftware));
  if (!Array.isArray(args.devices) || args.devices.length === 0)
    problems.push("devices: list at least one device (an id, or { name })");
  const devices: CheckedDevice[] = [];
  const seen = new Set<string>();
  (args.devices ?? []).forEach((entry, i) => {
    const d: FleetDevice = typeof entry === "string" ? { id: entry } : entry;
    if ((d.id === undefined) === (d.name === undefined))
      return problems.push(`devices[${i}]: give exactly one of id or name`);
    const key = (d.name ?? d.id)!;
    if (!/^[a-zA-Z0-9\-_]{1,255}$/.test(key))
      return problems.push(
        `devices[${i}]: ${JSON.stringify(key)} is not a device ${d.name ? "name" : "id"} ([a-zA-Z0-9_-], 1-255 characters)`,
      );
    if (seen.has(key)) return problems.push(`devices[${i}]: ${key} is listed twice`);
    seen.add(key);
    for (const [node, value] of Object.entries({ ...args.nodeOverrides, ...d.nodeOverrides }))
      problems.push(
        ...overrideProblems(project, node, value, `devices[${i}] (${key}).nodeOverrides.${node}`),
      );
    problems.push(
      ...cameraProblems(
        project,
        component,
        key,
        d.cameras,
        d.nodeOverrides,
        `devices[${i}] (${key})`,
      ),
    );
    devices.push({ ...d, key });
  });
  if (problems.length)
    throw new ProjectError(
      `PanoramaApplication: invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  return devices;
}

function overrideProblems(
  project: PanoramaProject,
  nodeName: string,
  value: NodeOverrideValue,
  at: string,
): string[] {
  const node = project.graph.nodeGraph.nodes.find((n) => n.name === nodeName);
  if (!node) return [`${at}: the graph has no node ${nodeName}`];
  if (!node.overridable) return [`${at}: node ${nodeName} is not overridable in graph.json`];
  const valueNode = (VALUE_NODE_INTERFACES as readonly string[]).includes(node.interface);
  if ("value" in value)
    return valueNode
      ? []
      : [`${at}: node ${nodeName} is not a value node; override it with { package }`];
  if (valueNode)
    return [
      `${at}: node ${nodeName} is a ${node.interface} value node; override it with { value }`,
    ];
  const pkg = project.packages.find((p) => p.name === value.package);
  if (!pkg)
    return [
      `${at}: package ${value.package} is not in packages/ (${project.packages.map((p) => p.name).join(", ")})`,
    ];
  if (value.interfaceName === undefined && pkg.interfaces.length !== 1)
    return [
      `${at}: package ${pkg.name} has interfaces ${pkg.interfaces.join(", ")}; name one with interfaceName`,
    ];
  if (value.interfaceName !== undefined && !pkg.interfaces.includes(value.interfaceName))
    return [
      `${at}: package ${pkg.name} has no interface ${value.interfaceName} (it has ${pkg.interfaces.join(", ")})`,
    ];
  return [];
}

function serializedGraph(
  project: PanoramaProject,
  imported: Record<string, ImportedPatch>,
): string {
  const g = pinnedGraph(project, imported).nodeGraph;
  return applicationManifest({
    description: g.description,
    packages: g.packages,
    nodes: g.nodes,
    edges: g.edges,
    networkRoutingRules: g.networkRoutingRules,
  });
}

/**
 * The overrides document of one device: override packages pinned like the graph's, and each
 * camera node (pinned to its patch) in place of the abstract camera it replaces.
 */
function serializedOverrides(
  project: PanoramaProject,
  overrides: Record<string, NodeOverrideValue>,
  imported: Record<string, ImportedPatch>,
  cameras: Record<string, CameraOverride>,
): string {
  const { packages, nodes, nodeOverrides } = cameraOverrideParts(cameras);
  for (const [replace, value] of Object.entries(overrides).sort(([a], [b]) => a.localeCompare(b))) {
    const graphNode = project.graph.nodeGraph.nodes.find((n) => n.name === replace)!;
    if ("value" in value) {
      nodes.push({
        name: `${replace}_override`,
        interface: graphNode.interface,
        value: value.value,
      } as GraphNode);
      nodeOverrides.push({ replace, with: [`${replace}_override`] });
      continue;
    }
    const pkg = project.packages.find((p) => p.name === value.package)!;
    const include = pinnedInclude(
      project,
      { name: `${pkg.sourceAccount}::${pkg.name}`, version: pkg.version },
      imported,
      `nodeOverrides.${replace}`,
    );
    if (!packages.some((p) => p.name === include.name)) packages.push(include);
    if (!nodes.some((n) => n.name === pkg.name))
      nodes.push({
        name: pkg.name,
        interface: `${include.name}.${value.interfaceName ?? pkg.interfaces[0]}`,
      });
    nodeOverrides.push({ replace, with: [pkg.name] });
  }
  return manifestOverrides(
    { packages, nodes, nodeOverrides },
    { manifest: serializedGraph(project, imported) },
  );
}

function withoutKeys<T>(
  values: Record<string, T>,
  removed: Record<string, unknown> | undefined,
): Record<string, T> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !removed || !(k in removed)));
}

/** `canary` or `batch 2 of 3`, as the rollout's messages name a wave. */
function waveName(index: number, count: number, hasCanary: boolean): string {
  if (hasCanary && index === 0) return "canary";
  const batches = count - (hasCanary ? 1 : 0);
  return `batch ${index + (hasCanary ? 0 : 1)} of ${batches}`;
}
