import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../lifecycle/providerShim";
import { deterministicClientToken } from "../lifecycle/clientToken";
import { WaitOptions } from "../calls/wait";
import type { ApplicationInstanceHealthStatus, ApplicationInstanceStatus } from "../../model/panoramaTypes";

export type { ApplicationInstanceHealthStatus, ApplicationInstanceStatus };

/**
 * Inputs mirror CreateApplicationInstance in camelCase, plus options of this provider. Every
 * setting but `tags` is fixed when the instance is created: changing one deploys a new instance
 * that replaces the old one on the device (`ApplicationInstanceIdToReplace`).
 */
export interface ApplicationInstanceArgs {
  /** 1–255 characters of `[a-zA-Z0-9_-]`. */
  name?: pulumi.Input<string>;
  /** Up to 255 characters. */
  description?: pulumi.Input<string>;
  /**
   * The application manifest (graph.json) text, i.e. `ManifestPayload.PayloadData`. Build it with
   * `applicationManifest()` / `applicationManifestOutput()` to pin each package to the patch its
   * import job produced; the deployment then waits for those jobs.
   */
  manifestPayload: pulumi.Input<string>;
  /** The overrides document text (`ManifestOverridesPayload.PayloadData`); see `manifestOverrides()`. */
  manifestOverridesPayload?: pulumi.Input<string>;
  /** The device to run on (its device ID). */
  defaultRuntimeContextDevice: pulumi.Input<string>;
  /** IAM role the application runs with. */
  runtimeRoleArn?: pulumi.Input<string>;
  /**
   * An instance that is not managed by this resource (e.g. deployed by panorama-cli) to replace
   * on the device at creation. Used only while that instance is still deployed; the previous
   * instance of this resource is found and replaced without it. Changing it later does nothing.
   * @default none
   */
  applicationInstanceIdToReplace?: pulumi.Input<string>;
  /** Changed in place (TagResource / UntagResource). @default {} */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
  /**
   * How to wait for DEPLOYMENT_SUCCEEDED with health RUNNING, and for REMOVAL_SUCCEEDED on delete;
   * changing it never replaces the instance. @default DEFAULT_WAIT
   */
  waitOptions?: pulumi.Input<WaitOptions>;
  /**
   * Marks this resource's instances on the device (the `pulumi-panorama:deploymentKey` tag), so a
   * replacement finds the instance it replaces. Set it to the same value in another stack or
   * under another resource name to take over that resource's deployment.
   * @default derived from the project, stack and resource name
   */
  deploymentKey?: pulumi.Input<string>;
}

/** A package version the deployed application uses, as the service resolved it. */
export interface ApplicationInstancePackage {
  name: string;
  packageVersion: string;
  patchVersion: string;
}

export interface RuntimeContextState {
  desiredState: "RUNNING" | "STOPPED" | "REMOVED";
  runtimeContextName: string;
  deviceReportedStatus: string;
  /** ISO-8601. */
  deviceReportedTime: string;
}

/**
 * An application deployed to a Panorama appliance (CreateApplicationInstance). `pulumi up` waits
 * until it is DEPLOYMENT_SUCCEEDED and RUNNING; `packages` shows the patch of each package the
 * device runs.
 */
export class ApplicationInstance extends pulumi.dynamic.Resource {
  declare readonly applicationInstanceId: pulumi.Output<string>;
  declare readonly arn: pulumi.Output<string>;
  declare readonly status: pulumi.Output<ApplicationInstanceStatus>;
  declare readonly healthStatus: pulumi.Output<ApplicationInstanceHealthStatus>;
  declare readonly statusDescription: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string | undefined>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly manifestPayload: pulumi.Output<string>;
  declare readonly manifestOverridesPayload: pulumi.Output<string | undefined>;
  declare readonly defaultRuntimeContextDevice: pulumi.Output<string>;
  declare readonly defaultRuntimeContextDeviceName: pulumi.Output<string>;
  declare readonly runtimeRoleArn: pulumi.Output<string | undefined>;
  /** The instance this one replaced on the device, as the service reports it. */
  declare readonly applicationInstanceIdToReplace: pulumi.Output<string | undefined>;
  /** ISO-8601. */
  declare readonly createdTime: pulumi.Output<string>;
  /** ISO-8601. */
  declare readonly lastUpdatedTime: pulumi.Output<string>;
  declare readonly runtimeContextStates: pulumi.Output<RuntimeContextState[] | undefined>;
  /** The resolved package versions (ListApplicationInstanceDependencies). */
  declare readonly packages: pulumi.Output<ApplicationInstancePackage[]>;
  /** Your tags (the deploymentKey tag is kept out of them). */
  declare readonly tags: pulumi.Output<Record<string, string>>;
  declare readonly deploymentKey: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string>;

  constructor(name: string, args: ApplicationInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = { ...OUTPUT_PLACEHOLDERS, ...args };
    if (args.deploymentKey === undefined)
      props.deploymentKey = deterministicClientToken({ project: pulumi.getProject(), stack: pulumi.getStack(), name }, "ApplicationInstance");
    super(applicationInstanceProvider, name, props, opts, "panorama", "ApplicationInstance");
  }
}

/**
 * Every declared output, so Pulumi exposes it even when the program leaves the input of the same
 * name unset (a dynamic resource only has the outputs named in its constructor's props).
 */
const OUTPUT_PLACEHOLDERS = {
  name: undefined,
  description: undefined,
  manifestOverridesPayload: undefined,
  runtimeRoleArn: undefined,
  applicationInstanceIdToReplace: undefined,
  tags: undefined,
  region: undefined,
  applicationInstanceId: undefined,
  arn: undefined,
  status: undefined,
  healthStatus: undefined,
  statusDescription: undefined,
  defaultRuntimeContextDeviceName: undefined,
  createdTime: undefined,
  lastUpdatedTime: undefined,
  runtimeContextStates: undefined,
  packages: undefined,
};

/** The serialized provider; see providerShim.ts. */
export const applicationInstanceProvider = providerShim("pulumi-panorama/dist/provider/resources/applicationInstanceProvider.js", "removeInstance");
