// A device found by its name (ListDevices NameFilter, then the exact name), looked up once when the
// resource is created: later previews and `pulumi up` make no call while the name stays the same,
// and `pulumi refresh` checks the device still exists (DescribeDevice).
import { DescribeDeviceCommand, ListDevicesCommand, PanoramaClient } from "@aws-sdk/client-panorama";
import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { describeError, errorName, panoramaClient, resolveRegion, applyStackConfig } from "../calls/awsClients";
import { commonOptionFailures, differs, regionChanged, unknownPropertyFailures } from "../lifecycle/inputChecks";
import { providerShim } from "../lifecycle/providerShim";
import { isUnknown } from "../lifecycle/unknowns";

export interface DeviceLookupArgs {
  /** The device's name, exactly (1-255 characters of `[a-zA-Z0-9_-]`). */
  name: pulumi.Input<string>;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
}

export class DeviceLookup extends pulumi.dynamic.Resource {
  declare readonly deviceId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string>;

  constructor(name: string, args: DeviceLookupArgs, opts?: pulumi.CustomResourceOptions) {
    super(deviceLookupProvider, name, { deviceId: undefined, region: undefined, ...args }, opts, "panorama", "DeviceLookup");
  }
}

type Props = Record<string, any>;
const RESOURCE = "DeviceLookup";
const DEVICE_NAME = /^[a-zA-Z0-9\-_]{1,255}$/;

/** The id of the one device with exactly this name; the error lists what there is instead. */
export async function findDeviceByName(client: PanoramaClient, name: string, region: string): Promise<string> {
  const matches: string[] = [];
  const similar: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListDevicesCommand({ NameFilter: name, NextToken: token }));
    for (const d of page.Devices ?? []) (d.Name === name ? matches : similar).push(`${d.Name} (${d.DeviceId})`);
    token = page.NextToken;
  } while (token);
  if (matches.length === 1) return /\((.+)\)$/.exec(matches[0])![1];
  if (matches.length > 1) throw new Error(`devices: several devices in ${region} are named ${name}: ${matches.join(", ")}. Give the device id instead.`);
  throw new Error(
    `devices: no device named ${name} in ${region}${similar.length ? ` (names starting so: ${similar.join(", ")})` : ""}. ` +
      `Check the name (ListDevices), or provision the device, and run \`pulumi up\` again.`,
  );
}

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  applyStackConfig(req.config);
}

export async function check(_olds: Props, news: Props): Promise<dynamic.CheckResult> {
  const failures = [...unknownPropertyFailures(RESOURCE, news, ["name", "region", "deviceId"]), ...commonOptionFailures(news)];
  if (!isUnknown(news.name) && !(typeof news.name === "string" && DEVICE_NAME.test(news.name)))
    failures.push({ property: "name", reason: `name: a device name is 1-255 characters of [a-zA-Z0-9_-] (got ${JSON.stringify(news.name)})` });
  return { inputs: { ...news }, failures };
}

export async function diff(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  const replaces = differs(olds.name, news.name) ? ["name"] : [];
  if (regionChanged(olds.region, news.region)) replaces.push("region");
  const updates = olds.__provider !== news.__provider ? ["__provider"] : [];
  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
}

export async function create(inputs: Props): Promise<dynamic.CreateResult> {
  const region = resolveRegion(inputs.region);
  let deviceId: string;
  try {
    deviceId = await findDeviceByName(panoramaClient(region), inputs.name, region);
  } catch (e) {
    throw new Error(e instanceof Error && e.message.startsWith("devices:") ? e.message : `devices: could not look up device ${inputs.name}: ${describeError(e)}`);
  }
  return { id: deviceId, outs: { ...inputs, deviceId, region } };
}

export async function update(_id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  return { outs: { ...olds, ...news, deviceId: olds.deviceId, region: olds.region } };
}

export async function read(id: string, props: Props): Promise<dynamic.ReadResult> {
  const region = props.region ?? resolveRegion(undefined);
  try {
    const d = await panoramaClient(region).send(new DescribeDeviceCommand({ DeviceId: id }));
    return { id, props: { ...props, name: d.Name, deviceId: id } };
  } catch (e) {
    if (errorName(e) === "ResourceNotFoundException") return {};
    throw new Error(`Could not refresh device ${id} (${props.name}) in ${region}: ${describeError(e)}`);
  }
}

export async function forget(): Promise<void> {}

/** The serialized provider; see providerShim.ts. */
export const deviceLookupProvider = providerShim("pulumi-panorama/dist/provider/components/deviceLookup.js", "forget");
