// The records of devices and of the application instances deployed on them, as plain data
// (times in epoch milliseconds).
import type {
  ApplicationInstanceHealthStatus,
  ApplicationInstanceStatus,
  DeviceJobStatus,
  DeviceJobType,
} from "../../model/panoramaTypes";
import type { Sequenced, Tags, Transition } from "./records";

export type { ApplicationInstanceStatus, DeviceJobStatus, DeviceJobType };
export type HealthStatus = ApplicationInstanceHealthStatus;

export interface ResolvedDependency {
  /** `<owner>::<name>` as written in graph.json. */
  fullName: string;
  owner: string;
  name: string;
  version: string;
  patchVersion: string;
}

export interface ResolvedNode {
  nodeName: string;
  owner: string;
  packageName: string;
  packageVersion: string;
  patchVersion: string;
  interfaceName: string;
  /** graph.json `launch`: `onSignal` nodes start paused and wait for a RESUME. */
  launch?: string;
}

export interface ApplicationInstanceRecord extends Sequenced {
  applicationInstanceId: string;
  arn: string;
  name?: string;
  description?: string;
  deviceId: string;
  manifestPayload: string;
  manifestOverridesPayload?: string;
  applicationInstanceIdToReplace?: string;
  runtimeRoleArn?: string;
  tags: Tags;
  createdAt: number;
  lastUpdatedAt: number;
  status: ApplicationInstanceStatus;
  healthStatus: HealthStatus;
  statusDescription: string;
  /** Outcome of the manifest check done at creation: why the deployment will fail, if it will. */
  deploymentFailure?: string;
  dependencies: ResolvedDependency[];
  nodes: ResolvedNode[];
  /** Node instances paused by a PAUSE signal (or `launch: onSignal`) and not resumed since. */
  pausedNodes?: string[];
  /** Signals sent but not yet applied, in the order sent (`dueAt` null: manual mode). */
  pendingSignals?: PendingSignal[];
  transition?: Transition & { kind: "deployment" | "removal" };
}

export interface PendingSignal {
  nodeInstanceId: string;
  signal: "PAUSE" | "RESUME";
  dueAt: number | null;
}

export interface DeviceRecord {
  deviceId: string;
  name: string;
  arn: string;
  description?: string;
  type: string;
  brand: string;
  serialNumber: string;
  createdAt: number;
  lastUpdatedAt: number;
  leaseExpiresAt: number;
  provisioningStatus: string;
  connectionStatus: string;
  aggregatedStatus: string;
  currentSoftware: string;
  latestSoftware: string;
  ipAddress: string;
  hwAddress: string;
  tags: Tags;
  /** What happened to application instances on this device, oldest first (panorama/deviceHistory.ts). */
  history: DeviceEvent[];
  /** A failure the control API arranged for deployments on this device (panorama/deviceFaults.ts). */
  fault?: DeviceFault;
  /** Device jobs created for this device so far: the next JobId is `<DeviceId>-<jobCount>`. */
  jobCount?: number;
}

/** An OTA or REBOOT job; while `transition` is set it walks its steps on the clock. */
export interface DeviceJobRecord extends Sequenced {
  jobId: string;
  deviceId: string;
  jobType: DeviceJobType;
  imageVersion?: string;
  createdAt: number;
  lastUpdatedAt: number;
  /** PENDING while the job runs (the step shown is computed from the clock), then its end. */
  status: DeviceJobStatus;
  /** Why it failed, for the log and the control API (the API has no member for it). */
  failure?: string;
  transition?: Transition;
}

export type DeviceEventKind =
  | "DEPLOYMENT_STARTED"
  | "DEPLOYMENT_SUCCEEDED"
  | "DEPLOYMENT_FAILED"
  | "HEALTH_ERROR"
  | "HEALTH_RUNNING"
  | "REMOVAL_STARTED"
  | "REMOVAL_SUCCEEDED"
  | "REMOVAL_FAILED";

export interface DeviceEvent {
  at: number;
  applicationInstanceId: string;
  event: DeviceEventKind;
  /** The instance's StatusDescription at that moment. */
  description: string;
}

/**
 * `deployment: "FAILED"` fails every deployment that settles; `health: "ERROR"` lets it succeed
 * unhealthy; `deviceJob: "FAILED"` fails every OTA or REBOOT job that settles.
 */
export interface DeviceFault {
  deployment?: "FAILED";
  health?: "ERROR";
  deviceJob?: "FAILED";
  message: string;
}
