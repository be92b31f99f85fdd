// Application instances (device deployments, reference §8). The manifest is resolved when the
// instance is created; the deployment then runs DEPLOYMENT_PENDING → DEPLOYMENT_IN_PROGRESS →
// DEPLOYMENT_SUCCEEDED (health RUNNING), or stops at DEPLOYMENT_FAILED after the "data validation"
// step when the manifest cannot be deployed. Removal runs REMOVAL_PENDING → REMOVAL_IN_PROGRESS →
// REMOVAL_SUCCEEDED and the record stays readable.
import { epochSeconds } from "../protocol/restJson";
import { conflict, invalidField, notFound, quotaExceeded } from "../protocol/errors";
import { deviceFault, recordDeviceEvent } from "./devices";
import { resolveApplicationManifest } from "../graphManifest";
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

export const STATUS_TEXT = {
  scheduled: "Deployment Workflow has been scheduled.",
  validated: "Deployment Workflow has completed data validation.",
  deployed: "Application deployed successfully.",
  removalScheduled: "Removal of the application instance has been scheduled.",
  removing: "The application instance is being removed from the device.",
  removed: "The application instance was removed from the device.",
};

const REMOVAL_STATES: ApplicationInstanceStatus[] = [
  "REMOVAL_PENDING",
  "REMOVAL_REQUESTED",
  "REMOVAL_IN_PROGRESS",
];
const STATUS_FILTER_GROUPS: Record<string, ApplicationInstanceStatus[]> = {
  PROCESSING_DEPLOYMENT: ["DEPLOYMENT_PENDING", "DEPLOYMENT_REQUESTED", "DEPLOYMENT_IN_PROGRESS"],
  PROCESSING_REMOVAL: REMOVAL_STATES,
};

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
    if (!old || old.status === "REMOVAL_SUCCEEDED" || REMOVAL_STATES.includes(old.status))
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
      a.status !== "REMOVAL_SUCCEEDED" &&
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
    // A manifest that cannot deploy fails at the data-validation step, half way.
    transition: {
      kind: "deployment",
      startedAt: now,
      midAt: mid,
      dueAt: resolution.failure ? mid : due,
    },
  };
  rt.state.applicationInstances[id] = record;
  recordDeviceEvent(rt, record, "DEPLOYMENT_STARTED", now);
  rt.log(`application instance ${id} DEPLOYMENT_PENDING on ${device.deviceId}`);
  return { ApplicationInstanceId: id };
}

export function findApplicationInstance(rt: Runtime, id: string): ApplicationInstanceRecord {
  const a = rt.state.applicationInstances[id];
  if (!a) throw notFound("ApplicationInstance", id, `Application instance ${id} was not found.`);
  return a;
}

/** Status as seen at `now`: pending transitions show their second phase after the midpoint. */
function statusAt(
  rt: Runtime,
  a: ApplicationInstanceRecord,
): { status: ApplicationInstanceStatus; description: string } {
  const t = a.transition;
  if (
    t &&
    t.midAt !== null &&
    rt.clock.now() >= t.midAt &&
    (a.status === "DEPLOYMENT_PENDING" || a.status === "REMOVAL_PENDING")
  )
    return a.status === "DEPLOYMENT_PENDING"
      ? { status: "DEPLOYMENT_IN_PROGRESS", description: STATUS_TEXT.validated }
      : { status: "REMOVAL_IN_PROGRESS", description: STATUS_TEXT.removing };
  return { status: a.status, description: a.statusDescription };
}

function runtimeContextStates(
  rt: Runtime,
  a: ApplicationInstanceRecord,
  status: ApplicationInstanceStatus,
) {
  const reported: Record<string, [string, string]> = {
    DEPLOYMENT_PENDING: ["RUNNING", "INSTALL_IN_PROGRESS"],
    DEPLOYMENT_IN_PROGRESS: ["RUNNING", "INSTALL_IN_PROGRESS"],
    DEPLOYMENT_SUCCEEDED: ["RUNNING", "RUNNING"],
    DEPLOYMENT_FAILED: ["RUNNING", "INSTALL_ERROR"],
    DEPLOYMENT_ERROR: ["RUNNING", "INSTALL_ERROR"],
    REMOVAL_PENDING: ["REMOVED", "REMOVAL_IN_PROGRESS"],
    REMOVAL_IN_PROGRESS: ["REMOVED", "REMOVAL_IN_PROGRESS"],
    REMOVAL_FAILED: ["REMOVED", "REMOVAL_FAILED"],
    REMOVAL_SUCCEEDED: ["REMOVED", "STOPPED"],
  };
  const [desired, device] = reported[status] ?? ["RUNNING", "STARTING"];
  return [
    {
      DesiredState: desired,
      RuntimeContextName: a.name ?? a.applicationInstanceId,
      DeviceReportedStatus: device,
      DeviceReportedTime: epochSeconds(a.lastUpdatedAt),
    },
  ];
}

function summary(rt: Runtime, a: ApplicationInstanceRecord) {
  const { status, description } = statusAt(rt, a);
  return {
    Name: a.name,
    ApplicationInstanceId: a.applicationInstanceId,
    DefaultRuntimeContextDevice: a.deviceId,
    DefaultRuntimeContextDeviceName: rt.state.devices[a.deviceId]?.name,
    Description: a.description,
    Status: status,
    HealthStatus: a.healthStatus,
    StatusDescription: description,
    CreatedTime: epochSeconds(a.createdAt),
    Arn: a.arn,
    Tags: a.tags,
    RuntimeContextStates: runtimeContextStates(rt, a, status),
  };
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

/** NodeId follows the documented example: <PackageName>-<PackageVersion>-<patch[0:8]>-<interface>. */
export function listApplicationInstanceNodeInstances(
  rt: Runtime,
  input: { ApplicationInstanceId: string; MaxResults?: number; NextToken?: string },
) {
  const a = findApplicationInstance(rt, input.ApplicationInstanceId);
  const status = statusAt(rt, a).status;
  const current =
    status === "DEPLOYMENT_SUCCEEDED"
      ? "RUNNING"
      : status === "DEPLOYMENT_FAILED"
        ? "ERROR"
        : "NOT_AVAILABLE";
  const page = paginate("ListApplicationInstanceNodeInstances", a.nodes, (n) => n.nodeName, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
  });
  return {
    NodeInstances: page.items.map((n) => ({
      NodeInstanceId: n.nodeName,
      NodeId: `${n.packageName}-${n.packageVersion}-${n.patchVersion.slice(0, 8)}-${n.interfaceName}`,
      PackageName: n.packageName,
      PackageVersion: n.packageVersion,
      PackagePatchVersion: n.patchVersion,
      NodeName: n.interfaceName,
      CurrentStatus: current,
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
  if (a.status === "REMOVAL_SUCCEEDED")
    throw conflict(
      "ApplicationInstance",
      a.applicationInstanceId,
      `Application instance ${a.applicationInstanceId} has already been removed.`,
      {
        Status: a.status,
      },
    );
  if (REMOVAL_STATES.includes(a.status)) return {};
  startRemoval(rt, a, rt.clock.now());
  return {};
}

function startRemoval(rt: Runtime, a: ApplicationInstanceRecord, now: number): void {
  const due = dueAt(rt.timing.removal, now, rt.random);
  a.status = "REMOVAL_PENDING";
  a.statusDescription = STATUS_TEXT.removalScheduled;
  a.lastUpdatedAt = now;
  a.transition = { kind: "removal", startedAt: now, midAt: midpoint(now, due), dueAt: due };
  recordDeviceEvent(rt, a, "REMOVAL_STARTED", now);
  rt.log(`application instance ${a.applicationInstanceId} REMOVAL_PENDING`);
}

/**
 * Ends the pending deployment or removal at time `at`: its natural outcome, or a failure with
 * `failure` as StatusDescription (control API). A successful replacement removes the instance it
 * replaces at the same moment, so the device is never left with neither running.
 */
export function settleApplicationInstance(
  rt: Runtime,
  a: ApplicationInstanceRecord,
  at: number,
  failure?: string,
): void {
  const kind = a.transition?.kind;
  a.transition = undefined;
  a.lastUpdatedAt = at;
  if (kind === "removal") {
    setStatus(
      a,
      failure ? "REMOVAL_FAILED" : "REMOVAL_SUCCEEDED",
      failure ? "ERROR" : "NOT_AVAILABLE",
      failure ?? STATUS_TEXT.removed,
    );
    recordDeviceEvent(
      rt,
      a,
      a.status === "REMOVAL_SUCCEEDED" ? "REMOVAL_SUCCEEDED" : "REMOVAL_FAILED",
      at,
    );
  } else {
    const fault = deviceFault(rt, a.deviceId);
    const problem =
      failure ??
      a.deploymentFailure ??
      (fault?.deployment === "FAILED" ? fault.message : undefined);
    if (problem) {
      setStatus(a, "DEPLOYMENT_FAILED", "NOT_AVAILABLE", problem);
      recordDeviceEvent(rt, a, "DEPLOYMENT_FAILED", at);
    } else {
      setStatus(
        a,
        "DEPLOYMENT_SUCCEEDED",
        fault?.health ?? "RUNNING",
        fault?.health ? fault.message : STATUS_TEXT.deployed,
      );
      recordDeviceEvent(rt, a, "DEPLOYMENT_SUCCEEDED", at);
      if (fault?.health) recordDeviceEvent(rt, a, "HEALTH_ERROR", at);
      const old = a.applicationInstanceIdToReplace
        ? rt.state.applicationInstances[a.applicationInstanceIdToReplace]
        : undefined;
      if (old && old.status !== "REMOVAL_SUCCEEDED") {
        old.transition = undefined;
        old.lastUpdatedAt = at;
        setStatus(
          old,
          "REMOVAL_SUCCEEDED",
          "NOT_AVAILABLE",
          `Replaced by application instance ${a.applicationInstanceId}.`,
        );
        recordDeviceEvent(rt, old, "REMOVAL_SUCCEEDED", at);
      }
    }
  }
  rt.log(`application instance ${a.applicationInstanceId} ${a.status}`);
}

/** Sets status fields as given, without side effects (control API, for refresh tests). */
export function forceApplicationInstanceStatus(
  rt: Runtime,
  a: ApplicationInstanceRecord,
  status: ApplicationInstanceStatus,
  healthStatus?: HealthStatus,
  statusDescription?: string,
): void {
  a.transition = undefined;
  a.lastUpdatedAt = rt.clock.now();
  setStatus(
    a,
    status,
    healthStatus ?? (status === "DEPLOYMENT_SUCCEEDED" ? "RUNNING" : "NOT_AVAILABLE"),
    statusDescription ?? `Status set to ${status}.`,
  );
}

function setStatus(
  a: ApplicationInstanceRecord,
  status: ApplicationInstanceStatus,
  health: HealthStatus,
  description: string,
): void {
  a.status = status;
  a.healthStatus = health;
  a.statusDescription = description.length > 255 ? description.slice(0, 252) + "..." : description;
}
