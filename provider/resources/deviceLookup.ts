// A device found by its name (ListDevices NameFilter, then the exact name), looked up once when the
// resource is created: later previews and `pulumi up` make no call while the name stays the same,
// and `pulumi refresh` checks the device still exists (DescribeDevice).
import {
  DescribeDeviceCommand,
  DescribeDeviceResponse,
  ListDevicesCommand,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import * as pulumi from "@pulumi/pulumi";
import { describeError } from "../calls/awsClients";
import { describeOrUndefined } from "../lifecycle/notFound";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { resourceProvider } from "../lifecycle/resourceProvider";
import { ResourceSpec } from "../lifecycle/resourceSpec";
import { isUnknown } from "../lifecycle/unknowns";

export interface DeviceLookupArgs {
  /** The device's name, exactly (1-255 characters of `[a-zA-Z0-9_-]`). */
  name: pulumi.Input<string>;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
}

/**
 * A device found by its exact name, once at create; later previews and updates make no call while
 * the name stays the same, and refresh checks the device still exists.
 */
export class DeviceLookup extends PanoramaResource {
  /** The id of the one device with this name. */
  declare readonly deviceId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string>;

  constructor(name: string, args: DeviceLookupArgs, opts?: pulumi.CustomResourceOptions) {
    super(SPEC, name, { ...args }, opts);
  }
}

const SPEC: ResourceSpec = {
  type: "DeviceLookup",
  parameters: ["name"],
  options: {},
  outputs: ["deviceId"],
};
const DEVICE_NAME = /^[a-zA-Z0-9\-_]{1,255}$/;

/** How long a lookup waits for others to join it, so that a fleet's lookups share one listing. */
export const LOOKUP_GATHER_MS = 50;
/** The largest page ListDevices returns. */
const LIST_PAGE_SIZE = 25;

type ListedDevice = { Name?: string; DeviceId?: string };
/** Lookups of one client (account and region) gathering for one listing. */
const gatherings = new WeakMap<
  PanoramaClient,
  { names: number; devices: Promise<ListedDevice[]> }
>();

/**
 * The devices one lookup chooses from. A lookup alone lists the devices whose names start with
 * its name (NameFilter); lookups made together (a fleet's, all declared at once) share one listing
 * of the account's devices instead of one request each: 50 lookups were 12 s of the request
 * budget before the canary could start.
 */
function candidates(client: PanoramaClient, name: string): Promise<ListedDevice[]> {
  let g = gatherings.get(client);
  if (!g) {
    const gathering = { names: 0, devices: undefined as unknown as Promise<ListedDevice[]> };
    gathering.devices = new Promise<void>((r) => setTimeout(r, LOOKUP_GATHER_MS)).then(() => {
      gatherings.delete(client);
      return listDevices(client, gathering.names === 1 ? name : undefined);
    });
    gatherings.set(client, (g = gathering));
  }
  g.names++;
  return g.devices;
}

async function listDevices(
  client: PanoramaClient,
  nameFilter: string | undefined,
): Promise<ListedDevice[]> {
  const all: ListedDevice[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListDevicesCommand({
        NameFilter: nameFilter,
        NextToken: token,
        MaxResults: nameFilter === undefined ? LIST_PAGE_SIZE : undefined,
      }),
    );
    all.push(...(page.Devices ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

/** The id of the one device with exactly this name; the error lists what there is instead. */
export async function findDeviceByName(
  client: PanoramaClient,
  name: string,
  region: string,
): Promise<string> {
  const matches: string[] = [];
  const similar: string[] = [];
  for (const d of await candidates(client, name))
    if (d.Name === name) matches.push(`${d.Name} (${d.DeviceId})`);
    else if (d.Name?.startsWith(name)) similar.push(`${d.Name} (${d.DeviceId})`);
  if (matches.length === 1) return /\((.+)\)$/.exec(matches[0])![1];
  if (matches.length > 1)
    throw new Error(
      `devices: several devices in ${region} are named ${name}: ${matches.join(", ")}. Give the device id instead.`,
    );
  throw new Error(
    `devices: no device named ${name} in ${region}${similar.length ? ` (names starting so: ${similar.join(", ")})` : ""}. ` +
      `Check the name (ListDevices), or provision the device, and run \`pulumi up\` again.`,
  );
}

/** Found once at create; refresh checks the device still exists; delete only forgets it. */
export const deviceLookupImplementation = resourceProvider<DescribeDeviceResponse>(SPEC, {
  noun: "device",
  label: (p) => `DeviceLookup ${p.name}`,
  check: (inputs) =>
    isUnknown(inputs.name) || (typeof inputs.name === "string" && DEVICE_NAME.test(inputs.name))
      ? []
      : [
          {
            property: "name",
            reason: `name: a device name is 1-255 characters of [a-zA-Z0-9_-] (got ${JSON.stringify(inputs.name)})`,
          },
        ],
  async start(call, inputs, base) {
    try {
      const deviceId = await findDeviceByName(call.client, inputs.name, call.region);
      return { id: deviceId, outs: { ...base, deviceId } };
    } catch (e) {
      throw new Error(
        e instanceof Error && e.message.startsWith("devices:")
          ? e.message
          : `devices: could not look up device ${inputs.name}: ${describeError(e)}`,
      );
    }
  },
  describe: (call, id) =>
    describeOrUndefined(() => call.client.send(new DescribeDeviceCommand({ DeviceId: id }))),
  merge: (outs, d) => ({
    ...outs,
    name: d.Name ?? outs.name,
    deviceId: d.DeviceId ?? outs.deviceId,
  }),
});
