// Devices: seeded at start (and after every reset) from the options, always provisioned and
// online. DescribeDevice, ListDevices (filters and sort as documented in the model) and
// UpdateDeviceMetadata.
import { epochSeconds } from "./clock";
import { notFound } from "./errors";
import { arn, sha256Hex, stableId } from "./ids";
import { DeviceSeed } from "./options";
import { paginate } from "./pagination";
import { Runtime } from "./runtime";
import { DeviceRecord } from "./state";

const SOFTWARE_VERSION = "6.2.1";
const LEASE_MS = 5 * 365 * 24 * 3600 * 1000;

export function seedDevices(rt: Runtime): void {
  const now = rt.clock.now();
  rt.options.devices.forEach((seed, i) => {
    const d = deviceFromSeed(rt, seed, now - (rt.options.devices.length - i) * 1000);
    rt.state.devices[d.deviceId] = d;
  });
}

function deviceFromSeed(rt: Runtime, seed: DeviceSeed, createdAt: number): DeviceRecord {
  const deviceId = seed.deviceId ?? stableId("device", `${rt.options.accountId}/${seed.name}`);
  const digest = sha256Hex(deviceId);
  return {
    deviceId,
    name: seed.name,
    arn: arn(rt.options.region, rt.options.accountId, "device", deviceId),
    description: seed.description,
    type: seed.type ?? "PANORAMA_APPLIANCE",
    brand: seed.brand ?? "AWS_PANORAMA",
    serialNumber: String(parseInt(digest.slice(0, 12), 16)).padStart(15, "0").slice(0, 15),
    createdAt,
    lastUpdatedAt: createdAt,
    leaseExpiresAt: createdAt + LEASE_MS,
    provisioningStatus: "SUCCEEDED",
    connectionStatus: "ONLINE",
    aggregatedStatus: "ONLINE",
    currentSoftware: SOFTWARE_VERSION,
    latestSoftware: SOFTWARE_VERSION,
    ipAddress: `192.168.0.${10 + (parseInt(digest.slice(12, 14), 16) % 200)}`,
    hwAddress: digest.slice(14, 26).replace(/(..)(?!$)/g, "$1:"),
    tags: { ...(seed.tags ?? {}) },
  };
}

export function findDevice(rt: Runtime, deviceId: string): DeviceRecord {
  const d = rt.state.devices[deviceId];
  if (!d) throw notFound("Device", deviceId, `Device ${deviceId} was not found.`);
  return d;
}

export function describeDevice(rt: Runtime, input: { DeviceId: string }) {
  const d = findDevice(rt, input.DeviceId);
  return {
    DeviceId: d.deviceId,
    Name: d.name,
    Arn: d.arn,
    Description: d.description,
    Type: d.type,
    DeviceConnectionStatus: d.connectionStatus,
    CreatedTime: epochSeconds(d.createdAt),
    ProvisioningStatus: d.provisioningStatus,
    LatestSoftware: d.latestSoftware,
    CurrentSoftware: d.currentSoftware,
    SerialNumber: d.serialNumber,
    Tags: d.tags,
    NetworkingConfiguration: { Ethernet0: { ConnectionType: "DHCP" } },
    CurrentNetworkingStatus: {
      Ethernet0Status: { IpAddress: d.ipAddress, ConnectionStatus: "CONNECTED", HwAddress: d.hwAddress },
      LastUpdatedTime: epochSeconds(d.lastUpdatedAt),
    },
    LeaseExpirationTime: epochSeconds(d.leaseExpiresAt),
    Brand: d.brand,
    DeviceAggregatedStatus: d.aggregatedStatus,
  };
}

type SortBy = "DEVICE_ID" | "CREATED_TIME" | "NAME" | "DEVICE_AGGREGATED_STATUS";

interface ListInput {
  MaxResults?: number;
  NextToken?: string;
  SortBy?: SortBy;
  SortOrder?: "ASCENDING" | "DESCENDING";
  NameFilter?: string;
  DeviceAggregatedStatusFilter?: string;
}

/** Model docs: NameFilter is a prefix match; default sort CREATED_TIME, DESCENDING. */
export function listDevices(rt: Runtime, input: ListInput) {
  const sortBy = input.SortBy ?? "CREATED_TIME";
  const direction = (input.SortOrder ?? "DESCENDING") === "ASCENDING" ? 1 : -1;
  const keyOf: Record<SortBy, (d: DeviceRecord) => string | number> = {
    DEVICE_ID: (d) => d.deviceId,
    CREATED_TIME: (d) => d.createdAt,
    NAME: (d) => d.name,
    DEVICE_AGGREGATED_STATUS: (d) => d.aggregatedStatus,
  };
  const devices = Object.values(rt.state.devices)
    .filter((d) => input.NameFilter === undefined || d.name.startsWith(input.NameFilter))
    .filter((d) => input.DeviceAggregatedStatusFilter === undefined || d.aggregatedStatus === input.DeviceAggregatedStatusFilter)
    .sort((a, b) => {
      const x = keyOf[sortBy](a);
      const y = keyOf[sortBy](b);
      return (x < y ? -1 : x > y ? 1 : a.deviceId.localeCompare(b.deviceId)) * direction;
    });
  const page = paginate("ListDevices", devices, (d) => d.deviceId, { maxResults: input.MaxResults, nextToken: input.NextToken });
  return {
    Devices: page.items.map((d) => ({
      DeviceId: d.deviceId,
      Name: d.name,
      CreatedTime: epochSeconds(d.createdAt),
      ProvisioningStatus: d.provisioningStatus,
      LastUpdatedTime: epochSeconds(d.lastUpdatedAt),
      LeaseExpirationTime: epochSeconds(d.leaseExpiresAt),
      Brand: d.brand,
      CurrentSoftware: d.currentSoftware,
      Description: d.description,
      Tags: d.tags,
      Type: d.type,
      DeviceAggregatedStatus: d.aggregatedStatus,
    })),
    NextToken: page.nextToken,
  };
}

export function updateDeviceMetadata(rt: Runtime, input: { DeviceId: string; Description?: string }) {
  const d = findDevice(rt, input.DeviceId);
  d.description = input.Description;
  d.lastUpdatedAt = rt.clock.now();
  return { DeviceId: d.deviceId };
}
