// Application instances (device deployments, reference §8): CreateApplicationInstance (the
// manifest is resolved here), Describe…, List… and RemoveApplicationInstance. What happens after
// creation, and the statuses on the way, is in applicationInstanceStatus.ts; a removed instance
// stays readable.
import { epochSeconds } from "../protocol/restJson";
import { conflict, invalidField, notFound, quotaExceeded } from "../protocol/errors";
import { resolveApplicationManifest } from "./graphManifest";
import { arn, newId } from "../state/ids";
import { paginate } from "../protocol/pagination";
import { Runtime } from "../state/runtime";
import {
  ApplicationInstanceRecord,
  ApplicationInstanceStatus,
  HealthStatus,
} from "../state/deviceRecords";
import { Tags } from "../state/records";
import { byCreation, nextSequence } from "../state/state";
import { dueAt, midpoint } from "../state/timing";
import {
  isStatusIn,
  REMOVED_STATUS,
  REMOVING_STATUSES,
  STATUS_FILTER_GROUPS,
} from "../../model/statusGroups";
import { startRemoval, STATUS_TEXT, statusAt } from "./applicationInstanceStatus";
import { summary } from "./applicationInstanceViews";
import { nodeId } from "./nodes";
import { nodeInstanceStatus } from "./nodeSignals";
import { reportToDevice } from "./deviceHistory";

interface CreateInput {
  Name?: string;
  Description?: string;
  ManifestPayload: { PayloadData?: string };
  ManifestOverridesPayload?: { PayloadData?: string };
  ApplicationInstanceIdToReplace?: string;
  RuntimeRoleArn?: string;
  DefaultRuntimeContextDevice: string;
  Tags?: Tags;
}

export function createApplicationInstance(rt: Runtime, input: CreateInput) {
  const manifest = input.ManifestPayload.PayloadData;
  if (manifest === undefined)
    throw invalidField(
      "ManifestPayload.PayloadData",
      "ManifestPayload.PayloadData must contain the graph.json text.",
    );
  const device = rt.state.devices[input.DefaultRuntimeContextDevice];
  if (!device)
    throw invalidField(
      "DefaultRuntimeContextDevice",
      `Device ${input.DefaultRuntimeContextDevice} does not exist in this account.`,
    );
  const toReplace = input.ApplicationInstanceIdToReplace;
  if (toReplace !== undefined) {
    const old = rt.state.applicationInstances[toReplace];
    if (!old || old.status === REMOVED_STATUS || isStatusIn(REMOVING_STATUSES, old.status))
      throw invalidField(
        "ApplicationInstanceIdToReplace",
        `Application instance ${toReplace} does not exist or is already removed.`,
      );
    if (old.deviceId !== device.deviceId)
      throw invalidField(
        "ApplicationInstanceIdToReplace",
        `Application instance ${toReplace} runs on device ${old.deviceId}, not ${device.deviceId}.`,
      );
  }
  const onDevice = Object.values(rt.state.applicationInstances).filter(
    (a) =>
      a.deviceId === device.deviceId &&
      a.status !== REMOVED_STATUS &&
      a.applicationInstanceId !== toReplace,
  );
  if (onDevice.length >= rt.options.quotas.applicationInstancesPerDevice)
    throw quotaExceeded(
      "ApplicationInstancesPerDevice",
      `Device ${device.deviceId} already has ${onDevice.length} application instances, the maximum. Remove one and try again.`,
      { id: device.deviceId, type: "Device" },
    );

  const resolution = resolveApplicationManifest(
    rt,
    manifest,
    input.ManifestOverridesPayload?.PayloadData,
  );
  const now = rt.clock.now();
  const id = newId("applicationInstance");
  const due = dueAt(rt.timing.deployment, now, rt.random);
  const mid = midpoint(now, due);
  const record: ApplicationInstanceRecord = {
    applicationInstanceId: id,
    sequence: nextSequence(rt.state),
    arn: arn(rt.options.region, rt.options.accountId, "applicationInstance", id),
    name: input.Name,
    description: input.Description,
    deviceId: device.deviceId,
    manifestPayload: manifest,
    manifestOverridesPayload: input.ManifestOverridesPayload?.PayloadData,
    applicationInstanceIdToReplace: toReplace,
    runtimeRoleArn: input.RuntimeRoleArn,
    tags: { ...(input.Tags ?? {}) },
    createdAt: now,
    lastUpdatedAt: now,
    status: "DEPLOYMENT_PENDING",
    healthStatus: "NOT_AVAILABLE",
    statusDescription: STATUS_TEXT.scheduled,
    deploymentFailure: resolution.failure,
    dependencies: resolution.dependencies,
    nodes: resolution.nodes,
    pausedNodes: resolution.nodes.filter((n) => n.launch === "onSignal").map((n) => n.nodeName),
    // A manifest that cannot deploy fails at the data-validation step, half way.
    transition: {
      kind: "deployment",
      startedAt: now,
      midAt: mid,
      dueAt: resolution.failure ? mid : due,
    },
  };
  rt.state.applicationInstances[id] = record;
  reportToDevice(rt, record, "DEPLOYMENT_STARTED", now);
  rt.log(`application instance ${id} DEPLOYMENT_PENDING on ${device.deviceId}`);
  return { ApplicationInstanceId: id };
}

export function findApplicationInstance(rt: Runtime, id: string): ApplicationInstanceRecord {
  const a = rt.state.applicationInstances[id];
  if (!a) throw notFound("ApplicationInstance", id, `Application instance ${id} was not found.`);
  return a;
}

export function describeApplicationInstance(rt: Runtime, input: { ApplicationInstanceId: string }) {
  const a = findApplicationInstance(rt, input.ApplicationInstanceId);
  return {
    ...summary(rt, a),
    ApplicationInstanceIdToReplace: a.applicationInstanceIdToReplace,
    RuntimeRoleArn: a.runtimeRoleArn,
    LastUpdatedTime: epochSeconds(a.lastUpdatedAt),
  };
}

export function describeApplicationInstanceDetails(
  rt: Runtime,
  input: { ApplicationInstanceId: string },
) {
  const a = findApplicationInstance(rt, input.ApplicationInstanceId);
  return {
    Name: a.name,
    Description: a.description,
    DefaultRuntimeContextDevice: a.deviceId,
    ManifestPayload: { PayloadData: a.manifestPayload },
    ManifestOverridesPayload:
      a.manifestOverridesPayload === undefined
        ? undefined
        : { PayloadData: a.manifestOverridesPayload },
    ApplicationInstanceIdToReplace: a.applicationInstanceIdToReplace,
    CreatedTime: epochSeconds(a.createdAt),
    ApplicationInstanceId: a.applicationInstanceId,
  };
}

interface ListInput {
  DeviceId?: string;
  StatusFilter?: string;
  MaxResults?: number;
  NextToken?: string;
}

/** Newest first; removed instances stay listed (there is a REMOVAL_SUCCEEDED filter). */
export function listApplicationInstances(rt: Runtime, input: ListInput) {
  const wanted = input.StatusFilter
    ? (STATUS_FILTER_GROUPS[input.StatusFilter] ?? [input.StatusFilter])
    : undefined;
  const all = Object.values(rt.state.applicationInstances)
    .filter((a) => input.DeviceId === undefined || a.deviceId === input.DeviceId)
    .filter((a) => !wanted || wanted.includes(statusAt(rt, a).status))
    .sort(byCreation)
    .reverse();
  const page = paginate("ListApplicationInstances", all, (a) => a.applicationInstanceId, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
  });
  return { ApplicationInstances: page.items.map((a) => summary(rt, a)), NextToken: page.nextToken };
}

export function listApplicationInstanceDependencies(
  rt: Runtime,
  input: { ApplicationInstanceId: string; MaxResults?: number; NextToken?: string },
) {
  const a = findApplicationInstance(rt, input.ApplicationInstanceId);
  const page = paginate("ListApplicationInstanceDependencies", a.dependencies, (d) => d.fullName, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
  });
  return {
    PackageObjects: page.items.map((d) => ({
      Name: d.name,
      PackageVersion: d.version,
      PatchVersion: d.patchVersion,
    })),
    NextToken: page.nextToken,
  };
}

/** NodeId follows the documented example: <PackageName>-<PackageVersion>-<patch[0:8]>-<interface>; status: nodeSignals.ts. */
export function listApplicationInstanceNodeInstances(
  rt: Runtime,
  input: { ApplicationInstanceId: string; MaxResults?: number; NextToken?: string },
) {
  const a = findApplicationInstance(rt, input.ApplicationInstanceId);
  const page = paginate("ListApplicationInstanceNodeInstances", a.nodes, (n) => n.nodeName, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
  });
  return {
    NodeInstances: page.items.map((n) => ({
      NodeInstanceId: n.nodeName,
      NodeId: nodeId(n.packageName, n.packageVersion, n.patchVersion, n.interfaceName),
      PackageName: n.packageName,
      PackageVersion: n.packageVersion,
      PackagePatchVersion: n.patchVersion,
      NodeName: n.interfaceName,
      CurrentStatus: nodeInstanceStatus(rt, a, n),
    })),
    NextToken: page.nextToken,
  };
}

/**
 * Starts removal. A removal already under way is left alone (200); an instance already
 * REMOVAL_SUCCEEDED answers 409, as the CloudFormation handler expects.
 */
export function removeApplicationInstance(rt: Runtime, input: { ApplicationInstanceId: string }) {
  const a = findApplicationInstance(rt, input.ApplicationInstanceId);
  if (a.status === REMOVED_STATUS)
    throw conflict(
      "ApplicationInstance",
      a.applicationInstanceId,
      `Application instance ${a.applicationInstanceId} has already been removed.`,
      {
        Status: a.status,
      },
    );
  if (isStatusIn(REMOVING_STATUSES, a.status)) return {};
  startRemoval(rt, a, rt.clock.now());
  return {};
}
