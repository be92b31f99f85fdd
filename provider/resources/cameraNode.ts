// CameraNode: CreateNodeFromTemplateJob (RTSP_CAMERA_STREAM), then wait for SUCCEEDED; the node
// it made is what a deployment's overrides put in place of the graph's abstract camera.
import * as pulumi from "@pulumi/pulumi";
import {
  DescribeNodeFromTemplateJobCommand,
  DescribeNodeFromTemplateJobResponse,
} from "@aws-sdk/client-panorama";
import type { WaitOptions } from "../calls/wait";
import { requestFailures } from "../lifecycle/inputChecks";
import { describeOrUndefined } from "../lifecycle/notFound";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { resourceProvider } from "../lifecycle/resourceProvider";
import { ResourceSpec } from "../lifecycle/resourceSpec";
import { describePatch } from "./patches";
import type { JobResourceTags, JobResourceTagsArgs } from "./packageImportJobTypes";
import {
  DEFAULT_TEMPLATE_TYPE,
  deleteNode,
  label,
  startJob,
  target,
  withJob,
  withNode,
} from "./cameraNodeCalls";

/** The RTSP_CAMERA_STREAM parameters; all three are sensitive in the model and kept secret. */
export interface CameraTemplateParametersArgs {
  /** `rtsp://` or `rtsps://` URL of the stream. */
  StreamUrl: pulumi.Input<string>;
  Username?: pulumi.Input<string>;
  Password?: pulumi.Input<string>;
}

/** Inputs mirror CreateNodeFromTemplateJob in camelCase, plus options of this provider. */
export interface CameraNodeArgs {
  /** @default "RTSP_CAMERA_STREAM" */
  templateType?: pulumi.Input<"RTSP_CAMERA_STREAM">;
  /** The node package the job makes (a new version of it per camera node). */
  outputPackageName: pulumi.Input<string>;
  /** `<major>.<minor>`. */
  outputPackageVersion: pulumi.Input<string>;
  /** The node's interface name: overrides name it `<account>::<outputPackageName>.<nodeName>`. */
  nodeName: pulumi.Input<string>;
  /** The node's description. @default none */
  nodeDescription?: pulumi.Input<string>;
  /** Always secret; a change of any of them makes a new node. */
  templateParameters: pulumi.Input<CameraTemplateParametersArgs>;
  /** Tags the job puts on the package. @default none */
  jobTags?: pulumi.Input<pulumi.Input<JobResourceTagsArgs>[]>;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
  /** How to wait for SUCCEEDED; changing it never replaces the node. */
  waitOptions?: pulumi.Input<WaitOptions>;
  /**
   * On delete, deregister the node's patch. @default true: the camera exists only as this
   * resource, and its package version cannot take another camera while the patch is registered.
   */
  deregisterOnDelete?: pulumi.Input<boolean>;
}

const SPEC: ResourceSpec = {
  type: "CameraNode",
  parameters: [
    "templateType",
    "outputPackageName",
    "outputPackageVersion",
    "nodeName",
    "nodeDescription",
    "templateParameters",
    "jobTags",
  ],
  options: { deregisterOnDelete: "boolean" },
  outputs: [
    "jobId",
    "status",
    "statusMessage",
    "nodeId",
    "nodeInterface",
    "packageId",
    "packageName",
    "packageVersion",
    "patchVersion",
    "packageArn",
    "ownerAccount",
    "createdTime",
    "lastUpdatedTime",
  ],
  // The package version holds one camera patch: a new node for the same version waits for the old
  // one's patch to be deregistered (one kept with deregisterOnDelete false still conflicts).
  deleteBeforeReplace: (olds, news) =>
    olds.patchVersion !== undefined &&
    olds.outputPackageName === news.outputPackageName &&
    olds.outputPackageVersion === news.outputPackageVersion,
  // Secret in the outputs too (the schema marks the input secret from this list as well).
  secretOutputs: ["templateParameters"],
};

/**
 * A camera node: `pulumi up` runs CreateNodeFromTemplateJob, waits until it SUCCEEDED and exposes
 * the node (`nodeInterface`, `packageId`, `patchVersion`) a deployment's overrides use.
 */
export class CameraNode extends PanoramaResource {
  /** The CreateNodeFromTemplateJob that made the node. */
  declare readonly jobId: pulumi.Output<string>;
  /** PENDING, SUCCEEDED or FAILED. */
  declare readonly status: pulumi.Output<string>;
  /** The job's status message (why it FAILED). */
  declare readonly statusMessage: pulumi.Output<string>;
  /** DescribeNode's id: `<package>-<version>-<patch[0:8]>-<nodeName>`. */
  declare readonly nodeId: pulumi.Output<string>;
  /** `<account>::<package>.<nodeName>`, the interface of an override node. */
  declare readonly nodeInterface: pulumi.Output<string>;
  /** The node package the job made (ListNodes). */
  declare readonly packageId: pulumi.Output<string>;
  /** The node package's name. */
  declare readonly packageName: pulumi.Output<string>;
  /** The node package's version. */
  declare readonly packageVersion: pulumi.Output<string>;
  /** The patch the job registered: pin a deployment's graph.json to it. */
  declare readonly patchVersion: pulumi.Output<string>;
  /** The node package's ARN. */
  declare readonly packageArn: pulumi.Output<string>;
  /** Account owning the package (the `<owner>::` of manifest package names). */
  declare readonly ownerAccount: pulumi.Output<string>;
  declare readonly templateType: pulumi.Output<string>;
  declare readonly outputPackageName: pulumi.Output<string>;
  declare readonly outputPackageVersion: pulumi.Output<string>;
  declare readonly nodeName: pulumi.Output<string>;
  declare readonly nodeDescription: pulumi.Output<string | undefined>;
  declare readonly jobTags: pulumi.Output<JobResourceTags[] | undefined>;
  /** ISO-8601. */
  declare readonly createdTime: pulumi.Output<string>;
  /** ISO-8601. */
  declare readonly lastUpdatedTime: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string>;

  constructor(name: string, args: CameraNodeArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      SPEC,
      name,
      {
        ...args,
        templateParameters:
          args.templateParameters === undefined
            ? undefined
            : pulumi.secret(args.templateParameters),
      },
      opts,
    );
  }
}

export const cameraNodeImplementation = resourceProvider<DescribeNodeFromTemplateJobResponse>(
  SPEC,
  {
    noun: "camera node job",
    where: (p) => `for ${target(p)}`,
    label,
    defaults: (inputs) =>
      inputs.templateType == null ? { ...inputs, templateType: DEFAULT_TEMPLATE_TYPE } : inputs,
    check: (inputs, adopting) =>
      requestFailures(
        "CreateNodeFromTemplateJobRequest",
        Object.fromEntries(SPEC.parameters.map((key) => [key, inputs[key]])),
        adopting,
      ),
    start: startJob,
    describe: (call, id) =>
      describeOrUndefined(() =>
        call.client.send(new DescribeNodeFromTemplateJobCommand({ JobId: id })),
      ),
    merge: withJob,
    acceptor: (p) =>
      p.status === "SUCCEEDED" ? "success" : p.status === "FAILED" ? "failure" : "retry",
    failure: (id, p) =>
      `Camera node job ${id} for ${target(p)} FAILED: ${p.statusMessage || "no status message"}. ` +
      "The failed job stays recorded in the stack; fix the cause and run `pulumi up` again: a new job replaces it.",
    complete: withNode,
    async refreshed(call, outs) {
      if (!outs.patchVersion) return outs;
      const v = await describePatch(call, {
        PackageId: outs.packageId,
        PackageVersion: outs.packageVersion,
        PatchVersion: outs.patchVersion,
      }).catch(() => "unknown" as const);
      if (v === "unknown" || (v && v.Status !== "DELETING" && v.Status !== "FAILED")) return outs;
      call.log(
        `${label(outs)}: patch ${outs.patchVersion} is no longer registered; the next \`pulumi up\` makes a new node`,
      );
      const { nodeId: _gone, ...rest } = outs;
      return rest;
    },
    mustReplace: (olds) =>
      olds.status === "FAILED" || (olds.status === "SUCCEEDED" && olds.nodeId === undefined),
    remove: deleteNode,
  },
);
