import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  CreateApplicationInstanceCommand,
  CreateJobForDevicesCommand,
  CreateJobForDevicesCommandInput,
  DescribeApplicationInstanceCommand,
  DescribeDeviceCommand,
  DescribeDeviceJobCommand,
  ListApplicationInstanceNodeInstancesCommand,
  ListDevicesCommand,
  ListDevicesJobsCommand,
} from "@aws-sdk/client-panorama";
import {
  controlRequest,
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import { graphManifest, importPackage } from "../support/packageFixtures";
import { parseCliOptions } from "../../emulator/cliOptions";
import { resolveOptions } from "../../emulator/options";

describe("emulator: device jobs (OTA and REBOOT)", () => {
  let ctx: EmulatorFixture;
  let ids: string[];
  before(async () => {
    ctx = await startTestEmulator({
      devices: [
        { name: "behind", currentSoftware: "6.2.1", latestSoftware: "6.3.0" },
        { name: "current" },
      ],
    });
    const { Devices } = await ctx.panorama.send(
      new ListDevicesCommand({ SortBy: "NAME", SortOrder: "ASCENDING" }),
    );
    ids = Devices!.map((d) => d.DeviceId!);
  });
  after(() => stopTestEmulator(ctx));
  beforeEach(() => ctx.emu.control.reset());

  const ota = (DeviceId: string, ImageVersion: string, extra = {}) =>
    ctx.panorama.send(
      new CreateJobForDevicesCommand({
        DeviceIds: [DeviceId],
        JobType: "OTA",
        DeviceJobConfig: { OTAJobConfig: { ImageVersion, ...extra } },
      }),
    );
  const reboot = (DeviceId: string) =>
    ctx.panorama.send(new CreateJobForDevicesCommand({ DeviceIds: [DeviceId], JobType: "REBOOT" }));
  const device = (DeviceId: string) => ctx.panorama.send(new DescribeDeviceCommand({ DeviceId }));
  const jobStatus = async (JobId: string) =>
    (await ctx.panorama.send(new DescribeDeviceJobCommand({ JobId }))).Status;

  it("an OTA walks its steps on the clock and installs the image: CurrentSoftware in DescribeDevice and ListDevices", async () => {
    const [behind] = ids;
    let d = await device(behind);
    assert.strictEqual(d.CurrentSoftware, "6.2.1");
    assert.strictEqual(d.LatestSoftware, "6.3.0");
    assert.strictEqual(d.DeviceAggregatedStatus, "UPDATE_NEEDED");
    assert.strictEqual(d.LatestDeviceJob, undefined);

    const { Jobs } = await ota(behind, "6.3.0");
    assert.deepStrictEqual(Jobs, [{ JobId: `${behind}-0`, DeviceId: behind }]);
    const jobId = Jobs![0].JobId!;
    const seen: string[] = [];
    for (let t = 0; t < 5; t++) {
      seen.push((await jobStatus(jobId))!);
      if (t === 4) {
        d = await device(behind);
        assert.strictEqual(d.DeviceConnectionStatus, "OFFLINE");
        assert.strictEqual(d.DeviceAggregatedStatus, "REBOOTING");
        assert.deepStrictEqual(d.LatestDeviceJob, {
          ImageVersion: "6.3.0",
          Status: "REBOOTING",
          JobType: "OTA",
        });
      }
      ctx.emu.control.advanceClock(1000);
    }
    assert.deepStrictEqual(seen, [
      "PENDING",
      "IN_PROGRESS",
      "DOWNLOADING",
      "VERIFYING",
      "REBOOTING",
    ]);
    assert.strictEqual(await jobStatus(jobId), "COMPLETED");
    d = await device(behind);
    assert.strictEqual(d.CurrentSoftware, "6.3.0");
    assert.strictEqual(d.DeviceConnectionStatus, "ONLINE");
    assert.strictEqual(d.DeviceAggregatedStatus, "ONLINE");
    assert.deepStrictEqual(d.LatestDeviceJob, {
      ImageVersion: "6.3.0",
      Status: "COMPLETED",
      JobType: "OTA",
    });
    const listed = (await ctx.panorama.send(new ListDevicesCommand({}))).Devices!.find(
      (x) => x.DeviceId === behind,
    )!;
    assert.strictEqual(listed.CurrentSoftware, "6.3.0");
    assert.strictEqual(listed.LatestDeviceJob!.Status, "COMPLETED");

    const job = await ctx.panorama.send(new DescribeDeviceJobCommand({ JobId: jobId }));
    assert.strictEqual(job.DeviceName, "behind");
    assert.strictEqual(job.DeviceArn, d.Arn);
    assert.strictEqual(job.DeviceType, "PANORAMA_APPLIANCE");
    assert.strictEqual(job.ImageVersion, "6.3.0");
    assert.strictEqual(job.JobType, "OTA");
    assert.ok(job.CreatedTime instanceof Date);
    // The per-device counter names the next job.
    assert.strictEqual((await reboot(behind)).Jobs![0].JobId, `${behind}-1`);
  });

  it("a REBOOT takes the device offline for a while; its running application reports NOT_AVAILABLE, then runs again", async () => {
    const deviceId = ids[1];
    await importPackage(ctx, "SAMPLE_CODE");
    const { ApplicationInstanceId } = await ctx.panorama.send(
      new CreateApplicationInstanceCommand({
        ManifestPayload: { PayloadData: graphManifest("123456789012", [{ name: "SAMPLE_CODE" }]) },
        DefaultRuntimeContextDevice: deviceId,
      }),
    );
    ctx.emu.control.advanceClock(2000);
    const app = async () => {
      const a = await ctx.panorama.send(
        new DescribeApplicationInstanceCommand({ ApplicationInstanceId }),
      );
      const n = await ctx.panorama.send(
        new ListApplicationInstanceNodeInstancesCommand({ ApplicationInstanceId }),
      );
      return [a.Status, a.HealthStatus, ...new Set(n.NodeInstances!.map((x) => x.CurrentStatus))];
    };
    assert.deepStrictEqual(await app(), ["DEPLOYMENT_SUCCEEDED", "RUNNING", "RUNNING"]);
    const jobId = (await reboot(deviceId)).Jobs![0].JobId!;
    assert.strictEqual(await jobStatus(jobId), "PENDING");
    assert.strictEqual((await device(deviceId)).DeviceConnectionStatus, "ONLINE");
    ctx.emu.control.advanceClock(1000);
    assert.strictEqual(await jobStatus(jobId), "REBOOTING");
    const d = await device(deviceId);
    assert.strictEqual(d.DeviceConnectionStatus, "OFFLINE");
    assert.strictEqual(d.DeviceAggregatedStatus, "REBOOTING");
    assert.deepStrictEqual(await app(), ["DEPLOYMENT_SUCCEEDED", "NOT_AVAILABLE", "NOT_AVAILABLE"]);
    ctx.emu.control.advanceClock(1000);
    assert.strictEqual(await jobStatus(jobId), "COMPLETED");
    assert.strictEqual((await device(deviceId)).DeviceConnectionStatus, "ONLINE");
    assert.strictEqual((await device(deviceId)).CurrentSoftware, "6.2.1");
    assert.deepStrictEqual(await app(), ["DEPLOYMENT_SUCCEEDED", "RUNNING", "RUNNING"]);
  });

  describe("bad input is refused naming the member, and no job is stored", () => {
    const cases: [string, () => CreateJobForDevicesCommandInput, string, string][] = [
      [
        "no device",
        () => ({ DeviceIds: [], JobType: "REBOOT" }),
        "ValidationException",
        "DeviceIds",
      ],
      [
        "two devices (the API takes one per job)",
        () => ({ DeviceIds: ids, JobType: "REBOOT" }),
        "ValidationException",
        "DeviceIds",
      ],
      [
        "a device id that breaks the pattern",
        () => ({ DeviceIds: ["device one"], JobType: "REBOOT" }),
        "ValidationException",
        "DeviceIds[0]",
      ],
      [
        "an unknown job type",
        () => ({ DeviceIds: [ids[0]], JobType: "RESET" as any }),
        "ValidationException",
        "JobType",
      ],
      [
        "an OTA without OTAJobConfig",
        () => ({ DeviceIds: [ids[0]], JobType: "OTA" }),
        "ValidationException",
        "DeviceJobConfig.OTAJobConfig",
      ],
      [
        "an OTA without ImageVersion",
        () => ({
          DeviceIds: [ids[0]],
          JobType: "OTA",
          DeviceJobConfig: { OTAJobConfig: {} as any },
        }),
        "ValidationException",
        "DeviceJobConfig.OTAJobConfig.ImageVersion",
      ],
      [
        "an ImageVersion that is not a software version",
        () => ({
          DeviceIds: [ids[0]],
          JobType: "OTA",
          DeviceJobConfig: { OTAJobConfig: { ImageVersion: "latest" } },
        }),
        "ValidationException",
        "DeviceJobConfig.OTAJobConfig.ImageVersion",
      ],
      [
        "a major version update without AllowMajorVersionUpdate",
        () => ({
          DeviceIds: [ids[0]],
          JobType: "OTA",
          DeviceJobConfig: { OTAJobConfig: { ImageVersion: "7.0.11" } },
        }),
        "ValidationException",
        "DeviceJobConfig.OTAJobConfig.AllowMajorVersionUpdate",
      ],
      [
        "a REBOOT with an OTA configuration",
        () => ({
          DeviceIds: [ids[0]],
          JobType: "REBOOT",
          DeviceJobConfig: { OTAJobConfig: { ImageVersion: "6.3.0" } },
        }),
        "ValidationException",
        "DeviceJobConfig",
      ],
      [
        "an unknown device",
        () => ({ DeviceIds: ["device-nope"], JobType: "REBOOT" }),
        "ResourceNotFoundException",
        "",
      ],
    ];
    for (const [title, input, error, member] of cases)
      it(title, async () => {
        const e = await rejects(ctx.panorama.send(new CreateJobForDevicesCommand(input())), error);
        if (member)
          assert.ok(
            e.Fields.some((f: { Name: string }) => f.Name === member),
            JSON.stringify(e.Fields),
          );
        else assert.strictEqual(e.ResourceId, "device-nope");
        const list = await ctx.panorama.send(new ListDevicesJobsCommand({}));
        assert.deepStrictEqual(list.DeviceJobs, []);
      });
  });

  it("a major version update with AllowMajorVersionUpdate, and a downgrade, are accepted", async () => {
    const up = (await ota(ids[0], "7.0.11", { AllowMajorVersionUpdate: true })).Jobs![0].JobId!;
    ctx.emu.control.advanceClock(5000);
    assert.strictEqual(await jobStatus(up), "COMPLETED");
    const d = await device(ids[0]);
    assert.strictEqual(d.CurrentSoftware, "7.0.11");
    assert.strictEqual(
      d.LatestSoftware,
      "7.0.11",
      "an image newer than the latest becomes the latest",
    );
    const down = (await ota(ids[0], "6.2.1")).Jobs![0].JobId!;
    ctx.emu.control.advanceClock(5000);
    assert.strictEqual(await jobStatus(down), "COMPLETED");
    assert.strictEqual((await device(ids[0])).CurrentSoftware, "6.2.1");
  });

  it("a second job while one runs is a ConflictException; after it ended, fine", async () => {
    const first = (await reboot(ids[0])).Jobs![0].JobId!;
    const e = await rejects(ota(ids[0], "6.3.0"), "ConflictException");
    assert.strictEqual(e.ResourceId, first);
    assert.strictEqual(e.ResourceType, "DeviceJob");
    ctx.emu.control.advanceClock(2000);
    await ota(ids[0], "6.3.0");
  });

  it("ListDevicesJobs lists newest first with finished jobs, filters by DeviceId, pages; unknown ids are ResourceNotFound", async () => {
    const a = (await reboot(ids[0])).Jobs![0].JobId!;
    ctx.emu.control.advanceClock(2000);
    const b = (await reboot(ids[1])).Jobs![0].JobId!;
    const c = (await reboot(ids[0])).Jobs![0].JobId!;
    const all = await ctx.panorama.send(new ListDevicesJobsCommand({}));
    assert.deepStrictEqual(
      all.DeviceJobs!.map((j) => j.JobId),
      [c, b, a],
    );
    assert.deepStrictEqual(Object.keys(all.DeviceJobs![0]).sort(), [
      "CreatedTime",
      "DeviceId",
      "DeviceName",
      "JobId",
      "JobType",
    ]);
    const one = await ctx.panorama.send(
      new ListDevicesJobsCommand({ DeviceId: ids[0], MaxResults: 1 }),
    );
    assert.deepStrictEqual(
      one.DeviceJobs!.map((j) => j.JobId),
      [c],
    );
    const next = await ctx.panorama.send(
      new ListDevicesJobsCommand({ DeviceId: ids[0], MaxResults: 1, NextToken: one.NextToken }),
    );
    assert.deepStrictEqual(
      next.DeviceJobs!.map((j) => j.JobId),
      [a],
    );
    assert.strictEqual(next.NextToken, undefined);
    await rejects(
      ctx.panorama.send(new ListDevicesJobsCommand({ DeviceId: "device-nope" })),
      "ResourceNotFoundException",
    );
    const missing = await rejects(
      ctx.panorama.send(new DescribeDeviceJobCommand({ JobId: "device-nope-0" })),
      "ResourceNotFoundException",
    );
    assert.strictEqual(missing.ResourceType, "DeviceJob");
  });

  it("a device fault fails its jobs when they settle, the software unchanged; the control API completes, fails or sets a job", async () => {
    const faulted = await controlRequest(ctx.emu, "POST", `devices/${ids[0]}/fault`, {
      deviceJob: "FAILED",
      message: "The image did not verify.",
    });
    assert.strictEqual(faulted.status, 200, JSON.stringify(faulted.body));
    const failing = (await ota(ids[0], "6.3.0")).Jobs![0].JobId!;
    ctx.emu.control.advanceClock(3500);
    assert.strictEqual(await jobStatus(failing), "VERIFYING");
    ctx.emu.control.advanceClock(1500);
    assert.strictEqual(await jobStatus(failing), "FAILED");
    assert.strictEqual((await device(ids[0])).CurrentSoftware, "6.2.1");
    assert.strictEqual((await device(ids[0])).LatestDeviceJob!.Status, "FAILED");
    // The other device is not affected.
    const fine = (await ota(ids[1], "6.2.1")).Jobs![0].JobId!;
    const completed = await controlRequest(ctx.emu, "POST", `device-jobs/${fine}/complete`, {});
    assert.strictEqual(completed.body.Status, "COMPLETED");
    assert.strictEqual(
      (await controlRequest(ctx.emu, "POST", `device-jobs/${fine}/complete`, {})).status,
      409,
    );
    await controlRequest(ctx.emu, "DELETE", `devices/${ids[0]}/fault`);
    ctx.emu.control.setTiming({ deviceReboot: { mode: "manual" } });
    const manual = (await reboot(ids[0])).Jobs![0].JobId!;
    ctx.emu.control.advanceClock(600_000);
    assert.strictEqual(await jobStatus(manual), "PENDING");
    const failed = await controlRequest(ctx.emu, "POST", `device-jobs/${manual}/fail`, {});
    assert.strictEqual(failed.body.Status, "FAILED");
    const forced = await controlRequest(ctx.emu, "POST", `device-jobs/${manual}/status`, {
      status: "REBOOTING",
    });
    assert.strictEqual(forced.body.Status, "REBOOTING");
    assert.strictEqual(
      (await controlRequest(ctx.emu, "POST", `device-jobs/${manual}/status`, { status: "DONE" }))
        .status,
      400,
    );
    assert.strictEqual(
      (await controlRequest(ctx.emu, "POST", `devices/${ids[0]}/fault`, { deviceJob: "BROKEN" }))
        .status,
      400,
    );
  });

  it("CreateJobForDevices is limited to 1 request/s when rate limits are on", async () => {
    ctx.emu.control.setRateLimits(true);
    try {
      await reboot(ids[0]);
      const e = await rejects(reboot(ids[1]), "ThrottlingException");
      assert.match(e.message, /1 request\/s for CreateJobForDevices/);
    } finally {
      ctx.emu.control.setRateLimits(false);
    }
  });

  it("a job running at shutdown goes on after a restart from the state file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "panorama-emulator-"));
    const stateFile = path.join(dir, "state.json");
    const seeds = [{ name: "behind", currentSoftware: "6.2.1", latestSoftware: "6.3.0" }];
    try {
      const first = await startTestEmulator({ stateFile, devices: seeds, frozenClock: false });
      const deviceId = (await first.panorama.send(new ListDevicesCommand({}))).Devices![0]
        .DeviceId!;
      first.emu.control.setTiming({ deviceUpdate: { durationMs: 400 } });
      const { Jobs } = await first.panorama.send(
        new CreateJobForDevicesCommand({
          DeviceIds: [deviceId],
          JobType: "OTA",
          DeviceJobConfig: { OTAJobConfig: { ImageVersion: "6.3.0" } },
        }),
      );
      await stopTestEmulator(first);
      const again = await startTestEmulator({ stateFile, devices: seeds, frozenClock: false });
      try {
        const read = () =>
          again.panorama.send(new DescribeDeviceJobCommand({ JobId: Jobs![0].JobId }));
        let job = await read();
        for (const end = Date.now() + 10_000; job.Status !== "COMPLETED" && Date.now() < end;)
          (await new Promise((r) => setTimeout(r, 50)), (job = await read()));
        assert.strictEqual(job.Status, "COMPLETED");
        const d = await again.panorama.send(new DescribeDeviceCommand({ DeviceId: deviceId }));
        assert.strictEqual(d.CurrentSoftware, "6.3.0");
        // The per-device counter survives too.
        const next = await again.panorama.send(
          new CreateJobForDevicesCommand({ DeviceIds: [deviceId], JobType: "REBOOT" }),
        );
        assert.strictEqual(next.Jobs![0].JobId, `${deviceId}-1`);
      } finally {
        await stopTestEmulator(again);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("seeds say which software a device runs and is offered; the CLI's --device takes them; bad versions are refused", () => {
    const options = parseCliOptions(
      ["--device", "lobby,software=5.1.0,latest=6.2.1"],
      () => {},
      {},
    );
    assert.ok(typeof options === "object");
    assert.deepStrictEqual(options.devices, [
      { name: "lobby", currentSoftware: "5.1.0", latestSoftware: "6.2.1" },
    ]);
    assert.throws(
      () => resolveOptions({ devices: [{ name: "lobby", currentSoftware: "latest" }] }),
      /device lobby: currentSoftware must be a version like 6\.2\.1/,
    );
  });
});
