// Device lookups: one appliance by id or by name (getDevice), or every device of the account and
// region (getDevices), so a program never copies a device id by hand.
import * as pulumi from "@pulumi/pulumi";
import {
  DescribeDeviceCommand,
  ListDevicesCommand,
  ListDevicesCommandOutput,
} from "@aws-sdk/client-panorama";
import { fromApi } from "../lifecycle/apiShapes";
import {
  checkLookupArgs,
  lookupCall,
  LookupClients,
  programClients,
  lookupOutput,
  LookupOutputArgs,
  requireOneOf,
} from "./lookupCalls";
import { UsageError } from "../userError";

/** Whether a device is provisioned, online and up to date, as the console sums it up. */
export type DeviceAggregatedStatus =
  | "ERROR"
  | "AWAITING_PROVISIONING"
  | "PENDING"
  | "FAILED"
  | "DELETING"
  | "ONLINE"
  | "OFFLINE"
  | "LEASE_EXPIRED"
  | "UPDATE_NEEDED"
  | "REBOOTING";

export type DeviceType = "PANORAMA_APPLIANCE_DEVELOPER_KIT" | "PANORAMA_APPLIANCE";
export type DeviceBrand = "AWS_PANORAMA" | "LENOVO";
export type DeviceConnectionStatus =
  "ONLINE" | "OFFLINE" | "AWAITING_CREDENTIALS" | "NOT_AVAILABLE" | "ERROR";
export type DeviceProvisioningStatus =
  "AWAITING_PROVISIONING" | "PENDING" | "SUCCEEDED" | "FAILED" | "ERROR" | "DELETING";

export interface GetDeviceArgs {
  /** The device's id, e.g. `device-4tafxmplhtmzabv5lsacba4ere`. Set this or `name`. */
  deviceId?: string;
  /** The device's name as given at provisioning (exact match). Set this or `deviceId`. */
  name?: string;
  /** @default stack config `aws:region`, then `AWS_REGION` */
  region?: string;
}

/** A device as `DescribeDevice` returns it, camelCased; timestamps are ISO-8601 strings. */
export interface GetDeviceResult {
  /** Pass as `defaultRuntimeContextDevice` of an `ApplicationInstance`. */
  readonly deviceId: string;
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly type?: DeviceType;
  readonly brand?: DeviceBrand;
  readonly deviceConnectionStatus?: DeviceConnectionStatus;
  readonly provisioningStatus?: DeviceProvisioningStatus;
  readonly deviceAggregatedStatus?: DeviceAggregatedStatus;
  /** The software version the device runs. */
  readonly currentSoftware?: string;
  /** The newest software version available for the device. */
  readonly latestSoftware?: string;
  readonly serialNumber?: string;
  readonly createdTime?: string;
  readonly leaseExpirationTime?: string;
  readonly tags: Record<string, string>;
  /** The device's network configuration and the status it last reported, as the API returns them. */
  readonly networkingConfiguration?: Record<string, unknown>;
  readonly currentNetworkingStatus?: Record<string, unknown>;
  /** The region the device was looked up in. */
  readonly region: string;
}

/**
 * Looks up one Panorama appliance by `deviceId` (DescribeDevice) or by `name` (ListDevices, then
 * DescribeDevice). Fails, naming what was looked for, when no device matches.
 *
 * @example
 * const device = await getDevice({ name: "lobby-camera-01" });
 * new ApplicationInstance("app", { defaultRuntimeContextDevice: device.deviceId, ... });
 */
export async function getDevice(
  args: GetDeviceArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetDeviceResult> {
  return getDeviceWith(programClients(opts), args);
}

/** {@link getDevice} with the clients of a program or of the provider plugin. */
export async function getDeviceWith(
  clients: LookupClients,
  args: GetDeviceArgs,
): Promise<GetDeviceResult> {
  const lookup = "getDevice";
  const by = requireOneOf(lookup, { ...args }, ["deviceId", "name"]);
  if (by === "deviceId")
    checkLookupArgs(lookup, "DescribeDeviceRequest", { deviceId: args.deviceId });
  else checkLookupArgs(lookup, "ListDevicesRequest", { nameFilter: args.name });
  const { client, region } = clients(lookup, args.region);
  const deviceId =
    by === "deviceId" ? args.deviceId! : await deviceIdByName(client, region, args.name!);
  const device = await lookupCall(
    lookup,
    () => client.send(new DescribeDeviceCommand({ DeviceId: deviceId })),
    `no device with id ${JSON.stringify(deviceId)} in ${region}`,
  );
  return {
    ...(fromApi("DescribeDeviceResponse", device) as object),
    tags: device.Tags ?? {},
    region,
  } as GetDeviceResult;
}

async function deviceIdByName(
  client: ReturnType<LookupClients>["client"],
  region: string,
  name: string,
): Promise<string> {
  // NameFilter is a prefix match: keep the exact name.
  const candidates = await listAll("getDevice", client, { NameFilter: name });
  const matches = candidates.filter((d) => d.Name === name);
  if (matches.length === 1) return matches[0].DeviceId!;
  if (matches.length > 1) {
    throw new UsageError(
      `getDevice: ${matches.length} devices are named ${JSON.stringify(name)} in ${region} (${matches.map((d) => d.DeviceId).join(", ")}); look one up by deviceId`,
    );
  }
  const near = candidates.map((d) => d.Name).slice(0, 5);
  throw new UsageError(
    `getDevice: no device named ${JSON.stringify(name)} in ${region}${near.length ? ` (names that start with it: ${near.join(", ")})` : ""}`,
  );
}

/** Lists every page of ListDevices. */
async function listAll(
  lookup: string,
  client: ReturnType<LookupClients>["client"],
  filter: { NameFilter?: string; DeviceAggregatedStatusFilter?: DeviceAggregatedStatus },
) {
  const devices: NonNullable<ListDevicesCommandOutput["Devices"]> = [];
  let nextToken: string | undefined;
  do {
    const page = await lookupCall(
      lookup,
      () =>
        client.send(new ListDevicesCommand({ ...filter, NextToken: nextToken, MaxResults: 25 })),
      "ListDevices answered not found",
    );
    devices.push(...(page.Devices ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return devices;
}

/** {@link getDevice} taking Pulumi values, e.g. a name from config or another stack. */
export function getDeviceOutput(
  args: LookupOutputArgs<GetDeviceArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetDeviceResult> {
  return lookupOutput(getDevice, args, opts);
}

export interface GetDevicesArgs {
  /** Only devices whose name starts with this. */
  nameFilter?: string;
  /** Only devices in this aggregated status, e.g. `ONLINE`. */
  deviceAggregatedStatusFilter?: DeviceAggregatedStatus;
  /** @default stack config `aws:region`, then `AWS_REGION` */
  region?: string;
}

/** A device as `ListDevices` returns it, camelCased; timestamps are ISO-8601 strings. */
export interface DeviceSummary {
  readonly deviceId: string;
  readonly name: string;
  readonly description?: string;
  readonly type?: DeviceType;
  readonly brand?: DeviceBrand;
  readonly provisioningStatus?: DeviceProvisioningStatus;
  readonly deviceAggregatedStatus?: DeviceAggregatedStatus;
  readonly currentSoftware?: string;
  readonly createdTime?: string;
  readonly lastUpdatedTime?: string;
  readonly leaseExpirationTime?: string;
  readonly tags: Record<string, string>;
}

export interface GetDevicesResult {
  /** Every matching device, newest first (every page of ListDevices). */
  readonly devices: DeviceSummary[];
  /** Their ids, in the same order. */
  readonly ids: string[];
  /** The region the lookup ran in. */
  readonly region: string;
}

/**
 * Lists the devices of the account and region (every page of ListDevices), optionally filtered.
 *
 * @example
 * const online = await getDevices({ deviceAggregatedStatusFilter: "ONLINE" });
 */
export async function getDevices(
  args: GetDevicesArgs = {},
  opts?: pulumi.InvokeOptions,
): Promise<GetDevicesResult> {
  return getDevicesWith(programClients(opts), args);
}

/** {@link getDevices} with the clients of a program or of the provider plugin. */
export async function getDevicesWith(
  clients: LookupClients,
  args: GetDevicesArgs = {},
): Promise<GetDevicesResult> {
  const lookup = "getDevices";
  checkLookupArgs(lookup, "ListDevicesRequest", {
    nameFilter: args.nameFilter,
    deviceAggregatedStatusFilter: args.deviceAggregatedStatusFilter,
  });
  const { client, region } = clients(lookup, args.region);
  const listed = await listAll(lookup, client, {
    NameFilter: args.nameFilter,
    DeviceAggregatedStatusFilter: args.deviceAggregatedStatusFilter,
  });
  const devices = listed.map(
    (d) => ({ ...(fromApi("Device", d) as object), tags: d.Tags ?? {} }) as DeviceSummary,
  );
  return { devices, ids: devices.map((d) => d.deviceId), region };
}

/** {@link getDevices} taking Pulumi values. */
export function getDevicesOutput(
  args?: LookupOutputArgs<GetDevicesArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetDevicesResult> {
  return lookupOutput(getDevices, args, opts);
}
