// Every lookup by the name it has in TypeScript and, as `panorama:index:<name>`, in the provider
// plugin's schema and Invoke: the one list of them.
import { getApplicationInstanceWith } from "./applicationInstances";
import { getDeviceJobWith } from "./deviceJobs";
import { getDevicesWith, getDeviceWith } from "./devices";
import type { LookupClients } from "./lookupCalls";
import { getNodesWith, getNodeWith } from "./nodes";
import { getPackageVersionWith, getPackageWith } from "./packages";

export type Lookup = (clients: LookupClients, args: any) => Promise<object>;

export const LOOKUPS: Readonly<Record<string, Lookup>> = {
  getDevice: getDeviceWith,
  getDevices: getDevicesWith,
  getPackage: getPackageWith,
  getPackageVersion: getPackageVersionWith,
  getApplicationInstance: getApplicationInstanceWith,
  getNode: getNodeWith,
  getNodes: getNodesWith,
  getDeviceJob: getDeviceJobWith,
};
