import * as assert from "assert";
import {
  CreateApplicationInstanceCommand,
  DeleteDeviceCommand,
  DescribeApplicationInstanceCommand,
  DescribeDeviceCommand,
  ListDevicesCommand,
  ListDevicesCommandInput,
  ProvisionDeviceCommand,
  RemoveApplicationInstanceCommand,
  TagResourceCommand,
  UpdateDeviceMetadataCommand,
} from "@aws-sdk/client-panorama";
import { parseCliOptions } from "../../emulator/cliOptions";
import { resolveOptions } from "../../emulator/options";
import {
  controlRequest,
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import { graphManifest, importPackage } from "../support/packageFixtures";

describe("emulator: devices", () => {
  describe("the default seed", () => {
    let ctx: EmulatorFixture;
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
      assert.strictEqual(
        (await ctx.panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId,
        d.DeviceId,
      );
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
      const e = await rejects(
        ctx.panorama.send(new DescribeDeviceCommand({ DeviceId: "device-nope" })),
        "ResourceNotFoundException",
      );
      assert.strictEqual(e.ResourceType, "Device");
      assert.strictEqual(e.ResourceId, "device-nope");
    });

    it("UpdateDeviceMetadata and TagResource change the device", async () => {
      const d = (await ctx.panorama.send(new ListDevicesCommand({}))).Devices![0];
      await ctx.panorama.send(
        new UpdateDeviceMetadataCommand({ DeviceId: d.DeviceId, Description: "lobby camera box" }),
      );
      await ctx.panorama.send(
        new TagResourceCommand({
          ResourceArn: `arn:aws:panorama:us-east-1:123456789012:device/${d.DeviceId}`,
          Tags: { site: "hq" },
        }),
      );
      const after = await ctx.panorama.send(new DescribeDeviceCommand({ DeviceId: d.DeviceId }));
      assert.strictEqual(after.Description, "lobby camera box");
      assert.deepStrictEqual(after.Tags, { site: "hq" });
    });
  });

  describe("custom seeds, filters and sorting", () => {
    let ctx: EmulatorFixture;
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
      assert.deepStrictEqual(await names({ SortBy: "NAME", SortOrder: "ASCENDING" }), [
        "lobby",
        "warehouse-a",
        "warehouse-b",
      ]);
      assert.deepStrictEqual(await names({ SortBy: "CREATED_TIME", SortOrder: "ASCENDING" }), [
        "warehouse-b",
        "lobby",
        "warehouse-a",
      ]);
    });

    it("NameFilter is a prefix match; DeviceAggregatedStatusFilter filters", async () => {
      assert.deepStrictEqual(
        await names({ NameFilter: "ware", SortBy: "NAME", SortOrder: "ASCENDING" }),
        ["warehouse-a", "warehouse-b"],
      );
      assert.deepStrictEqual(await names({ DeviceAggregatedStatusFilter: "OFFLINE" }), []);
      assert.strictEqual((await names({ DeviceAggregatedStatusFilter: "ONLINE" })).length, 3);
    });

    it("pages with MaxResults/NextToken and uses the given device id", async () => {
      const first = await ctx.panorama.send(new ListDevicesCommand({ MaxResults: 2 }));
      assert.strictEqual(first.Devices!.length, 2);
      const rest = await ctx.panorama.send(
        new ListDevicesCommand({ MaxResults: 2, NextToken: first.NextToken }),
      );
      assert.deepStrictEqual(
        rest.Devices!.map((d) => d.DeviceId),
        ["device-fixedid"],
      );
      assert.strictEqual(rest.NextToken, undefined);
      const e = await rejects(
        ctx.panorama.send(new ListDevicesCommand({ SortBy: "COLOUR" as any })),
        "ValidationException",
      );
      assert.strictEqual(e.Fields[0].Name, "SortBy");
    });
  });

  describe("a fleet: seeded by count, provisioned and deleted through the API", () => {
    let ctx: EmulatorFixture;
    before(async () => (ctx = await startTestEmulator({ devices: 3 })));
    after(() => stopTestEmulator(ctx));
    beforeEach(() => ctx.emu.control.reset());
    const byName = async (name: string) =>
      (await ctx.panorama.send(new ListDevicesCommand({ NameFilter: name }))).Devices!.find(
        (d) => d.Name === name,
      )!;

    it("the CLI's --devices and --device flags become seeds; bad ones are refused naming the flag", () => {
      const o = parseCliOptions([
        "--devices",
        "2",
        "--device",
        "lobby,id=device-lobby,description=front door",
        "--device",
        "name=dock",
      ]);
      assert.ok(o !== "help" && o !== "version");
      assert.deepStrictEqual(
        resolveOptions(o).devices.map((d) => [d.name, d.deviceId]),
        [
          ["emulator-device-1", undefined],
          ["emulator-device-2", undefined],
          ["lobby", "device-lobby"],
          ["dock", undefined],
        ],
      );
      assert.throws(
        () => parseCliOptions(["--devices", "two"]),
        /--devices must be a non-negative integer/,
      );
      assert.throws(
        () => parseCliOptions(["--device", "lobby,colour=red"]),
        /--device "lobby,colour=red": unknown field "colour"/,
      );
      assert.throws(
        () => resolveOptions({ devices: [{ name: "a" }, { name: "a" }] }),
        /seeded twice/,
      );
    });

    it("devices: 3 seeds emulator-device-1 … 3, oldest first", async () => {
      const list = await ctx.panorama.send(
        new ListDevicesCommand({ SortBy: "CREATED_TIME", SortOrder: "ASCENDING" }),
      );
      assert.deepStrictEqual(
        list.Devices!.map((d) => d.Name),
        ["emulator-device-1", "emulator-device-2", "emulator-device-3"],
      );
    });

    it("ProvisionDevice answers AWAITING_PROVISIONING with certificates; the appliance connecting makes it ONLINE", async () => {
      const p = await ctx.panorama.send(
        new ProvisionDeviceCommand({
          Name: "dock-camera",
          Description: "loading dock",
          Tags: { site: "hq" },
        }),
      );
      assert.match(p.DeviceId!, /^device-[a-z2-7]{26}$/);
      assert.strictEqual(p.Status, "AWAITING_PROVISIONING");
      assert.strictEqual(p.Arn, `arn:aws:panorama:us-east-1:123456789012:device/${p.DeviceId}`);
      assert.ok(p.Certificates instanceof Uint8Array && p.Certificates.length > 0);
      assert.strictEqual(p.IotThingName, p.DeviceId);
      const waiting = await ctx.panorama.send(
        new ListDevicesCommand({ DeviceAggregatedStatusFilter: "AWAITING_PROVISIONING" }),
      );
      assert.deepStrictEqual(
        waiting.Devices!.map((d) => d.Name),
        ["dock-camera"],
      );
      let d = await ctx.panorama.send(new DescribeDeviceCommand({ DeviceId: p.DeviceId }));
      assert.strictEqual(d.DeviceConnectionStatus, "AWAITING_CREDENTIALS");
      assert.deepStrictEqual(d.Tags, { site: "hq" });

      const connected = await controlRequest(ctx.emu, "POST", `devices/${p.DeviceId}/connect`);
      assert.strictEqual(connected.status, 200);
      d = await ctx.panorama.send(new DescribeDeviceCommand({ DeviceId: p.DeviceId }));
      assert.strictEqual(d.ProvisioningStatus, "SUCCEEDED");
      assert.strictEqual(d.DeviceAggregatedStatus, "ONLINE");
      assert.strictEqual((await byName("dock-camera")).DeviceAggregatedStatus, "ONLINE");
    });

    it("ProvisionDevice refuses a name in use (ConflictException) and an invalid one (ValidationException naming Name)", async () => {
      const e = await rejects(
        ctx.panorama.send(new ProvisionDeviceCommand({ Name: "emulator-device-2" })),
        "ConflictException",
      );
      assert.match(e.message, /already exists/);
      const v = await rejects(
        ctx.panorama.send(new ProvisionDeviceCommand({ Name: "no spaces" })),
        "ValidationException",
      );
      assert.strictEqual(v.Fields[0].Name, "Name");
    });

    it("DeleteDevice refuses while an instance is on it, then deletes; an unknown id is ResourceNotFoundException", async () => {
      await importPackage(ctx, "SAMPLE_CODE");
      const device = await byName("emulator-device-1");
      const { ApplicationInstanceId } = await ctx.panorama.send(
        new CreateApplicationInstanceCommand({
          ManifestPayload: {
            PayloadData: graphManifest("123456789012", [{ name: "SAMPLE_CODE" }]),
          },
          DefaultRuntimeContextDevice: device.DeviceId,
        }),
      );
      const e = await rejects(
        ctx.panorama.send(new DeleteDeviceCommand({ DeviceId: device.DeviceId })),
        "ConflictException",
      );
      assert.match(e.message, new RegExp(`${ApplicationInstanceId}.*Remove them first`));
      ctx.emu.control.advanceClock(1500);
      await ctx.panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId }));
      ctx.emu.control.advanceClock(500);
      assert.deepStrictEqual(
        await ctx.panorama
          .send(new DeleteDeviceCommand({ DeviceId: device.DeviceId }))
          .then((r) => r.DeviceId),
        device.DeviceId,
      );
      await rejects(
        ctx.panorama.send(new DescribeDeviceCommand({ DeviceId: device.DeviceId })),
        "ResourceNotFoundException",
      );
      await rejects(
        ctx.panorama.send(new DeleteDeviceCommand({ DeviceId: device.DeviceId })),
        "ResourceNotFoundException",
      );
      assert.strictEqual((await ctx.panorama.send(new ListDevicesCommand({}))).Devices!.length, 2);
    });

    it("a device fault fails its deployments with the given message, health ERROR makes them unhealthy until it is cleared, and the history shows it", async () => {
      await importPackage(ctx, "SAMPLE_CODE");
      const [one, two] = await Promise.all([
        byName("emulator-device-1"),
        byName("emulator-device-2"),
      ]);
      const deploy = (deviceId: string, replace?: string) =>
        ctx.panorama
          .send(
            new CreateApplicationInstanceCommand({
              ManifestPayload: {
                PayloadData: graphManifest("123456789012", [{ name: "SAMPLE_CODE" }]),
              },
              DefaultRuntimeContextDevice: deviceId,
              ApplicationInstanceIdToReplace: replace,
            }),
          )
          .then((r) => r.ApplicationInstanceId!);
      const describe_ = (id: string) =>
        ctx.panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));

      const first = await deploy(one.DeviceId!);
      ctx.emu.control.advanceClock(1500);
      const set = await controlRequest(ctx.emu, "POST", `devices/${one.DeviceId}/fault`, {
        deployment: "FAILED",
        message: "Camera stream unreachable.",
      });
      assert.deepStrictEqual(set.body.fault, {
        deployment: "FAILED",
        message: "Camera stream unreachable.",
      });
      const second = await deploy(one.DeviceId!, first);
      ctx.emu.control.advanceClock(1500);
      const failed = await describe_(second);
      assert.strictEqual(failed.Status, "DEPLOYMENT_FAILED");
      assert.strictEqual(failed.StatusDescription, "Camera stream unreachable.");
      assert.strictEqual(
        (await describe_(first)).Status,
        "DEPLOYMENT_SUCCEEDED",
        "the replaced instance keeps running",
      );

      assert.strictEqual(
        (await controlRequest(ctx.emu, "DELETE", `devices/${one.DeviceId}/fault`)).body.fault,
        null,
      );
      const third = await deploy(one.DeviceId!, first);
      ctx.emu.control.advanceClock(1500);
      assert.strictEqual((await describe_(third)).Status, "DEPLOYMENT_SUCCEEDED");

      const onTwo = await deploy(two.DeviceId!);
      ctx.emu.control.advanceClock(1500);
      await controlRequest(ctx.emu, "POST", `devices/${two.DeviceId}/fault`, {
        health: "ERROR",
        message: "Model failed to load.",
      });
      const sick = await describe_(onTwo);
      assert.deepStrictEqual(
        [sick.Status, sick.HealthStatus, sick.StatusDescription],
        ["DEPLOYMENT_SUCCEEDED", "ERROR", "Model failed to load."],
      );

      const history = (await controlRequest(ctx.emu, "GET", `devices/${one.DeviceId}/history`)).body
        .history;
      assert.deepStrictEqual(
        history.map((h: any) => [h.applicationInstanceId, h.event]),
        [
          [first, "DEPLOYMENT_STARTED"],
          [first, "DEPLOYMENT_SUCCEEDED"],
          [second, "DEPLOYMENT_STARTED"],
          [second, "DEPLOYMENT_FAILED"],
          [third, "DEPLOYMENT_STARTED"],
          [third, "DEPLOYMENT_SUCCEEDED"],
          [first, "REMOVAL_SUCCEEDED"],
        ],
      );
      assert.ok(history.every((h: any, i: number) => i === 0 || h.at >= history[i - 1].at));
      assert.deepStrictEqual(
        ctx.emu.control.deviceHistory(two.DeviceId!).map((h) => h.event),
        ["DEPLOYMENT_STARTED", "DEPLOYMENT_SUCCEEDED", "HEALTH_ERROR"],
      );

      await controlRequest(ctx.emu, "DELETE", `devices/${two.DeviceId}/fault`);
      const healed = await describe_(onTwo);
      assert.deepStrictEqual(
        [healed.Status, healed.HealthStatus, healed.StatusDescription],
        ["DEPLOYMENT_SUCCEEDED", "RUNNING", "The application is running again."],
        "clearing a health fault makes what runs there RUNNING again",
      );
      assert.strictEqual(
        ctx.emu.control.deviceHistory(two.DeviceId!).at(-1)!.event,
        "HEALTH_RUNNING",
      );
    });

    it("the control API refuses a fault that is not exactly one of deployment FAILED / health ERROR, and unknown devices", async () => {
      const id = (await byName("emulator-device-3")).DeviceId;
      assert.strictEqual(
        (await controlRequest(ctx.emu, "POST", `devices/${id}/fault`, { deployment: "BROKEN" }))
          .status,
        400,
      );
      assert.strictEqual(
        (await controlRequest(ctx.emu, "POST", `devices/${id}/fault`, {})).status,
        400,
      );
      assert.strictEqual(
        (await controlRequest(ctx.emu, "POST", "devices/device-nope/fault", { health: "ERROR" }))
          .status,
        404,
      );
      assert.strictEqual(
        (await controlRequest(ctx.emu, "GET", "devices/device-nope/history")).status,
        404,
      );
    });
  });
});
