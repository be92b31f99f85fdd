// The lookups called directly against the emulator, as a program calls them: the endpoint and
// credentials from the SDK's environment variables (AWS_ENDPOINT_URL_PANORAMA…), results typed and camelCased, and every
// failure a sentence naming what was looked for.
import * as assert from "assert";
import {
  CreateApplicationInstanceCommand,
  CreateJobForDevicesCommand,
  CreatePackageCommand,
} from "@aws-sdk/client-panorama";
import {
  getApplicationInstance,
  getDevice,
  getDeviceOutput,
  getDeviceJob,
  getDeviceJobOutput,
  getDevices,
  getPackage,
  getPackageOutput,
  getPackageVersion,
  getPackageVersionOutput,
} from "../../provider";
import { ensureInputBucket, graphManifest, importPackage } from "../support/packageFixtures";
import { EmulatorFixture, useEmulator } from "../support/emulatorFixture";

const SEEDED = [{ name: "lobby-camera" }, { name: "lobby-camera-2" }, { name: "dock-camera" }];

describe("lookups against the emulator", () => {
  const fx = useEmulator({ devices: SEEDED });
  let ctx: EmulatorFixture;
  before(() => (ctx = fx()));

  describe("devices", () => {
    it("getDevices lists every seeded device, newest first, with ids in the same order", async () => {
      const all = await getDevices();
      assert.deepStrictEqual(
        all.devices.map((d) => d.name),
        ["dock-camera", "lobby-camera-2", "lobby-camera"],
      );
      assert.deepStrictEqual(
        all.ids,
        all.devices.map((d) => d.deviceId),
      );
      assert.strictEqual(all.region, ctx.emu.region);
      assert.strictEqual(all.devices[0].deviceAggregatedStatus, "ONLINE");
      assert.match(all.devices[0].createdTime!, /^\d{4}-\d\d-\d\dT.*Z$/);
    });

    it("getDevices filters by name prefix", async () => {
      const lobby = await getDevices({ nameFilter: "lobby" });
      assert.deepStrictEqual(lobby.devices.map((d) => d.name).sort(), [
        "lobby-camera",
        "lobby-camera-2",
      ]);
    });

    it("getDevice by name matches the exact name, not every name with that prefix", async () => {
      const device = await getDevice({ name: "lobby-camera" });
      assert.strictEqual(device.name, "lobby-camera");
      assert.match(device.deviceId, /^device-/);
      assert.strictEqual(
        device.arn,
        `arn:aws:panorama:${ctx.emu.region}:${ctx.emu.accountId}:device/${device.deviceId}`,
      );
      assert.strictEqual(device.deviceConnectionStatus, "ONLINE");
      assert.strictEqual(device.provisioningStatus, "SUCCEEDED");
    });

    it("getDevice by id returns what getDevice by name returns", async () => {
      const byName = await getDevice({ name: "dock-camera" });
      assert.deepStrictEqual(await getDevice({ deviceId: byName.deviceId }), byName);
    });

    it("getDeviceOutput resolves its arguments first", async () => {
      const { output } = await import("@pulumi/pulumi");
      const device = await promiseOf(
        getDeviceOutput({ name: output(Promise.resolve("dock-camera")) }),
      );
      assert.strictEqual(device.name, "dock-camera");
    });

    it("an unknown name or id fails naming what was looked for", async () => {
      await assert.rejects(
        getDevice({ name: "lobby" }),
        /^UsageError: getDevice: no device named "lobby" in us-east-1 \(names that start with it: lobby-camera-2, lobby-camera\)$/,
      );
      await assert.rejects(
        getDevice({ deviceId: "device-doesnotexist" }),
        /^UsageError: getDevice: no device with id "device-doesnotexist" in us-east-1$/,
      );
    });

    it("bad arguments are refused before any call, naming the argument and the rule", async () => {
      const before = ctx.emu.control.requestCounts();
      await assert.rejects(getDevice({}), /getDevice: set exactly one of `deviceId` or `name`$/);
      await assert.rejects(
        getDevice({ deviceId: "d", name: "n" }),
        /getDevice: set exactly one of `deviceId` or `name` \(got deviceId and name\)$/,
      );
      await assert.rejects(
        getDevice({ deviceId: "device 1" }),
        /getDevice: deviceId: must satisfy regular expression pattern/,
      );
      await assert.rejects(
        getDevices({ deviceAggregatedStatusFilter: "SLEEPING" as never }),
        /getDevices: deviceAggregatedStatusFilter: must satisfy enum value set/,
      );
      assert.deepStrictEqual(ctx.emu.control.requestCounts(), before);
    });

    it("a provider in the options is refused with what to use instead", async () => {
      await assert.rejects(
        getDevices({}, { provider: {} as never }),
        /getDevices: a provider in the options is not used: lookups call Panorama from the program\. Pass `region`/,
      );
    });
  });

  describe("packages, versions and application instances", () => {
    let imported: Awaited<ReturnType<typeof importPackage>>;
    before(async () => {
      await ensureInputBucket(ctx);
      imported = await importPackage(ctx, "LOOKUP_CODE", "1.0", { markLatest: true });
    });

    it("getPackage by name and by id return the same package with its storage location", async () => {
      const byName = await getPackage({ packageName: "LOOKUP_CODE" });
      assert.strictEqual(byName.packageId, imported.Output!.PackageId);
      assert.strictEqual(byName.packageName, "LOOKUP_CODE");
      assert.match(byName.storageLocation.bucket, /./);
      assert.match(byName.createdTime, /Z$/);
      assert.deepStrictEqual(await getPackage({ packageId: byName.packageId }), byName);
      const viaOutput = await promiseOf(
        getPackageOutput({ packageId: Promise.resolve(byName.packageId) }),
      );
      assert.deepStrictEqual(viaOutput, byName);
    });

    it("getPackage of a missing package names it", async () => {
      await assert.rejects(
        getPackage({ packageName: "NO_SUCH_CODE" }),
        /^UsageError: getPackage: no package named "NO_SUCH_CODE" in us-east-1$/,
      );
      await assert.rejects(
        getPackage({ packageId: "package-doesnotexist" }),
        /^UsageError: getPackage: no package with id "package-doesnotexist" in us-east-1$/,
      );
    });

    it("getPackageVersion without a patch returns the latest patch, by package name or id", async () => {
      const latest = await getPackageVersion({ packageName: "LOOKUP_CODE", packageVersion: "1.0" });
      assert.strictEqual(latest.patchVersion, imported.Output!.PatchVersion);
      assert.strictEqual(latest.isLatestPatch, true);
      assert.strictEqual(latest.status, "REGISTER_COMPLETED");
      assert.strictEqual(latest.ownerAccount, ctx.emu.accountId);
      const byId = await promiseOf(
        getPackageVersionOutput({
          packageId: latest.packageId,
          packageVersion: "1.0",
          patchVersion: latest.patchVersion,
        }),
      );
      assert.deepStrictEqual(byId, latest);
    });

    it("getPackageVersion of a missing version or patch names package, version and patch", async () => {
      await assert.rejects(
        getPackageVersion({ packageName: "LOOKUP_CODE", packageVersion: "2.0" }),
        /getPackageVersion: no version 2\.0 with a latest patch of package LOOKUP_CODE in us-east-1$/,
      );
      const patch = "0".repeat(64);
      await assert.rejects(
        getPackageVersion({
          packageName: "LOOKUP_CODE",
          packageVersion: "1.0",
          patchVersion: patch,
        }),
        new RegExp(
          `getPackageVersion: no version 1\\.0 with patch ${patch} of package LOOKUP_CODE in us-east-1$`,
        ),
      );
      await assert.rejects(
        getPackageVersion({ packageName: "NO_SUCH_CODE", packageVersion: "1.0" }),
        /getPackage: no package named "NO_SUCH_CODE"/,
      );
    });

    it("getApplicationInstance returns a deployed instance; an unknown id is named", async () => {
      const device = await getDevice({ name: "lobby-camera" });
      await ctx.panorama.send(new CreatePackageCommand({ PackageName: "UNUSED_LOOKUP_CODE" })); // another package in the account
      const created = await ctx.panorama.send(
        new CreateApplicationInstanceCommand({
          Name: "lookup-app",
          DefaultRuntimeContextDevice: device.deviceId,
          ManifestPayload: {
            PayloadData: graphManifest(ctx.emu.accountId, [
              { name: "LOOKUP_CODE", patchVersion: imported.Output!.PatchVersion },
            ]),
          },
          Tags: { team: "vision" },
        }),
      );
      const app = await getApplicationInstance({
        applicationInstanceId: created.ApplicationInstanceId!,
      });
      assert.strictEqual(app.applicationInstanceId, created.ApplicationInstanceId);
      assert.strictEqual(app.name, "lookup-app");
      assert.strictEqual(app.defaultRuntimeContextDevice, device.deviceId);
      assert.strictEqual(app.defaultRuntimeContextDeviceName, "lobby-camera");
      assert.match(app.status!, /^DEPLOYMENT_/);
      assert.deepStrictEqual(app.tags, { team: "vision" });
      await assert.rejects(
        getApplicationInstance({ applicationInstanceId: "applicationInstance-doesnotexist" }),
        /^UsageError: getApplicationInstance: no application instance with id "applicationInstance-doesnotexist" in us-east-1$/,
      );
    });
  });

  describe("device jobs", () => {
    it("getDeviceJob returns a job by id as DescribeDeviceJob does; an unknown or malformed id is named", async () => {
      const device = await getDevice({ name: "dock-camera" });
      const { Jobs } = await ctx.panorama.send(
        new CreateJobForDevicesCommand({
          DeviceIds: [device.deviceId],
          JobType: "OTA",
          DeviceJobConfig: { OTAJobConfig: { ImageVersion: "6.2.5" } },
        }),
      );
      const jobId = Jobs![0].JobId!;
      const job = await getDeviceJob({ jobId });
      assert.deepStrictEqual(
        [job.jobId, job.jobType, job.imageVersion, job.deviceId, job.deviceName, job.region],
        [jobId, "OTA", "6.2.5", device.deviceId, "dock-camera", ctx.emu.region],
      );
      assert.match(
        job.status!,
        /^(PENDING|IN_PROGRESS|DOWNLOADING|VERIFYING|REBOOTING|COMPLETED)$/,
      );
      assert.match(job.createdTime!, /^\d{4}-\d\d-\d\dT.*Z$/);
      assert.deepStrictEqual(
        await promiseOf(getDeviceJobOutput({ jobId })),
        await getDeviceJob({ jobId }),
      );
      await assert.rejects(
        getDeviceJob({ jobId: `${device.deviceId}-99` }),
        new RegExp(
          `^UsageError: getDeviceJob: no device job with id "${device.deviceId}-99" in us-east-1 \\(list`,
        ),
      );
      await assert.rejects(
        getDeviceJob({ jobId: "" }),
        /^UsageError: getDeviceJob: jobId: must have length/,
      );
    });
  });
});

/** The value of an Output outside a Pulumi program (its arguments are all known here). */
function promiseOf<T>(o: import("@pulumi/pulumi").Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}
