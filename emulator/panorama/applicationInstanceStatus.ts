// The life of an application instance after CreateApplicationInstance: the deployment runs
// DEPLOYMENT_PENDING → DEPLOYMENT_IN_PROGRESS → DEPLOYMENT_SUCCEEDED (health RUNNING), or stops at
// DEPLOYMENT_FAILED after the "data validation" step when the manifest cannot be deployed; removal
// runs REMOVAL_PENDING → REMOVAL_IN_PROGRESS → REMOVAL_SUCCEEDED. Every change is reported to the
// device (deviceHistory.ts), and a settling deployment asks its device once whether a fault is
// arranged (devices.ts); the device side never calls back.
import { REMOVED_STATUS } from "../../model/statusGroups";
import { statusDescription } from "../protocol/restJson";
import {
  ApplicationInstanceRecord,
  ApplicationInstanceStatus,
  DeviceEventKind,
  HealthStatus,
} from "../state/deviceRecords";
import { Runtime } from "../state/runtime";
import { dueAt, DueTransition, dueTransitions, midpoint } from "../state/timing";
import { reportToDevice } from "./deviceHistory";
import { deviceFault } from "./devices";

export const STATUS_TEXT = {
  scheduled: "Deployment Workflow has been scheduled.",
  validated: "Deployment Workflow has completed data validation.",
  deployed: "Application deployed successfully.",
  recovered: "The application is running again.",
  removalScheduled: "Removal of the application instance has been scheduled.",
  removing: "The application instance is being removed from the device.",
  removed: "The application instance was removed from the device.",
};

/** Status as seen at `now`: pending transitions show their second phase after the midpoint. */
export function statusAt(
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

/** Pending deployments and removals due by `now`. */
export function dueApplicationInstances(rt: Runtime, now: number): DueTransition[] {
  return dueTransitions(Object.values(rt.state.applicationInstances), now, (a, at) =>
    settleApplicationInstance(rt, a, at),
  );
}

export function startRemoval(rt: Runtime, a: ApplicationInstanceRecord, now: number): void {
  const due = dueAt(rt.timing.removal, now, rt.random);
  a.lastUpdatedAt = now;
  a.transition = { kind: "removal", startedAt: now, midAt: midpoint(now, due), dueAt: due };
  setStatus(
    rt,
    a,
    "REMOVAL_PENDING",
    a.healthStatus,
    STATUS_TEXT.removalScheduled,
    "REMOVAL_STARTED",
  );
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
    if (failure) setStatus(rt, a, "REMOVAL_FAILED", "ERROR", failure, "REMOVAL_FAILED");
    else
      setStatus(
        rt,
        a,
        "REMOVAL_SUCCEEDED",
        "NOT_AVAILABLE",
        STATUS_TEXT.removed,
        "REMOVAL_SUCCEEDED",
      );
  } else settleDeployment(rt, a, at, failure);
  rt.log(`application instance ${a.applicationInstanceId} ${a.status}`);
}

function settleDeployment(
  rt: Runtime,
  a: ApplicationInstanceRecord,
  at: number,
  failure: string | undefined,
): void {
  const fault = deviceFault(rt, a.deviceId);
  const problem =
    failure ?? a.deploymentFailure ?? (fault?.deployment === "FAILED" ? fault.message : undefined);
  if (problem)
    return setStatus(rt, a, "DEPLOYMENT_FAILED", "NOT_AVAILABLE", problem, "DEPLOYMENT_FAILED");
  if (fault?.health)
    setStatus(
      rt,
      a,
      "DEPLOYMENT_SUCCEEDED",
      fault.health,
      fault.message,
      "DEPLOYMENT_SUCCEEDED",
      "HEALTH_ERROR",
    );
  else
    setStatus(
      rt,
      a,
      "DEPLOYMENT_SUCCEEDED",
      "RUNNING",
      STATUS_TEXT.deployed,
      "DEPLOYMENT_SUCCEEDED",
    );
  const old = a.applicationInstanceIdToReplace
    ? rt.state.applicationInstances[a.applicationInstanceIdToReplace]
    : undefined;
  if (old && old.status !== REMOVED_STATUS) {
    old.transition = undefined;
    old.lastUpdatedAt = at;
    setStatus(
      rt,
      old,
      "REMOVAL_SUCCEEDED",
      "NOT_AVAILABLE",
      `Replaced by application instance ${a.applicationInstanceId}.`,
      "REMOVAL_SUCCEEDED",
    );
  }
}

/** What runs on the device turns unhealthy now (a health fault the control API arranged). */
export function markRunningInstancesUnhealthy(
  rt: Runtime,
  deviceId: string,
  message: string,
): void {
  for (const a of Object.values(rt.state.applicationInstances))
    if (
      a.deviceId === deviceId &&
      a.status === "DEPLOYMENT_SUCCEEDED" &&
      a.healthStatus !== "ERROR"
    ) {
      a.lastUpdatedAt = rt.clock.now();
      setStatus(rt, a, a.status, "ERROR", message, "HEALTH_ERROR");
    }
}

/** What runs on the device unhealthy is RUNNING again (its health fault was cleared). */
export function markRunningInstancesHealthy(rt: Runtime, deviceId: string): void {
  for (const a of Object.values(rt.state.applicationInstances))
    if (
      a.deviceId === deviceId &&
      a.status === "DEPLOYMENT_SUCCEEDED" &&
      a.healthStatus === "ERROR"
    ) {
      a.lastUpdatedAt = rt.clock.now();
      setStatus(rt, a, a.status, "RUNNING", STATUS_TEXT.recovered, "HEALTH_RUNNING");
    }
}

/** Sets status fields as given, without side effects (control API, for refresh tests). */
export function forceApplicationInstanceStatus(
  rt: Runtime,
  a: ApplicationInstanceRecord,
  status: ApplicationInstanceStatus,
  healthStatus?: HealthStatus,
  description?: string,
): void {
  a.transition = undefined;
  a.lastUpdatedAt = rt.clock.now();
  setStatus(
    rt,
    a,
    status,
    healthStatus ?? (status === "DEPLOYMENT_SUCCEEDED" ? "RUNNING" : "NOT_AVAILABLE"),
    description ?? `Status set to ${status}.`,
  );
}

/** Sets the status fields, then reports each event to the device, at the instance's last update. */
function setStatus(
  rt: Runtime,
  a: ApplicationInstanceRecord,
  status: ApplicationInstanceStatus,
  health: HealthStatus,
  description: string,
  ...events: DeviceEventKind[]
): void {
  a.status = status;
  a.healthStatus = health;
  a.statusDescription = statusDescription(description);
  for (const event of events) reportToDevice(rt, a, event, a.lastUpdatedAt);
}
