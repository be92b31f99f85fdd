// The records of devices and of the application instances deployed on them, as plain data
// (times in epoch milliseconds).
import type {
  ApplicationInstanceHealthStatus,
  ApplicationInstanceStatus,
} from "../../model/panoramaTypes";
import type { Sequenced, Tags, Transition } from "./records";

export type { ApplicationInstanceStatus };
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
  transition?: Transition & { kind: "deployment" | "removal" };
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

/** `deployment: "FAILED"` fails every deployment that settles; `health: "ERROR"` lets it succeed unhealthy. */
export interface DeviceFault {
  deployment?: "FAILED";
  health?: "ERROR";
  message: string;
}
