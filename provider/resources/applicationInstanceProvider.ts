// The ApplicationInstance provider's real implementation, loaded by name from the shim in
// applicationInstance.ts. Lifecycle (reference §8.5): CreateApplicationInstance, then
// DescribeApplicationInstance until DEPLOYMENT_SUCCEEDED and RUNNING; delete is
// RemoveApplicationInstance waited to REMOVAL_SUCCEEDED (404, or 409 on a removed instance: gone).
//
// Replacement. Every setting but tags is fixed at creation, so a changed manifest means a new
// instance, and it must take the old one's place on the device (`ApplicationInstanceIdToReplace`)
// so the device never runs both, nor neither. Pulumi replaces create-before-delete, but `create`
// only sees the new inputs, not the old id. So every instance is tagged with the resource's
// `deploymentKey` (derived from project, stack and resource name), and `create` lists the
// device's live instances and replaces the one carrying that tag. The old resource's delete then
// finds its instance removed, or being removed, by the service and treats that as done. The same
// lookup makes a deployment orphaned by an interrupted `pulumi up` get replaced, not duplicated.
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
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { validate } from "../../model/panoramaModel";
import { fromApi } from "../lifecycle/apiShapes";
import { validateApplicationManifest, validateManifestOverrides } from "../manifest/applicationManifest";
import { describeError, errorName, isTransientError, panoramaClient, resolveRegion, applyStackConfig, singleAttemptClient } from "../calls/awsClients";
import { watchEngine } from "../calls/engineWatch";
import { createOnce, isAmbiguousFailure, LookupFailed, serviceClock } from "../calls/createOnce";
import {
  commonOptionFailures,
  differs,
  regionChanged,
  requestViolations,
  unknownPropertyFailures,
  violationSentence,
} from "../lifecycle/inputChecks";
import { RecordedFailure } from "../lifecycle/recordedFailure";
import { callBudgetSeconds, MAX_CALL_RETRY_SECONDS } from "../calls/retry";
import { applyTagChanges, describeTagChanges, Tags } from "../lifecycle/tags";
import { isUnknown } from "../lifecycle/unknowns";
import { pollUntil, resolveWaitOptions, WaitOptions } from "../calls/wait";

export const RESOURCE = "ApplicationInstance";

/** The tag that marks this resource's instances on the device (see the comment at the top). */
export const DEPLOYMENT_KEY_TAG = "pulumi-panorama:deploymentKey";

/** Settings fixed at creation: a change deploys a replacement instance. */
export const CREATION_SETTINGS = [
  "name",
  "description",
  "manifestPayload",
  "manifestOverridesPayload",
  "defaultRuntimeContextDevice",
  "runtimeRoleArn",
] as const;
/** Inputs that only change how this provider behaves; a change is an in-place update. */
export const BEHAVIOUR_OPTIONS = ["waitOptions"] as const;
export const INPUTS = [
  ...CREATION_SETTINGS,
  "applicationInstanceIdToReplace",
  "tags",
  "deploymentKey",
  "region",
  ...BEHAVIOUR_OPTIONS,
] as const;

export const DEPLOYING_STATUSES = ["DEPLOYMENT_PENDING", "DEPLOYMENT_REQUESTED", "DEPLOYMENT_IN_PROGRESS"];
export const DEPLOYMENT_FAILED_STATUSES = ["DEPLOYMENT_FAILED", "DEPLOYMENT_ERROR"];
export const REMOVING_STATUSES = ["REMOVAL_PENDING", "REMOVAL_REQUESTED", "REMOVAL_IN_PROGRESS"];
export const REMOVED_STATUS = "REMOVAL_SUCCEEDED";
/** Statuses of an instance that is, or is about to be, on the device: the ones worth replacing. */
const LIVE_STATUSES = [...DEPLOYING_STATUSES, "DEPLOYMENT_SUCCEEDED"];
/** ListApplicationInstances filters covering LIVE_STATUSES. */
const LIVE_STATUS_FILTERS = ["DEPLOYMENT_SUCCEEDED", "PROCESSING_DEPLOYMENT"] as const;

/** Progress lines are printed on changes and at least this often. */
const PROGRESS_EVERY_MS = 10_000;
/** The TagMap limit of the API. */
const MAX_TAGS = 50;

type Props = Record<string, any>;

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  applyStackConfig(req.config);
  watchEngine();
}

export async function check(_olds: Props, news: Props): Promise<dynamic.CheckResult> {
  return { inputs: { ...news }, failures: checkFailures(news) };
}

/**
 * Every rule of CreateApplicationInstanceRequest in the API model, the manifest and overrides
 * schemas, and our own options; each failure names the property.
 */
export function checkFailures(inputs: Props): dynamic.CheckFailure[] {
  const failures = unknownPropertyFailures(RESOURCE, inputs, INPUTS);
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
    // The payload texts are checked below, with the same model limits and the document schemas.
    if (v.path === "manifestPayload.payloadData" || v.path === "manifestOverridesPayload.payloadData") continue;
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
      fail("tags", `tags["${DEPLOYMENT_KEY_TAG}"]: is reserved for this resource's deploymentKey; remove it from tags`);
    if (Object.keys(tags).length >= MAX_TAGS)
      fail("tags", `tags: must have at most ${MAX_TAGS - 1} entries (the API allows ${MAX_TAGS}; one holds the deploymentKey)`);
  }
  const key = inputs.deploymentKey;
  if (key === undefined) fail("deploymentKey", "deploymentKey: is required (the ApplicationInstance class derives it from the project, stack and resource name)");
  else if (!isUnknown(key)) {
    for (const v of validate("TagValue", key, "deploymentKey", isUnknown)) fail("deploymentKey", violationSentence(v.path, v.rule));
    if (key === "") fail("deploymentKey", "deploymentKey: must not be empty");
  }
  failures.push(...commonOptionFailures(inputs));
  return failures;
}

/** `manifestPayload.payloadData: must not be empty` → `manifestPayload: must not be empty`; field paths are kept. */
function documentProblem(property: string, problem: string): string {
  const prefix = `${property}.payloadData: `;
  return problem.startsWith(prefix) ? `${property}: ${problem.slice(prefix.length)}` : `${property}: ${problem}`;
}

export async function diff(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  const replaces: string[] = CREATION_SETTINGS.filter((key) => differs(olds[key], news[key]));
  if (regionChanged(olds.region, news.region)) replaces.push("region");
  // A failed or removed instance never runs again; the next `pulumi up` deploys a new one.
  if ([...DEPLOYMENT_FAILED_STATUSES, ...REMOVING_STATUSES, "REMOVAL_FAILED", REMOVED_STATUS].includes(olds.status)) replaces.push("status");

  const updates: string[] = BEHAVIOUR_OPTIONS.filter((key) => differs(olds[key], news[key]));
  // The service reports "no tags" as {}.
  if (differs(olds.tags ?? {}, news.tags ?? {})) updates.push("tags");
  if (differs(olds.deploymentKey, news.deploymentKey)) updates.push("deploymentKey");
  // New provider code must reach state, or refresh and destroy keep running the old code.
  if (olds.__provider !== news.__provider) updates.push("__provider");
  // A deployment left in progress (timeout, or refreshed while deploying) is waited on by update.
  if (DEPLOYING_STATUSES.includes(olds.status) && resolveWaitOptions(news.waitOptions).enabled) updates.push("status");

  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
}

export async function create(inputs: Props): Promise<dynamic.CreateResult> {
  const region = resolveRegion(inputs.region);
  const client = panoramaClient(region);
  const toReplace = await instanceToReplace(client, inputs);
  const device: string = inputs.defaultRuntimeContextDevice;
  const budgetSeconds = callBudgetSeconds(resolveWaitOptions(inputs.waitOptions).timeoutSeconds);
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
              ManifestOverridesPayload: inputs.manifestOverridesPayload === undefined ? undefined : { PayloadData: inputs.manifestOverridesPayload },
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
        console.log(`${label(inputs)}: CreateApplicationInstance on device ${device} failed (${describeError(e)}) and deployed nothing; sending it again`),
    });
    id = created.value;
    if (created.adopted)
      console.log(`${label(inputs)}: the answer to CreateApplicationInstance was lost; found ${id} on device ${device} by its deploymentKey tag`);
  } catch (e) {
    throw new Error(createFailure(inputs, e, budgetSeconds));
  }
  console.log(`${label(inputs)}: deploying ${id} to device ${inputs.defaultRuntimeContextDevice}${toReplace ? `, replacing ${toReplace}` : ""}`);
  const outs = baseOutputs(inputs, region);
  Object.assign(outs, { applicationInstanceId: id, status: "DEPLOYMENT_PENDING" });
  if (toReplace) outs.applicationInstanceIdToReplace = toReplace;
  return { id, outs: await finish(client, outs, inputs.waitOptions) };
}

/** Why a deployment could not be started, and whether an instance may exist after all. */
function createFailure(inputs: Props, e: unknown, budgetSeconds: number): string {
  const what = `${label(inputs)}: CreateApplicationInstance on device ${inputs.defaultRuntimeContextDevice}`;
  // An instance deployed by an unanswered call carries the deploymentKey tag, so the next
  // `pulumi up` replaces it (instanceToReplace) rather than deploying a second one.
  const late = "If one was deployed after all, the next `pulumi up` replaces it instead of deploying a second one.";
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

export async function update(id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  let outs: Props = { ...olds };
  for (const key of [...BEHAVIOUR_OPTIONS, "__provider"]) outs[key] = news[key];
  for (const key of BEHAVIOUR_OPTIONS) if (outs[key] === undefined) delete outs[key];
  const client = panoramaClient(olds.region ?? resolveRegion(news.region));

  const oldTags = instanceTags(olds.tags, olds.deploymentKey);
  const newTags = instanceTags(news.tags, news.deploymentKey);
  if (differs(oldTags, newTags)) {
    try {
      // A create that failed before reading the instance back has no arn in state yet.
      if (!outs.arn) outs = withInstance(outs, await describeInstance(client, id));
      const changes = await applyTagChanges(client, outs.arn, oldTags, newTags);
      console.log(`${label(outs)}: tags of ${id} updated (${describeTagChanges(changes)})`);
    } catch (e) {
      throw new Error(`${label(outs)}: could not update the tags of ${id}: ${describeError(e)}. Nothing else changed; run \`pulumi up\` again.`);
    }
    outs.tags = { ...(news.tags ?? {}) };
    outs.deploymentKey = news.deploymentKey;
  }
  if (!settled(outs) && resolveWaitOptions(news.waitOptions).enabled)
    console.log(`${label(outs)}: resuming the wait on ${id} (last seen ${olds.status ?? "unknown"}, health ${olds.healthStatus ?? "unknown"})`);
  return { outs: await finish(client, outs, news.waitOptions) };
}

export async function read(id: string, props: Props): Promise<dynamic.ReadResult> {
  const region = props.region ?? resolveRegion(undefined);
  const client = panoramaClient(region);
  let instance: DescribeApplicationInstanceResponse | undefined;
  try {
    instance = await describeInstance(client, id);
  } catch (e) {
    if (errorName(e) !== "ResourceNotFoundException") throw new Error(`Could not refresh application instance ${id} in ${region}: ${describeError(e)}`);
  }
  if (!instance || instance.Status === REMOVED_STATUS) {
    console.log(`${label(props)}: ${id} is no longer deployed (${instance ? REMOVED_STATUS : "not found"}); removing it from the stack`);
    return {};
  }
  let outs = withInstance(props, instance);
  if (outs.status === "DEPLOYMENT_SUCCEEDED" && outs.packages === undefined) outs = await withPackages(client, outs);
  return { id, props: outs };
}

export async function removeInstance(id: string, props: Props): Promise<void> {
  const client = panoramaClient(props.region ?? resolveRegion(undefined));
  const options = resolveWaitOptions(props.waitOptions);
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
    if (!accepted && !REMOVING_STATUSES.includes(status) && !DEPLOYING_STATUSES.includes(status) && (await remove()) === "gone") return "GONE";
    return status;
  };

  let done = false;
  try {
    const first = await remove();
    if (first === "gone") return void console.log(`${who}: ${id} no longer exists; nothing to remove`);
    // 409: already removed (it was replaced by a newer deployment), being removed, or still deploying.
    if (first === "refused" && (await check()) === "GONE")
      return void console.log(`${who}: ${id} was already removed from the device (replaced by a newer deployment, or removed outside the stack)`);
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
    throw new Error(`${who}: could not remove ${id}: ${describeError(e)}. It stays in the stack; fix the cause and run \`pulumi destroy\` again.`);
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

// ---- replacement ---------------------------------------------------------------------------

/**
 * The instance the new deployment takes over from: the explicit `applicationInstanceIdToReplace`
 * while it is still deployed, else this resource's newest live instance on the device (by the
 * deploymentKey tag), else none.
 */
export async function instanceToReplace(client: PanoramaClient, inputs: Props): Promise<string | undefined> {
  const device: string = inputs.defaultRuntimeContextDevice;
  const explicit: string | undefined = inputs.applicationInstanceIdToReplace;
  try {
    if (explicit) {
      const target = await describeInstance(client, explicit).catch((e) => {
        if (errorName(e) === "ResourceNotFoundException") return undefined;
        throw e;
      });
      if (target && LIVE_STATUSES.includes(target.Status ?? "")) return explicit;
      console.log(`${label(inputs)}: applicationInstanceIdToReplace ${explicit} is ${target?.Status ?? "gone"}; not replacing it`);
    }
    const mine = (await liveInstances(client, device)).filter((i) => i.Tags?.[DEPLOYMENT_KEY_TAG] === inputs.deploymentKey);
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
      if (i.ApplicationInstanceId && LIVE_STATUSES.includes(i.Status ?? "")) found.set(i.ApplicationInstanceId, i);
  return [...found.values()];
}

/**
 * The instance an unanswered CreateApplicationInstance deployed: this resource's (by the
 * deploymentKey tag), created at or after `startedAt`, not being removed, and not the one it
 * replaces. Failed deployments count: they are this call's too.
 */
async function createdInstance(client: PanoramaClient, inputs: Props, startedAt: number, toReplace: string | undefined): Promise<string | undefined> {
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

async function listInstances(client: PanoramaClient, device: string, statusFilter?: (typeof LIVE_STATUS_FILTERS)[number]): Promise<ListedInstance[]> {
  const all: ListedInstance[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListApplicationInstancesCommand({ DeviceId: device, StatusFilter: statusFilter, NextToken: token }));
    all.push(...(page.ApplicationInstances ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

// ---- waiting -------------------------------------------------------------------------------

/** Nothing left to wait for: RUNNING after DEPLOYMENT_SUCCEEDED, or an end that will not change by itself. */
function settled(p: { status?: string; healthStatus?: string }): boolean {
  if (p.status === "DEPLOYMENT_SUCCEEDED") return p.healthStatus === "RUNNING";
  return !DEPLOYING_STATUSES.includes(p.status ?? "DEPLOYMENT_PENDING");
}

/** Waits (unless waiting is off) and returns the final outputs, or throws a RecordedFailure. */
async function finish(client: PanoramaClient, outs: Props, waitInput: WaitOptions | undefined): Promise<Props> {
  const options = resolveWaitOptions(waitInput);
  const id: string = outs.applicationInstanceId;
  let current = outs;
  if (options.enabled && !settled(current)) {
    let lastLine = 0;
    let lastState = "";
    let result;
    try {
      result = await pollUntil({
        options,
        check: () => describeInstance(client, id),
        isDone: (i) => settled({ status: i.Status, healthStatus: i.HealthStatus }),
        isTransient: isTransientError,
        onCheck: (i, elapsed, next) => {
          const state = `${i.Status} (health ${i.HealthStatus ?? "?"})${i.StatusDescription ? `: ${i.StatusDescription}` : ""}`;
          if (state !== lastState || elapsed - lastLine >= PROGRESS_EVERY_MS) {
            lastLine = elapsed;
            lastState = state;
            const more = next === undefined ? "" : `; next check in ${(next / 1000).toFixed(1)}s`;
            console.log(`${label(current)}: ${id} ${state} after ${(elapsed / 1000).toFixed(1)}s${more}`);
          }
        },
        onTransientError: (e, elapsed) =>
          console.log(`${label(current)}: status check of ${id} failed after ${(elapsed / 1000).toFixed(1)}s (${describeError(e)}); will retry`),
      });
    } catch (e) {
      throw new RecordedFailure(
        id,
        current,
        `Could not check application instance ${id}: ${describeError(e)}. It is recorded in the stack as ${current.status}; ` +
          `fix the cause and run \`pulumi up\` again to resume waiting.`,
      );
    }
    if (result.value) current = withInstance(current, result.value);
    if (!result.done) {
      const why = result.lastError ? ` (last check: ${describeError(result.lastError)})` : "";
      throw new RecordedFailure(
        id,
        current,
        `Application instance ${id} ${where(current)} is still ${current.status} with health ${current.healthStatus ?? "unknown"} ` +
          `after ${options.timeoutSeconds}s (waitOptions.timeoutSeconds)${why}${current.statusDescription ? `: ${current.statusDescription}` : ""}. ` +
          `It is recorded in the stack; run \`pulumi up\` again to resume waiting on the same instance, or raise waitOptions.timeoutSeconds.`,
      );
    }
  } else if (!current.arn) {
    current = await describeOrRecord(client, current);
  }

  if (DEPLOYMENT_FAILED_STATUSES.includes(current.status)) {
    throw new RecordedFailure(
      id,
      current,
      `Application instance ${id} ${where(current)} ended ${current.status}: ${current.statusDescription || "no status description"}. ` +
        `Fix the cause (register or import the package versions the manifest pins, check the manifest and overrides) and run ` +
        `\`pulumi up\` again; the failed instance stays recorded in the stack and is replaced by a new deployment.`,
    );
  }
  if (current.status === REMOVED_STATUS || REMOVING_STATUSES.includes(current.status) || current.status === "REMOVAL_FAILED") {
    throw new RecordedFailure(
      id,
      current,
      `Application instance ${id} ${where(current)} is ${current.status}: it was removed or replaced outside this deployment. ` +
        `Run \`pulumi up\` again to deploy a new instance.`,
    );
  }
  if (current.status === "DEPLOYMENT_SUCCEEDED") {
    if (current.healthStatus === "RUNNING" && !settled(outs))
      console.log(`${label(current)}: ${id} DEPLOYMENT_SUCCEEDED and RUNNING ${where(current)}`);
    if (current.packages === undefined) current = await withPackages(client, current);
  }
  return current;
}

async function describeOrRecord(client: PanoramaClient, outs: Props): Promise<Props> {
  try {
    return withInstance(outs, await describeInstance(client, outs.applicationInstanceId));
  } catch (e) {
    throw new RecordedFailure(
      outs.applicationInstanceId,
      outs,
      `Application instance ${outs.applicationInstanceId} was created but could not be read: ${describeError(e)}. ` +
        `It is recorded in the stack; fix the cause and run \`pulumi up\` again.`,
    );
  }
}

function describeInstance(client: PanoramaClient, id: string): Promise<DescribeApplicationInstanceResponse> {
  return client.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));
}

/** Adds the resolved package versions (ListApplicationInstanceDependencies); best effort. */
async function withPackages(client: PanoramaClient, outs: Props): Promise<Props> {
  const packages: Props[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListApplicationInstanceDependenciesCommand({ ApplicationInstanceId: outs.applicationInstanceId, NextToken: token }));
      const converted = fromApi("ListApplicationInstanceDependenciesResponse", page) as Props;
      for (const p of converted.packageObjects ?? []) packages.push({ name: p.name, packageVersion: p.packageVersion, patchVersion: p.patchVersion });
      token = page.NextToken;
    } while (token);
  } catch (e) {
    console.log(`${label(outs)}: could not list the package versions of ${outs.applicationInstanceId} (${describeError(e)}); \`pulumi refresh\` fills them in later`);
    return outs;
  }
  return { ...outs, packages };
}

// ---- outputs -------------------------------------------------------------------------------

/** The Tags sent to the API: the user's plus the deploymentKey marker. */
function instanceTags(tags: Tags | undefined, deploymentKey: string | undefined): Tags {
  return { ...(tags ?? {}), ...(deploymentKey ? { [DEPLOYMENT_KEY_TAG]: deploymentKey } : {}) };
}

function baseOutputs(inputs: Props, region: string): Props {
  const outs: Props = {};
  for (const key of INPUTS) if (inputs[key] !== undefined && key !== "applicationInstanceIdToReplace") outs[key] = inputs[key];
  outs.__provider = inputs.__provider;
  outs.region = region;
  outs.tags = { ...(inputs.tags ?? {}) };
  return outs;
}

/**
 * Merges a DescribeApplicationInstance answer into outputs. Creation settings keep the values the
 * program gave (diff compares them with the program), and the deploymentKey tag stays out of `tags`.
 */
export function withInstance(outs: Props, instance: DescribeApplicationInstanceResponse): Props {
  const described = fromApi("DescribeApplicationInstanceResponse", instance) as Props;
  for (const key of CREATION_SETTINGS) delete described[key];
  const merged: Props = { ...outs, ...described };
  const tags: Tags = { ...(described.tags ?? outs.tags ?? {}) };
  delete tags[DEPLOYMENT_KEY_TAG];
  merged.tags = tags;
  merged.statusDescription = described.statusDescription ?? "";
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return merged;
}

function label(p: Props): string {
  return `${RESOURCE} ${p.name ?? p.applicationInstanceId ?? "(new)"}`;
}

function where(p: Props): string {
  return `on device ${p.defaultRuntimeContextDeviceName ?? p.defaultRuntimeContextDevice ?? "?"}`;
}
