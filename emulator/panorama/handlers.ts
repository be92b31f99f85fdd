// The handler of every operation of the Panorama model, by model name (tests/emulator/
// operations.test.ts walks the model and fails if one is missing).
import * as apps from "./applicationInstances";
import * as devices from "./devices";
import * as deviceJobs from "./deviceJobs";
import { internalError } from "../protocol/errors";
import * as importJobs from "./importJobs";
import * as packages from "./packages";
import * as versions from "./packageVersions";
import { Runtime } from "../state/runtime";
import * as tags from "./tags";
import * as nodes from "./nodes";
import * as nodeSignals from "./nodeSignals";
import * as templateJobs from "./templateJobs";

export type Handler = (rt: Runtime, input: any) => Record<string, unknown>;

export const HANDLERS: Record<string, Handler> = {
  CreatePackage: packages.createPackage,
  DescribePackage: packages.describePackage,
  ListPackages: packages.listPackages,
  DeletePackage: packages.deletePackage,
  CreatePackageImportJob: importJobs.createPackageImportJob,
  DescribePackageImportJob: importJobs.describePackageImportJob,
  ListPackageImportJobs: importJobs.listPackageImportJobs,
  CreateNodeFromTemplateJob: templateJobs.createNodeFromTemplateJob,
  DescribeNodeFromTemplateJob: templateJobs.describeNodeFromTemplateJob,
  ListNodeFromTemplateJobs: templateJobs.listNodeFromTemplateJobs,
  ListNodes: nodes.listNodes,
  DescribeNode: nodes.describeNode,
  DescribePackageVersion: versions.describePackageVersion,
  RegisterPackageVersion: versions.registerPackageVersion,
  DeregisterPackageVersion: versions.deregisterPackageVersion,
  TagResource: tags.tagResource,
  UntagResource: tags.untagResource,
  ListTagsForResource: tags.listTagsForResource,
  ListDevices: devices.listDevices,
  DescribeDevice: devices.describeDevice,
  UpdateDeviceMetadata: devices.updateDeviceMetadata,
  ProvisionDevice: devices.provisionDevice,
  DeleteDevice: devices.deleteDevice,
  CreateJobForDevices: deviceJobs.createJobForDevices,
  DescribeDeviceJob: deviceJobs.describeDeviceJob,
  ListDevicesJobs: deviceJobs.listDevicesJobs,
  CreateApplicationInstance: apps.createApplicationInstance,
  DescribeApplicationInstance: apps.describeApplicationInstance,
  DescribeApplicationInstanceDetails: apps.describeApplicationInstanceDetails,
  ListApplicationInstances: apps.listApplicationInstances,
  ListApplicationInstanceDependencies: apps.listApplicationInstanceDependencies,
  ListApplicationInstanceNodeInstances: apps.listApplicationInstanceNodeInstances,
  RemoveApplicationInstance: apps.removeApplicationInstance,
  SignalApplicationInstanceNodeInstances: nodeSignals.signalApplicationInstanceNodeInstances,
};

/** Read-only operations; everything else may change the state (and is persisted). */
export const READ_ONLY = new Set(
  Object.keys(HANDLERS).filter((name) => /^(Describe|List)/.test(name)),
);

/** The handler of an operation the router matched from the model. */
export function handlerFor(operation: string): Handler {
  const handler = HANDLERS[operation];
  if (!handler) throw internalError(`The Panorama emulator has no handler for ${operation}.`);
  return handler;
}
