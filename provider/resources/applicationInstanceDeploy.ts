// Deploying an application instance: the instance it replaces on the device (by the
// deploymentKey tag, or applicationInstanceIdToReplace), and CreateApplicationInstance sent so
// that a lost answer never deploys a second instance (createOnce.ts).
import {
  ApplicationInstance as ListedInstance,
  CreateApplicationInstanceCommand,
  PanoramaClient,
  ListApplicationInstancesCommand,
} from "@aws-sdk/client-panorama";
import { GONE_STATUSES, isStatusIn, LIVE_STATUSES } from "../../model/statusGroups";
import { describeError, errorName } from "../calls/awsClients";
import { createOnce, isAmbiguousFailure, LookupFailed, serviceClock } from "../calls/createOnce";
import { MAX_CALL_RETRY_SECONDS } from "../calls/retry";
import { describeOrUndefined } from "../lifecycle/notFound";
import { RecordedFailure } from "../lifecycle/recordedFailure";
import type { Started } from "../lifecycle/resourceHooks";
import type { Call, Props } from "../lifecycle/resourceSpec";
import {
  DEPLOYMENT_KEY_TAG,
  describeInstance,
  instanceTags,
  label,
  withInstance,
} from "./applicationInstanceCalls";

/** ListApplicationInstances filters covering LIVE_STATUSES. */
const LIVE_STATUS_FILTERS = ["DEPLOYMENT_SUCCEEDED", "PROCESSING_DEPLOYMENT"] as const;

export async function deploy(call: Call, inputs: Props, base: Props): Promise<Started> {
  const { client, region, budgetSeconds } = call;
  const toReplace = await instanceToReplace(client, inputs, call.log);
  const device: string = inputs.defaultRuntimeContextDevice;
  let id: string;
  try {
    // CreateApplicationInstance has no ClientToken: a repeat after a lost answer would deploy a
    // second instance, so the lookup by deploymentKey decides whether to repeat (createOnce.ts).
    const created = await createOnce({
      create: async () =>
        (
          await call.clients.singleAttemptPanorama(region).send(
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
      clock: call.clock,
      signal: call.signal,
      onRetry: (e) =>
        call.log(
          `${label(inputs)}: CreateApplicationInstance on device ${device} failed (${describeError(e)}) and deployed nothing; sending it again`,
        ),
    });
    id = created.value;
    if (created.adopted)
      call.log(
        `${label(inputs)}: the answer to CreateApplicationInstance was lost; found ${id} on device ${device} by its deploymentKey tag`,
      );
  } catch (e) {
    throw new Error(createFailure(inputs, e, call));
  }
  call.log(
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
function createFailure(inputs: Props, e: unknown, call: Call): string {
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
      `${what} failed for ${call.budgetSeconds}s (${call.deadline}, at most ${MAX_CALL_RETRY_SECONDS}s): ${describeError(e)}. ` +
      `No instance of this resource appeared on the device. ${late} Fix the cause and run \`pulumi up\` again.`
    );
  const hint =
    errorName(e) === "ServiceQuotaExceededException"
      ? " A device runs at most 10 applications and accepts 200 deployments a day; remove unused applications or wait."
      : "";
  return `${what} failed: ${describeError(e)}.${hint} Nothing was deployed; fix the cause and run \`pulumi up\` again.`;
}

/**
 * The instance the new deployment takes over from: the explicit `applicationInstanceIdToReplace`
 * while it is still deployed, else this resource's newest live instance on the device (by the
 * deploymentKey tag), else none.
 */
export async function instanceToReplace(
  client: PanoramaClient,
  inputs: Props,
  log: (line: string) => void,
): Promise<string | undefined> {
  const device: string = inputs.defaultRuntimeContextDevice;
  const explicit: string | undefined = inputs.applicationInstanceIdToReplace;
  try {
    if (explicit) {
      const target = await describeOrUndefined(() => describeInstance(client, explicit));
      if (target && isStatusIn(LIVE_STATUSES, target.Status)) return explicit;
      log(
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
      log(
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
      if (i.ApplicationInstanceId && isStatusIn(LIVE_STATUSES, i.Status))
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
  const made = (await listInstances(client, inputs.defaultRuntimeContextDevice)).filter(
    (i) =>
      i.Tags?.[DEPLOYMENT_KEY_TAG] === inputs.deploymentKey &&
      i.ApplicationInstanceId !== toReplace &&
      !isStatusIn(GONE_STATUSES, i.Status) &&
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
