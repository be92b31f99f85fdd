// ApplicationInstance: CreateApplicationInstance, then DescribeApplicationInstance until
// DEPLOYMENT_SUCCEEDED and RUNNING (health ERROR for UNHEALTHY_GRACE_SECONDS fails it; the next
// `pulumi up` describes the same instance again); delete is RemoveApplicationInstance waited to
// REMOVAL_SUCCEEDED (404, or 409 on a removed instance: gone).
//
// Replacement. Every setting but tags is fixed at creation, so a changed manifest means a new
// instance, and it must take the old one's place on the device (`ApplicationInstanceIdToReplace`)
// so the device never runs both, nor neither. Pulumi replaces create-before-delete, but `create`
// only sees the new inputs, not the old id. So every instance is tagged with the resource's
// `deploymentKey` (derived from project, stack and resource name), and `create` lists the
// device's live instances and replaces the one carrying that tag. The old resource's delete then
// finds its instance removed, or being removed, by the service and treats that as done. The same
// lookup makes a deployment orphaned by an interrupted `pulumi up` get replaced, not duplicated.
import * as pulumi from "@pulumi/pulumi";
import type { DescribeApplicationInstanceResponse } from "@aws-sdk/client-panorama";
import type {
  ApplicationInstanceHealthStatus,
  ApplicationInstanceStatus,
} from "../../model/panoramaTypes";
import {
  DEPLOYING_STATUSES,
  DEPLOYMENT_FAILED_STATUSES,
  GONE_STATUSES,
  isStatusIn,
  REMOVED_STATUS,
} from "../../model/statusGroups";
import { WaitOptions } from "../calls/wait";
import { resourceKey } from "../lifecycle/derivedValues";
import { describeOrUndefined } from "../lifecycle/notFound";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import type { ResourceHooks } from "../lifecycle/resourceHooks";
import { LifecycleOptions, resourceProvider } from "../lifecycle/resourceProvider";
import { ResourceSpec } from "../lifecycle/resourceSpec";
import {
  CREATION_SETTINGS,
  DEPLOYMENT_KEY_TAG,
  describeInstance,
  instanceFailure,
  instanceTags,
  label,
  UNHEALTHY_GRACE_SECONDS,
  unhealthy,
  where,
  withInstance,
  withPackages,
} from "./applicationInstanceCalls";
import { checkInstance } from "./applicationInstanceChecks";
import { convergePausedNodes, withPausedNodes } from "./applicationInstanceSignals";
import { deploy } from "./applicationInstanceDeploy";
import { removeInstance } from "./applicationInstanceRemoval";

export type { ApplicationInstanceHealthStatus, ApplicationInstanceStatus };

/**
 * Inputs mirror CreateApplicationInstance in camelCase, plus options of this provider. Every
 * setting but `tags` and `pausedNodes` is fixed when the instance is created: changing one deploys
 * a new instance that replaces the old one on the device (`ApplicationInstanceIdToReplace`).
 */
export interface ApplicationInstanceArgs {
  /** 1–255 characters of `[a-zA-Z0-9_-]`. */
  name?: pulumi.Input<string>;
  /** Up to 255 characters. */
  description?: pulumi.Input<string>;
  /**
   * The application manifest (graph.json) text, i.e. `ManifestPayload.PayloadData`. Build it with
   * `applicationManifest()` / `applicationManifestOutput()` to pin each package to the patch its
   * import job produced; the deployment then waits for those jobs. Required unless adopting.
   */
  manifestPayload?: pulumi.Input<string>;
  /** The overrides document text (`ManifestOverridesPayload.PayloadData`); see `manifestOverrides()`. */
  manifestOverridesPayload?: pulumi.Input<string>;
  /** The device to run on (its device ID). Required unless adopting. */
  defaultRuntimeContextDevice?: pulumi.Input<string>;
  /** IAM role the application runs with. */
  runtimeRoleArn?: pulumi.Input<string>;
  /**
   * An instance that is not managed by this resource (e.g. deployed by panorama-cli) to replace
   * on the device at creation. Used only while that instance is still deployed; the previous
   * instance of this resource is found and replaced without it. Changing it later does nothing.
   * @default none
   */
  applicationInstanceIdToReplace?: pulumi.Input<string>;
  /**
   * The camera nodes to keep paused (SignalApplicationInstanceNodeInstances), by node instance id:
   * the node's name in `manifestPayload`, or the override node's name where
   * `manifestOverridesPayload` replaces it. Changed in place: `pulumi up` sends PAUSE for the
   * listed nodes and RESUME for the other paused ones (an `onSignal` camera starts paused), then
   * waits until the device reports them PAUSED / RUNNING. `pulumi refresh` reads the nodes the
   * device has paused. Unset: signals are left to others.
   * @default unset
   */
  pausedNodes?: pulumi.Input<pulumi.Input<string>[]>;
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
  /**
   * Bring an instance deployed outside the stack under management by its id instead of deploying
   * one: it is tagged with this resource's deploymentKey, and `pulumi destroy` removes it. The
   * creation settings the program sets are kept as given (the service does not report them).
   * @default none
   */
  adoptApplicationInstanceId?: pulumi.Input<string>;
}

/** A package version the deployed application uses, as the service resolved it. */
export interface ApplicationInstancePackage {
  /** `<owner>::<package name>`. */
  name: string;
  /** `<major>.<minor>`. */
  packageVersion: string;
  /** The patch the device runs. */
  patchVersion: string;
}

/** A node's runtime state as the device reports it. */
export interface RuntimeContextState {
  /** What the node should be. */
  desiredState: "RUNNING" | "STOPPED" | "REMOVED";
  /** The node's name. */
  runtimeContextName: string;
  /** What the device reports. */
  deviceReportedStatus: string;
  /** ISO-8601. */
  deviceReportedTime: string;
}

export { DEPLOYMENT_KEY_TAG, UNHEALTHY_GRACE_SECONDS };

const SPEC: ResourceSpec = {
  type: "ApplicationInstance",
  parameters: CREATION_SETTINGS,
  options: { tags: "tags", deploymentKey: "text", pausedNodes: "names" },
  createOnly: ["applicationInstanceIdToReplace"],
  adopt: {
    input: "adoptApplicationInstanceId",
    shape: "ApplicationInstanceId",
    list: "list-application-instances",
  },
  outputs: [
    "applicationInstanceId",
    "arn",
    "status",
    "healthStatus",
    "statusDescription",
    "defaultRuntimeContextDeviceName",
    "createdTime",
    "lastUpdatedTime",
    "runtimeContextStates",
    "packages",
  ],
  derived: {
    deploymentKey: {
      from: [],
      derive: (scope) => resourceKey(scope, "ApplicationInstance"),
    },
  },
};

/**
 * An application deployed to a Panorama appliance (CreateApplicationInstance). `pulumi up` waits
 * until it is DEPLOYMENT_SUCCEEDED and RUNNING; `packages` shows the patch of each package the
 * device runs.
 */
export class ApplicationInstance extends PanoramaResource {
  /** The instance's id. */
  declare readonly applicationInstanceId: pulumi.Output<string>;
  /** The instance's ARN. */
  declare readonly arn: pulumi.Output<string>;
  /** The deployment status. */
  declare readonly status: pulumi.Output<ApplicationInstanceStatus>;
  /** RUNNING, ERROR or NOT_AVAILABLE. */
  declare readonly healthStatus: pulumi.Output<ApplicationInstanceHealthStatus>;
  /** The service's message about the status ("" when none). */
  declare readonly statusDescription: pulumi.Output<string>;
  /** The instance's name. */
  declare readonly name: pulumi.Output<string | undefined>;
  /** The instance's description. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The graph.json text deployed. */
  declare readonly manifestPayload: pulumi.Output<string>;
  /** The overrides text deployed. */
  declare readonly manifestOverridesPayload: pulumi.Output<string | undefined>;
  /** The device's id. */
  declare readonly defaultRuntimeContextDevice: pulumi.Output<string>;
  /** The device's name. */
  declare readonly defaultRuntimeContextDeviceName: pulumi.Output<string>;
  /** The role the application runs with. */
  declare readonly runtimeRoleArn: pulumi.Output<string | undefined>;
  /** The instance this one replaced on the device, as the service reports it. */
  declare readonly applicationInstanceIdToReplace: pulumi.Output<string | undefined>;
  /** ISO-8601. */
  declare readonly createdTime: pulumi.Output<string>;
  /** ISO-8601. */
  declare readonly lastUpdatedTime: pulumi.Output<string>;
  /** Each node's state as the device reports it. */
  declare readonly runtimeContextStates: pulumi.Output<RuntimeContextState[] | undefined>;
  /** The resolved package versions (ListApplicationInstanceDependencies). */
  declare readonly packages: pulumi.Output<ApplicationInstancePackage[]>;
  /** The node instances paused, as the device reports them (while `pausedNodes` is set). */
  declare readonly pausedNodes: pulumi.Output<string[] | undefined>;
  /** Your tags (the deploymentKey tag is kept out of them). */
  declare readonly tags: pulumi.Output<Record<string, string>>;
  /** The key marking this resource's instances on the device. */
  declare readonly deploymentKey: pulumi.Output<string>;
  /** The instance adopted by id, if any. */
  declare readonly adoptApplicationInstanceId: pulumi.Output<string | undefined>;
  /** The region of the device. */
  declare readonly region: pulumi.Output<string>;

  constructor(name: string, args: ApplicationInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(SPEC, name, { ...args }, opts);
  }
}

/** The ApplicationInstance lifecycle; `options` swaps its clock (tests of the unhealthy grace). */
export function applicationInstanceProvider(options: LifecycleOptions = {}) {
  return resourceProvider<DescribeApplicationInstanceResponse>(SPEC, HOOKS, options);
}

const HOOKS: ResourceHooks<DescribeApplicationInstanceResponse> = {
  noun: "application instance",
  where,
  label,
  check: checkInstance,
  start: deploy,
  adoptable: (actual) =>
    isStatusIn(GONE_STATUSES, actual.status)
      ? `is ${actual.status}; only a deployed instance can be adopted`
      : undefined,
  describe: (call, id) => describeOrUndefined(() => describeInstance(call.client, id)),
  merge: withInstance,
  acceptor(p) {
    if (p.status === "DEPLOYMENT_SUCCEEDED")
      return p.healthStatus === "RUNNING" ? "success" : "retry";
    return isStatusIn(DEPLOYING_STATUSES, p.status ?? "DEPLOYMENT_PENDING") ? "retry" : "failure";
  },
  // NOT_AVAILABLE after DEPLOYMENT_SUCCEEDED is a device still reporting: waited to the timeout.
  patienceSeconds: (p) => (unhealthy(p) ? UNHEALTHY_GRACE_SECONDS : undefined),
  state: (p) =>
    `${p.status ?? "unknown"} (health ${p.healthStatus ?? "?"})${p.statusDescription ? `: ${p.statusDescription}` : ""}`,
  failure: instanceFailure,
  complete: async (call, p) => (p.packages === undefined ? withPackages(call, p) : p),
  converge: convergePausedNodes,
  refreshed: withPausedNodes,
  gone: (p) => p.status === REMOVED_STATUS,
  // A failed or removed instance never runs again; the next `pulumi up` deploys a new one.
  mustReplace: (olds) =>
    isStatusIn(DEPLOYMENT_FAILED_STATUSES, olds.status) || isStatusIn(GONE_STATUSES, olds.status),
  apiTags: (p) => instanceTags(p.tags, p.deploymentKey),
  remove: removeInstance,
};

export const applicationInstanceImplementation = applicationInstanceProvider();
