import * as assert from "assert";
import { DescribeDeviceCommand, ListDevicesCommand, ListDevicesCommandInput, TagResourceCommand, UpdateDeviceMetadataCommand } from "@aws-sdk/client-panorama";
import { rejects, startTestEmulator, stopTestEmulator, TestContext } from "./helpers";

describe("emulator: devices", () => {
  describe("the default seed", () => {
    let ctx: TestContext;
    before(async () => (ctx = await startTestEmulator()));
    after(() => stopTestEmulator(ctx));

    it("has one provisioned, online device with a stable id", async () => {
      const list = await ctx.panorama.send(new ListDevicesCommand({}));
      assert.strictEqual(list.Devices!.length, 1);
      const d = list.Devices![0];
      assert.match(d.DeviceId!, /^device-[a-z2-7]{26}$/);
      assert.strictEqual(d.Name, "emulator-device");
      assert.strictEqual(d.ProvisioningStatus, "SUCCEEDED");
      assert.strictEqual(d.DeviceAggregatedStatus, "ONLINE");
      assert.ok(d.CreatedTime instanceof Date && d.LeaseExpirationTime instanceof Date);
      ctx.emu.control.reset();
      assert.strictEqual((await ctx.panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId, d.DeviceId);
    });

    it("DescribeDevice returns the full record; unknown ids are ResourceNotFoundException", async () => {
      const id = (await ctx.panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
      const d = await ctx.panorama.send(new DescribeDeviceCommand({ DeviceId: id }));
      assert.strictEqual(d.Arn, `arn:aws:panorama:us-east-1:123456789012:device/${id}`);
      assert.strictEqual(d.DeviceConnectionStatus, "ONLINE");
      assert.strictEqual(d.Type, "PANORAMA_APPLIANCE");
      assert.strictEqual(d.Brand, "AWS_PANORAMA");
      assert.match(d.SerialNumber!, /^[0-9]{1,20}$/);
      assert.strictEqual(d.CurrentNetworkingStatus!.Ethernet0Status!.ConnectionStatus, "CONNECTED");
      assert.ok(d.CurrentNetworkingStatus!.LastUpdatedTime instanceof Date);
      const e = await rejects(ctx.panorama.send(new DescribeDeviceCommand({ DeviceId: "device-nope" })), "ResourceNotFoundException");
      assert.strictEqual(e.ResourceType, "Device");
      assert.strictEqual(e.ResourceId, "device-nope");
    });

    it("UpdateDeviceMetadata and TagResource change the device", async () => {
      const d = (await ctx.panorama.send(new ListDevicesCommand({}))).Devices![0];
      await ctx.panorama.send(new UpdateDeviceMetadataCommand({ DeviceId: d.DeviceId, Description: "lobby camera box" }));
      await ctx.panorama.send(new TagResourceCommand({ ResourceArn: `arn:aws:panorama:us-east-1:123456789012:device/${d.DeviceId}`, Tags: { site: "hq" } }));
      const after = await ctx.panorama.send(new DescribeDeviceCommand({ DeviceId: d.DeviceId }));
      assert.strictEqual(after.Description, "lobby camera box");
      assert.deepStrictEqual(after.Tags, { site: "hq" });
    });
  });

  describe("custom seeds, filters and sorting", () => {
    let ctx: TestContext;
    before(
      async () =>
        (ctx = await startTestEmulator({
          devices: [
            { name: "warehouse-b", deviceId: "device-fixedid" },
            { name: "lobby", type: "PANORAMA_APPLIANCE_DEVELOPER_KIT" },
            { name: "warehouse-a", brand: "LENOVO", tags: { floor: "1" } },
          ],
        })),
    );
    after(() => stopTestEmulator(ctx));
    const names = async (input: ListDevicesCommandInput) =>
      (await ctx.panorama.send(new ListDevicesCommand(input))).Devices!.map((d) => d.Name);

    it("defaults to CREATED_TIME DESCENDING and honours SortBy/SortOrder", async () => {
      assert.deepStrictEqual(await names({}), ["warehouse-a", "lobby", "warehouse-b"]);
      assert.deepStrictEqual(await names({ SortBy: "NAME", SortOrder: "ASCENDING" }), ["lobby", "warehouse-a", "warehouse-b"]);
      assert.deepStrictEqual(await names({ SortBy: "CREATED_TIME", SortOrder: "ASCENDING" }), ["warehouse-b", "lobby", "warehouse-a"]);
    });

    it("NameFilter is a prefix match; DeviceAggregatedStatusFilter filters", async () => {
      assert.deepStrictEqual(await names({ NameFilter: "ware", SortBy: "NAME", SortOrder: "ASCENDING" }), ["warehouse-a", "warehouse-b"]);
      assert.deepStrictEqual(await names({ DeviceAggregatedStatusFilter: "OFFLINE" }), []);
      assert.strictEqual((await names({ DeviceAggregatedStatusFilter: "ONLINE" })).length, 3);
    });

    it("pages with MaxResults/NextToken and uses the given device id", async () => {
      const first = await ctx.panorama.send(new ListDevicesCommand({ MaxResults: 2 }));
      assert.strictEqual(first.Devices!.length, 2);
      const rest = await ctx.panorama.send(new ListDevicesCommand({ MaxResults: 2, NextToken: first.NextToken }));
      assert.deepStrictEqual(rest.Devices!.map((d) => d.DeviceId), ["device-fixedid"]);
      assert.strictEqual(rest.NextToken, undefined);
      const e = await rejects(ctx.panorama.send(new ListDevicesCommand({ SortBy: "COLOUR" as any })), "ValidationException");
      assert.strictEqual(e.Fields[0].Name, "SortBy");
    });
  });
});
