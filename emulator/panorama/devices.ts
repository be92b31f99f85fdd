// Devices: seeded at start (and after every reset) from the options, provisioned and online;
// ProvisionDevice adds one that waits for its appliance (the control API's `connect` plays the
// appliance booting with its certificates). DescribeDevice, ListDevices (filters and sort as
// documented in the model), UpdateDeviceMetadata and DeleteDevice. What runs on a device reports
// to it (deviceHistory.ts) and reads the fault arranged for it (deviceFaults.ts sets it); this
// module calls nothing on the application-instance side. Its jobs (OTA, REBOOT) show in its
// status while they run (deviceJobStatus.ts).
import { epochSeconds } from "../protocol/restJson";
import { conflict, notFound } from "../protocol/errors";
import { arn, newId, sha256Hex, stableId } from "../state/ids";
import { DeviceSeed } from "../state/settings";
import { paginate } from "../protocol/pagination";
import { Runtime } from "../state/runtime";
import { REMOVED_STATUS } from "../../model/statusGroups";
import { DeviceFault, DeviceRecord } from "../state/deviceRecords";
import { Tags } from "../state/records";
import {
  aggregatedStatusAt,
  connectionStatusAt,
  latestDeviceJob,
  latestDeviceJobView,
} from "./deviceJobStatus";

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
  return newDevice(
    rt,
    seed.deviceId ?? stableId("device", `${rt.options.accountId}/${seed.name}`),
    seed,
    createdAt,
  );
}

function newDevice(
  rt: Runtime,
  deviceId: string,
  seed: DeviceSeed,
  createdAt: number,
): DeviceRecord {
  const digest = sha256Hex(deviceId);
  return {
    deviceId,
    name: seed.name,
    arn: arn(rt.options.region, rt.options.accountId, "device", deviceId),
    description: seed.description,
    type: seed.type ?? "PANORAMA_APPLIANCE",
    brand: seed.brand ?? "AWS_PANORAMA",
    serialNumber: String(parseInt(digest.slice(0, 12), 16))
      .padStart(15, "0")
      .slice(0, 15),
    createdAt,
    lastUpdatedAt: createdAt,
    leaseExpiresAt: createdAt + LEASE_MS,
    provisioningStatus: "SUCCEEDED",
    connectionStatus: "ONLINE",
    aggregatedStatus: "ONLINE",
    currentSoftware: seed.currentSoftware ?? SOFTWARE_VERSION,
    latestSoftware: seed.latestSoftware ?? seed.currentSoftware ?? SOFTWARE_VERSION,
    ipAddress: `192.168.0.${10 + (parseInt(digest.slice(12, 14), 16) % 200)}`,
    hwAddress: digest.slice(14, 26).replace(/(..)(?!$)/g, "$1:"),
    tags: { ...(seed.tags ?? {}) },
    history: [],
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
    DeviceConnectionStatus: connectionStatusAt(rt, d),
    CreatedTime: epochSeconds(d.createdAt),
    ProvisioningStatus: d.provisioningStatus,
    LatestSoftware: d.latestSoftware,
    CurrentSoftware: d.currentSoftware,
    SerialNumber: d.serialNumber,
    Tags: d.tags,
    NetworkingConfiguration: { Ethernet0: { ConnectionType: "DHCP" } },
    CurrentNetworkingStatus: {
      Ethernet0Status: {
        IpAddress: d.ipAddress,
        ConnectionStatus: "CONNECTED",
        HwAddress: d.hwAddress,
      },
      LastUpdatedTime: epochSeconds(d.lastUpdatedAt),
    },
    LeaseExpirationTime: epochSeconds(d.leaseExpiresAt),
    Brand: d.brand,
    LatestDeviceJob: latestDeviceJobView(rt, latestDeviceJob(rt, d.deviceId)),
    DeviceAggregatedStatus: aggregatedStatusAt(rt, d),
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
    DEVICE_AGGREGATED_STATUS: (d) => aggregatedStatusAt(rt, d),
  };
  const devices = Object.values(rt.state.devices)
    .filter((d) => input.NameFilter === undefined || d.name.startsWith(input.NameFilter))
    .filter(
      (d) =>
        input.DeviceAggregatedStatusFilter === undefined ||
        aggregatedStatusAt(rt, d) === input.DeviceAggregatedStatusFilter,
    )
    .sort((a, b) => {
      const x = keyOf[sortBy](a);
      const y = keyOf[sortBy](b);
      return (x < y ? -1 : x > y ? 1 : a.deviceId.localeCompare(b.deviceId)) * direction;
    });
  const page = paginate("ListDevices", devices, (d) => d.deviceId, {
    maxResults: input.MaxResults,
    nextToken: input.NextToken,
  });
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
      LatestDeviceJob: latestDeviceJobView(rt, latestDeviceJob(rt, d.deviceId)),
      DeviceAggregatedStatus: aggregatedStatusAt(rt, d),
    })),
    NextToken: page.nextToken,
  };
}

export function updateDeviceMetadata(
  rt: Runtime,
  input: { DeviceId: string; Description?: string },
) {
  const d = findDevice(rt, input.DeviceId);
  d.description = input.Description;
  d.lastUpdatedAt = rt.clock.now();
  return { DeviceId: d.deviceId };
}

/**
 * ProvisionDevice: a new device waiting for its appliance (AWAITING_PROVISIONING), as the service
 * answers before the appliance has booted with the returned certificates archive. Names are unique
 * in the account (ConflictException), so a lookup by name finds one device.
 */
export function provisionDevice(
  rt: Runtime,
  input: { Name: string; Description?: string; Tags?: Tags },
) {
  const taken = Object.values(rt.state.devices).find((d) => d.name === input.Name);
  if (taken)
    throw conflict(
      "Device",
      taken.deviceId,
      `A device named ${input.Name} already exists (${taken.deviceId}). Device names are unique in an account.`,
      {
        Name: input.Name,
      },
    );
  const d = newDevice(
    rt,
    newId("device"),
    { name: input.Name, description: input.Description, tags: input.Tags },
    rt.clock.now(),
  );
  Object.assign(d, {
    provisioningStatus: "AWAITING_PROVISIONING",
    connectionStatus: "AWAITING_CREDENTIALS",
    aggregatedStatus: "AWAITING_PROVISIONING",
  });
  rt.state.devices[d.deviceId] = d;
  rt.log(`device ${d.deviceId} (${d.name}) AWAITING_PROVISIONING`);
  return {
    DeviceId: d.deviceId,
    Arn: d.arn,
    Status: d.provisioningStatus,
    // Stands for the zip archive of certificates the appliance boots with (a blob: base64 on the wire).
    Certificates: Buffer.from(`Panorama emulator certificates for ${d.deviceId}`).toString(
      "base64",
    ),
    IotThingName: d.deviceId,
  };
}

/** The appliance has booted with its certificates: provisioned and online (control API). */
export function connectDevice(rt: Runtime, d: DeviceRecord): void {
  Object.assign(d, {
    provisioningStatus: "SUCCEEDED",
    connectionStatus: "ONLINE",
    aggregatedStatus: "ONLINE",
    lastUpdatedAt: rt.clock.now(),
  });
}

/** DeleteDevice: refused (409) while application instances other than removed ones are on it. */
export function deleteDevice(rt: Runtime, input: { DeviceId: string }) {
  const d = findDevice(rt, input.DeviceId);
  const live = Object.values(rt.state.applicationInstances).filter(
    (a) => a.deviceId === d.deviceId && a.status !== REMOVED_STATUS,
  );
  if (live.length)
    throw conflict(
      "Device",
      d.deviceId,
      `Device ${d.deviceId} still has application instances (${live.map((a) => `${a.applicationInstanceId} ${a.status}`).join(", ")}). Remove them first.`,
    );
  delete rt.state.devices[d.deviceId];
  rt.log(`device ${d.deviceId} (${d.name}) deleted`);
  return { DeviceId: d.deviceId };
}

/** The failure arranged for this device's deployments, if any. */
export function deviceFault(rt: Runtime, deviceId: string): DeviceFault | undefined {
  return rt.state.devices[deviceId]?.fault;
}
