// How an application instance reads in DescribeApplicationInstance and ListApplicationInstances:
// its status as seen now, and the runtime context the device reports for it (nothing while the
// device reboots).
import { epochSeconds } from "../protocol/restJson";
import { ApplicationInstanceRecord, ApplicationInstanceStatus } from "../state/deviceRecords";
import { Runtime } from "../state/runtime";
import { statusAt } from "./applicationInstanceStatus";
import { deviceRebooting } from "./deviceJobStatus";

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

export function summary(rt: Runtime, a: ApplicationInstanceRecord) {
  const { status, description } = statusAt(rt, a);
  return {
    Name: a.name,
    ApplicationInstanceId: a.applicationInstanceId,
    DefaultRuntimeContextDevice: a.deviceId,
    DefaultRuntimeContextDeviceName: rt.state.devices[a.deviceId]?.name,
    Description: a.description,
    Status: status,
    // A restarting device reports nothing; what ran there runs again afterwards.
    HealthStatus:
      status === "DEPLOYMENT_SUCCEEDED" && deviceRebooting(rt, a.deviceId)
        ? "NOT_AVAILABLE"
        : a.healthStatus,
    StatusDescription: description,
    CreatedTime: epochSeconds(a.createdAt),
    Arn: a.arn,
    Tags: a.tags,
    RuntimeContextStates: runtimeContextStates(rt, a, status),
  };
}
