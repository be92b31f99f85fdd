// ApplicationInstance: CreateApplicationInstance, then DescribeApplicationInstance until
// DEPLOYMENT_SUCCEEDED and RUNNING; delete is RemoveApplicationInstance waited to
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
import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  ApplicationInstance as ListedInstance,
  CreateApplicationInstanceCommand,
  DescribeApplicationInstanceCommand,
  DescribeApplicationInstanceResponse,
  ListApplicationInstanceDependenciesCommand,
  ListApplicationInstancesCommand,
  PanoramaClient,
  RemoveApplicationInstanceCommand,
} from "@aws-sdk/client-panorama";
import { validate } from "../../model/panoramaModel";
import type {
  ApplicationInstanceHealthStatus,
  ApplicationInstanceStatus,
} from "../../model/panoramaTypes";
import { fromApi } from "../lifecycle/apiShapes";
import {
  validateApplicationManifest,
  validateManifestOverrides,
} from "../manifest/applicationManifest";
import {
  describeError,
  errorName,
  isTransientError,
  singleAttemptClient,
} from "../calls/awsClients";
import { createOnce, isAmbiguousFailure, LookupFailed, serviceClock } from "../calls/createOnce";
import { deterministicClientToken } from "../lifecycle/clientToken";
import { differs, requestViolations, violationSentence } from "../lifecycle/inputChecks";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { RecordedFailure } from "../lifecycle/recordedFailure";
import { PROGRESS_EVERY_MS, resourceProvider } from "../lifecycle/resourceProvider";
import { Call, Props, ResourceSpec, Started } from "../lifecycle/resourceSpec";
import { MAX_CALL_RETRY_SECONDS, retryTransient } from "../calls/retry";
import { ownTags, Tags } from "../lifecycle/tags";
import { isUnknown } from "../lifecycle/unknowns";
import { pollUntil, WaitOptions } from "../calls/wait";

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

/** The tag that marks this resource's instances on the device (see the comment at the top). */
export const DEPLOYMENT_KEY_TAG = "pulumi-panorama:deploymentKey";

const DEPLOYING_STATUSES: readonly string[] = [
  "DEPLOYMENT_PENDING",
  "DEPLOYMENT_REQUESTED",
  "DEPLOYMENT_IN_PROGRESS",
] satisfies ApplicationInstanceStatus[];
const DEPLOYMENT_FAILED_STATUSES: readonly string[] = [
  "DEPLOYMENT_FAILED",
  "DEPLOYMENT_ERROR",
] satisfies ApplicationInstanceStatus[];
const REMOVING_STATUSES: readonly string[] = [
  "REMOVAL_PENDING",
  "REMOVAL_REQUESTED",
  "REMOVAL_IN_PROGRESS",
] satisfies ApplicationInstanceStatus[];
const REMOVED_STATUS: ApplicationInstanceStatus = "REMOVAL_SUCCEEDED";
/** Statuses of an instance that is, or is about to be, on the device: the ones worth replacing. */
const LIVE_STATUSES = [...DEPLOYING_STATUSES, "DEPLOYMENT_SUCCEEDED"];
/** Statuses of an instance that left the device, or is leaving it. */
const GONE_STATUSES = [...REMOVING_STATUSES, REMOVED_STATUS, "REMOVAL_FAILED"];
/** ListApplicationInstances filters covering LIVE_STATUSES. */
const LIVE_STATUS_FILTERS = ["DEPLOYMENT_SUCCEEDED", "PROCESSING_DEPLOYMENT"] as const;
/** The TagMap limit of the API. */
const MAX_TAGS = 50;

const SPEC: ResourceSpec = {
  type: "ApplicationInstance",
  parameters: [
    "name",
    "description",
    "manifestPayload",
    "manifestOverridesPayload",
    "defaultRuntimeContextDevice",
    "runtimeRoleArn",
  ],
  options: { tags: "tags", deploymentKey: "text" },
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
      derive: (scope) => deterministicClientToken(scope, "ApplicationInstance"),
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

export const applicationInstanceImplementation =
  resourceProvider<DescribeApplicationInstanceResponse>(SPEC, {
    noun: "application instance",
    where,
    label,
    check: checkInstance,
    start: deploy,
    adoptable: (actual) =>
      GONE_STATUSES.includes(actual.status)
        ? `is ${actual.status}; only a deployed instance can be adopted`
        : undefined,
    describe: async (call, id) =>
      describeInstance(call.client, id).catch((e) =>
        errorName(e) === "ResourceNotFoundException" ? undefined : Promise.reject(e),
      ),
    merge: withInstance,
    isDone(p) {
      if (p.status === "DEPLOYMENT_SUCCEEDED")
        return p.healthStatus === "RUNNING" ? "success" : "retry";
      return DEPLOYING_STATUSES.includes(p.status ?? "DEPLOYMENT_PENDING") ? "retry" : "failure";
    },
    state: (p) =>
      `${p.status ?? "unknown"} (health ${p.healthStatus ?? "?"})${p.statusDescription ? `: ${p.statusDescription}` : ""}`,
    failure: (id, p) =>
      DEPLOYMENT_FAILED_STATUSES.includes(p.status)
        ? `Application instance ${id} ${where(p)} ended ${p.status}: ${p.statusDescription || "no status description"}. ` +
          `Fix the cause (register or import the package versions the manifest pins, check the manifest and overrides) and run ` +
          `\`pulumi up\` again; the failed instance stays recorded in the stack and is replaced by a new deployment.`
        : `Application instance ${id} ${where(p)} is ${p.status}: it was removed or replaced outside this deployment. ` +
          `Run \`pulumi up\` again to deploy a new instance.`,
    complete: async (call, p) => (p.packages === undefined ? withPackages(call.client, p) : p),
    gone: (p) => p.status === REMOVED_STATUS,
    // A failed or removed instance never runs again; the next `pulumi up` deploys a new one.
    mustReplace: (olds) => [...DEPLOYMENT_FAILED_STATUSES, ...GONE_STATUSES].includes(olds.status),
    apiTags: (p) => instanceTags(p.tags, p.deploymentKey),
    remove: removeInstance,
  });

function checkInstance(inputs: Props, adopting: boolean): dynamic.CheckFailure[] {
  const failures: dynamic.CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const manifest = inputs.manifestPayload;
  const overrides = inputs.manifestOverridesPayload;

  for (const [key, builder] of [
    ["manifestPayload", "applicationManifest() or applicationManifestOutput()"],
    ["manifestOverridesPayload", "manifestOverrides() or manifestOverridesOutput()"],
  ]) {
    const v = inputs[key];
    if (v !== undefined && !isUnknown(v) && typeof v !== "string")
      fail(key, `${key}: must be the document's JSON text (a string); build it with ${builder}`);
  }

  const tags: Props | undefined = inputs.tags;
  for (const v of requestViolations("CreateApplicationInstanceRequest", {
    name: inputs.name,
    description: inputs.description,
    manifestPayload: manifest === undefined ? undefined : { payloadData: manifest },
    manifestOverridesPayload: overrides === undefined ? undefined : { payloadData: overrides },
    applicationInstanceIdToReplace: inputs.applicationInstanceIdToReplace,
    runtimeRoleArn: inputs.runtimeRoleArn,
    defaultRuntimeContextDevice: inputs.defaultRuntimeContextDevice,
    tags,
  })) {
    // An adopted instance's settings come from the instance; only given ones are checked.
    if (adopting && v.rule === "Member must not be null") continue;
    // The payload texts are checked below, with the same model limits and the document schemas.
    if (
      v.path === "manifestPayload.payloadData" ||
      v.path === "manifestOverridesPayload.payloadData"
    )
      continue;
    // Counted below, including the deploymentKey tag.
    if (v.path === "tags" && /entries less than or equal/.test(v.rule)) continue;
    fail(v.property, violationSentence(v.path, v.rule));
  }

  let manifestValid = false;
  if (typeof manifest === "string" && !isUnknown(manifest)) {
    const problems = validateApplicationManifest(manifest);
    for (const p of problems) fail("manifestPayload", documentProblem("manifestPayload", p));
    manifestValid = problems.length === 0;
  }
  if (typeof overrides === "string" && !isUnknown(overrides)) {
    for (const p of validateManifestOverrides(overrides, manifestValid ? { manifest } : {}))
      fail("manifestOverridesPayload", documentProblem("manifestOverridesPayload", p));
  }

  if (tags && typeof tags === "object" && !isUnknown(tags)) {
    if (DEPLOYMENT_KEY_TAG in tags)
      fail(
        "tags",
        `tags["${DEPLOYMENT_KEY_TAG}"]: is reserved for this resource's deploymentKey; remove it from tags`,
      );
    if (Object.keys(tags).length >= MAX_TAGS)
      fail(
        "tags",
        `tags: must have at most ${MAX_TAGS - 1} entries (the API allows ${MAX_TAGS}; one holds the deploymentKey)`,
      );
  }
  const key = inputs.deploymentKey;
  if (key === undefined)
    fail(
      "deploymentKey",
      "deploymentKey: is required (the ApplicationInstance class derives it from the project, stack and resource name)",
    );
  else if (!isUnknown(key)) {
    for (const v of validate("TagValue", key, "deploymentKey", isUnknown))
      fail("deploymentKey", violationSentence(v.path, v.rule));
    if (key === "") fail("deploymentKey", "deploymentKey: must not be empty");
  }
  return failures;
}

/** `manifestPayload.payloadData: must not be empty` → `manifestPayload: must not be empty`; field paths are kept. */
function documentProblem(property: string, problem: string): string {
  const prefix = `${property}.payloadData: `;
  return problem.startsWith(prefix)
    ? `${property}: ${problem.slice(prefix.length)}`
    : `${property}: ${problem}`;
}

async function deploy(call: Call, inputs: Props, base: Props): Promise<Started> {
  const { client, region, budgetSeconds } = call;
  const toReplace = await instanceToReplace(client, inputs);
  const device: string = inputs.defaultRuntimeContextDevice;
  let id: string;
  try {
    // CreateApplicationInstance has no ClientToken: a repeat after a lost answer would deploy a
    // second instance, so the lookup by deploymentKey decides whether to repeat (createOnce.ts).
    const created = await createOnce({
      create: async () =>
        (
          await singleAttemptClient(region).send(
            new CreateApplicationInstanceCommand({
              Name: inputs.name,
              Description: inputs.description,
              ManifestPayload: { PayloadData: inputs.manifestPayload },
              ManifestOverridesPayload:
                inputs.manifestOverridesPayload === undefined
                  ? undefined
                  : { PayloadData: inputs.manifestOverridesPayload },
              ApplicationInstanceIdToReplace: toReplace,
              RuntimeRoleArn: inputs.runtimeRoleArn,
              DefaultRuntimeContextDevice: device,
              Tags: instanceTags(inputs.tags, inputs.deploymentKey),
            }),
          )
        ).ApplicationInstanceId!,
      findCreated: (startedAt) => createdInstance(client, inputs, startedAt, toReplace),
      budgetSeconds,
      serviceNow: serviceClock(client),
      onRetry: (e) =>
        console.log(
          `${label(inputs)}: CreateApplicationInstance on device ${device} failed (${describeError(e)}) and deployed nothing; sending it again`,
        ),
    });
    id = created.value;
    if (created.adopted)
      console.log(
        `${label(inputs)}: the answer to CreateApplicationInstance was lost; found ${id} on device ${device} by its deploymentKey tag`,
      );
  } catch (e) {
    throw new Error(createFailure(inputs, e, budgetSeconds));
  }
  console.log(
    `${label(inputs)}: deploying ${id} to device ${device}${toReplace ? `, replacing ${toReplace}` : ""}`,
  );
  let outs: Props = {
    ...base,
    tags: { ...(inputs.tags ?? {}) },
    applicationInstanceId: id,
    status: "DEPLOYMENT_PENDING",
  };
  if (toReplace) outs.applicationInstanceIdToReplace = toReplace;
  if (!call.wait.enabled) {
    try {
      outs = withInstance(outs, await describeInstance(client, id));
    } catch (e) {
      throw new RecordedFailure(
        id,
        outs,
        `Application instance ${id} was created but could not be read: ${describeError(e)}. It is recorded in the stack; fix the cause and run \`pulumi up\` again.`,
      );
    }
  }
  return { id, outs };
}

/** Why a deployment could not be started, and whether an instance may exist after all. */
function createFailure(inputs: Props, e: unknown, budgetSeconds: number): string {
  const what = `${label(inputs)}: CreateApplicationInstance on device ${inputs.defaultRuntimeContextDevice}`;
  // An instance deployed by an unanswered call carries the deploymentKey tag, so the next
  // `pulumi up` replaces it (instanceToReplace) rather than deploying a second one.
  const late =
    "If one was deployed after all, the next `pulumi up` replaces it instead of deploying a second one.";
  if (e instanceof LookupFailed)
    return (
      `${what} got no answer (${describeError(e.createError)}), and looking for the instance it may have deployed failed: ` +
      `${describeError(e.lookupError)}. ${late} Fix the cause and run \`pulumi up\` again.`
    );
  if (isAmbiguousFailure(e))
    return (
      `${what} failed for ${budgetSeconds}s (waitOptions.timeoutSeconds, at most ${MAX_CALL_RETRY_SECONDS}s): ${describeError(e)}. ` +
      `No instance of this resource appeared on the device. ${late} Fix the cause and run \`pulumi up\` again.`
    );
  const hint =
    errorName(e) === "ServiceQuotaExceededException"
      ? " A device runs at most 10 applications and accepts 200 deployments a day; remove unused applications or wait."
      : "";
  return `${what} failed: ${describeError(e)}.${hint} Nothing was deployed; fix the cause and run \`pulumi up\` again.`;
}

async function removeInstance(call: Call, id: string, props: Props): Promise<void> {
  const { client, wait: options } = call;
  const who = label(props);
  /** Whether the service accepted a RemoveApplicationInstance from us. */
  let accepted = false;
  let lastStatus: string | undefined;

  /** One RemoveApplicationInstance: "sent", "gone" (404) or "refused" (409). */
  const remove = async (): Promise<"sent" | "gone" | "refused"> => {
    try {
      await client.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id }));
      accepted = true;
      return "sent";
    } catch (e) {
      if (errorName(e) === "ResourceNotFoundException") return "gone";
      if (errorName(e) === "ConflictException") return "refused";
      throw e;
    }
  };
  /** One status check; re-sends the removal once a deployment that refused it has ended. */
  const check = async (): Promise<string> => {
    let instance: DescribeApplicationInstanceResponse;
    try {
      instance = await describeInstance(client, id);
    } catch (e) {
      if (errorName(e) === "ResourceNotFoundException") return "GONE";
      throw e;
    }
    const status = instance.Status ?? "UNKNOWN";
    lastStatus = status;
    if (status === REMOVED_STATUS) return "GONE";
    if (status === "REMOVAL_FAILED" && accepted) throw new RemovalFailed(instance);
    if (
      !accepted &&
      !REMOVING_STATUSES.includes(status) &&
      !DEPLOYING_STATUSES.includes(status) &&
      (await remove()) === "gone"
    )
      return "GONE";
    return status;
  };

  let done = false;
  try {
    const first = await remove();
    if (first === "gone")
      return void console.log(`${who}: ${id} no longer exists; nothing to remove`);
    // 409: already removed (it was replaced by a newer deployment), being removed, or still deploying.
    if (first === "refused" && (await check()) === "GONE")
      return void console.log(
        `${who}: ${id} was already removed from the device (replaced by a newer deployment, or removed outside the stack)`,
      );
    console.log(`${who}: removing ${id} from device ${props.defaultRuntimeContextDevice ?? "?"}`);
    let lastLine = 0;
    const result = await pollUntil({
      options,
      check,
      isDone: (s) => s === "GONE",
      isTransient: isTransientError,
      onCheck: (s, elapsed) => {
        if (elapsed - lastLine >= PROGRESS_EVERY_MS) {
          lastLine = elapsed;
          console.log(`${who}: ${id} ${s} after ${(elapsed / 1000).toFixed(1)}s`);
        }
      },
    });
    done = result.done;
  } catch (e) {
    if (e instanceof RemovalFailed)
      throw new Error(
        `${who}: removing ${id} from device ${props.defaultRuntimeContextDevice ?? "?"} ended REMOVAL_FAILED: ` +
          `${e.instance.StatusDescription || "no status description"}. It stays in the stack; make sure the device is online and ` +
          `run \`pulumi destroy\` again.`,
      );
    throw new Error(
      `${who}: could not remove ${id}: ${describeError(e)}. It stays in the stack; fix the cause and run \`pulumi destroy\` again.`,
    );
  }
  if (!done)
    throw new Error(
      `${who}: ${id} is still ${lastStatus ?? "not removed"} after ${options.timeoutSeconds}s (waitOptions.timeoutSeconds). ` +
        `It stays in the stack; run \`pulumi destroy\` again to keep waiting.`,
    );
  console.log(`${who}: ${id} removed (${REMOVED_STATUS})`);
}

class RemovalFailed extends Error {
  constructor(readonly instance: DescribeApplicationInstanceResponse) {
    super("REMOVAL_FAILED");
  }
}

/**
 * The instance the new deployment takes over from: the explicit `applicationInstanceIdToReplace`
 * while it is still deployed, else this resource's newest live instance on the device (by the
 * deploymentKey tag), else none.
 */
export async function instanceToReplace(
  client: PanoramaClient,
  inputs: Props,
): Promise<string | undefined> {
  const device: string = inputs.defaultRuntimeContextDevice;
  const explicit: string | undefined = inputs.applicationInstanceIdToReplace;
  try {
    if (explicit) {
      const target = await describeInstance(client, explicit).catch((e) => {
        if (errorName(e) === "ResourceNotFoundException") return undefined;
        throw e;
      });
      if (target && LIVE_STATUSES.includes(target.Status ?? "")) return explicit;
      console.log(
        `${label(inputs)}: applicationInstanceIdToReplace ${explicit} is ${target?.Status ?? "gone"}; not replacing it`,
      );
    }
    const mine = (await liveInstances(client, device)).filter(
      (i) => i.Tags?.[DEPLOYMENT_KEY_TAG] === inputs.deploymentKey,
    );
    if (mine.length === 0) return undefined;
    // What runs on the device first, then the newest.
    mine.sort(
      (a, b) =>
        Number(b.Status === "DEPLOYMENT_SUCCEEDED") - Number(a.Status === "DEPLOYMENT_SUCCEEDED") ||
        (b.CreatedTime?.getTime() ?? 0) - (a.CreatedTime?.getTime() ?? 0),
    );
    const [chosen, ...others] = mine;
    if (others.length)
      console.log(
        `${label(inputs)}: device ${device} also runs ${others.map((i) => `${i.ApplicationInstanceId} (${i.Status})`).join(", ")} ` +
          `with this resource's deploymentKey; only ${chosen.ApplicationInstanceId} is replaced. Remove the others if the stack does not manage them.`,
      );
    return chosen.ApplicationInstanceId;
  } catch (e) {
    throw new Error(
      `${label(inputs)}: could not look up the instance to replace on device ${device}: ${describeError(e)}. ` +
        `Nothing was deployed; fix the cause and run \`pulumi up\` again.`,
    );
  }
}

async function liveInstances(client: PanoramaClient, device: string): Promise<ListedInstance[]> {
  const found = new Map<string, ListedInstance>();
  for (const filter of LIVE_STATUS_FILTERS)
    for (const i of await listInstances(client, device, filter))
      if (i.ApplicationInstanceId && LIVE_STATUSES.includes(i.Status ?? ""))
        found.set(i.ApplicationInstanceId, i);
  return [...found.values()];
}

/**
 * The instance an unanswered CreateApplicationInstance deployed: this resource's (by the
 * deploymentKey tag), created at or after `startedAt`, not being removed, and not the one it
 * replaces. Failed deployments count: they are this call's too.
 */
async function createdInstance(
  client: PanoramaClient,
  inputs: Props,
  startedAt: number,
  toReplace: string | undefined,
): Promise<string | undefined> {
  const gone = [...REMOVING_STATUSES, REMOVED_STATUS, "REMOVAL_FAILED"];
  const made = (await listInstances(client, inputs.defaultRuntimeContextDevice)).filter(
    (i) =>
      i.Tags?.[DEPLOYMENT_KEY_TAG] === inputs.deploymentKey &&
      i.ApplicationInstanceId !== toReplace &&
      !gone.includes(i.Status ?? "") &&
      (i.CreatedTime?.getTime() ?? 0) >= startedAt,
  );
  made.sort((a, b) => (b.CreatedTime?.getTime() ?? 0) - (a.CreatedTime?.getTime() ?? 0));
  return made[0]?.ApplicationInstanceId;
}

async function listInstances(
  client: PanoramaClient,
  device: string,
  statusFilter?: (typeof LIVE_STATUS_FILTERS)[number],
): Promise<ListedInstance[]> {
  const all: ListedInstance[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListApplicationInstancesCommand({
        DeviceId: device,
        StatusFilter: statusFilter,
        NextToken: token,
      }),
    );
    all.push(...(page.ApplicationInstances ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

/** Adds the resolved package versions (ListApplicationInstanceDependencies); best effort. */
async function withPackages(client: PanoramaClient, outs: Props): Promise<Props> {
  const packages: Props[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListApplicationInstanceDependenciesCommand({
          ApplicationInstanceId: outs.applicationInstanceId,
          NextToken: token,
        }),
      );
      const converted = fromApi("ListApplicationInstanceDependenciesResponse", page) as Props;
      for (const p of converted.packageObjects ?? [])
        packages.push({
          name: p.name,
          packageVersion: p.packageVersion,
          patchVersion: p.patchVersion,
        });
      token = page.NextToken;
    } while (token);
  } catch (e) {
    console.log(
      `${label(outs)}: could not list the package versions of ${outs.applicationInstanceId} (${describeError(e)}); \`pulumi refresh\` fills them in later`,
    );
    return outs;
  }
  return { ...outs, packages };
}

/** The Tags sent to the API: the user's plus the deploymentKey marker. */
function instanceTags(tags: Tags | undefined, deploymentKey: string | undefined): Tags {
  return { ...(tags ?? {}), ...(deploymentKey ? { [DEPLOYMENT_KEY_TAG]: deploymentKey } : {}) };
}

function describeInstance(
  client: PanoramaClient,
  id: string,
): Promise<DescribeApplicationInstanceResponse> {
  return client.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));
}

/**
 * Merges a DescribeApplicationInstance answer into outputs. Creation settings keep the values the
 * program gave (diff compares them with the program); of the tags only the program's keys are kept.
 */
function withInstance(outs: Props, instance: DescribeApplicationInstanceResponse): Props {
  const described = fromApi("DescribeApplicationInstanceResponse", instance) as Props;
  for (const key of SPEC.parameters) if (outs[key] !== undefined) delete described[key];
  const merged: Props = { ...outs, ...described };
  merged.tags = ownTags(instance.Tags, outs.tags);
  merged.statusDescription = described.statusDescription ?? "";
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return merged;
}

function label(p: Props): string {
  return `ApplicationInstance ${p.name ?? p.applicationInstanceId ?? p.adoptApplicationInstanceId ?? "(new)"}`;
}

function where(p: Props): string {
  return `on device ${p.defaultRuntimeContextDeviceName ?? p.defaultRuntimeContextDevice ?? "?"}`;
}
