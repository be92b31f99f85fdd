// DeviceJob through the real Pulumi CLI and engine (Automation API, file:// backend) against the
// emulator: an OTA on two devices, one of them failed through the emulator's control API. The up
// fails naming that device and its state, the other device's job is kept; refresh, the next up
// after the cause is gone, destroy (jobs are only forgotten).
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  DescribeDeviceCommand,
  DescribeDeviceJobCommand,
  ListDevicesCommand,
} from "@aws-sdk/client-panorama";
import { DeviceJob } from "pulumi-panorama";
import {
  CLI_BUILD_TIMEOUT_MS,
  engineCli,
  inlineStack,
  StateResource,
  stackState,
  withStack,
} from "../support/engine";
import { controlRequest, emulatorControl, useEmulator } from "../support/emulatorFixture";

const TYPE = "pulumi-nodejs:dynamic/panorama:DeviceJob";

describe("DeviceJob through the real Pulumi engine", function () {
  this.timeout(180_000);
  const fx = useEmulator({
    devices: [
      { name: "lobby", currentSoftware: "6.2.1", latestSoftware: "6.3.0" },
      { name: "dock", currentSoftware: "6.2.1", latestSoftware: "6.3.0" },
    ],
  });
  const device: Record<string, string> = {};

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
  });
  beforeEach(async () => {
    await emulatorControl(fx().emu, "POST", "reset");
    await emulatorControl(fx().emu, "POST", "timing", {
      deviceUpdate: { mode: "timed", durationMs: 1000 },
    });
    const { Devices } = await fx().panorama.send(new ListDevicesCommand({}));
    for (const d of Devices!) device[d.Name!] = d.DeviceId!;
  });

  const otaStack = () =>
    inlineStack({
      projectName: "panorama-device-jobs",
      env: fx().env,
      config: { lobby: device.lobby, dock: device.dock },
      program: async () => {
        const config = new pulumi.Config();
        const jobs = ["lobby", "dock"].map(
          (name) =>
            new DeviceJob(`ota-${name}`, {
              deviceId: config.require(name),
              jobType: "OTA",
              imageVersion: "6.3.0",
              waitOptions: { minDelaySeconds: 0.2, maxDelaySeconds: 0.5 },
            }),
        );
        return { jobIds: jobs.map((j) => j.jobId) };
      },
    });
  const jobsIn = async (s: Parameters<typeof stackState>[0]) => {
    const byDevice: Record<string, StateResource> = {};
    for (const r of (await stackState(s)).resources)
      if (r.type === TYPE) byDevice[r.outputs!.deviceName ?? r.outputs!.deviceId] = r;
    return byDevice;
  };
  const software = async (name: string) =>
    (await fx().panorama.send(new DescribeDeviceCommand({ DeviceId: device[name] })))
      .CurrentSoftware;

  it("an OTA on two devices, one FAILED: the up names it and its state, the other's job is kept; refresh, up again, destroy", async () => {
    await emulatorControl(fx().emu, "POST", `devices/${device.dock}/fault`, {
      deviceJob: "FAILED",
      message: "The image did not verify",
    });
    await withStack(otaStack(), async (s) => {
      const failed = await s.stack.up().then(
        () => assert.fail("the up succeeded"),
        (e) => String(e),
      );
      assert.match(
        failed,
        new RegExp(
          `Device job ${device.dock}-0 \\(OTA to 6\\.3\\.0 on device dock \\(${device.dock}\\)\\) is FAILED`,
        ),
      );
      assert.match(failed, /run `pulumi up` again/);
      assert.ok(!failed.includes(`${device.lobby}-0 (`), "the lobby's job is not named as failed");

      let jobs = await jobsIn(s);
      assert.deepStrictEqual(
        [jobs.lobby.id, jobs.lobby.outputs!.status, jobs.lobby.outputs!.currentSoftware],
        [`${device.lobby}-0`, "COMPLETED", "6.3.0"],
        "the other device's result is kept",
      );
      assert.deepStrictEqual(
        [jobs.dock.id, jobs.dock.outputs!.status],
        [`${device.dock}-0`, "FAILED"],
      );
      assert.deepStrictEqual([await software("lobby"), await software("dock")], ["6.3.0", "6.2.1"]);

      // Refresh reads both jobs again (DescribeDeviceJob) and keeps what they say.
      await s.stack.refresh();
      jobs = await jobsIn(s);
      assert.deepStrictEqual(
        [jobs.lobby.outputs!.status, jobs.dock.outputs!.status],
        ["COMPLETED", "FAILED"],
      );

      // The preview shows the failed job replaced and the completed one left alone.
      const preview = await s.stack.preview();
      assert.deepStrictEqual(preview.changeSummary, { same: 2, replace: 1 });

      const cleared = await controlRequest(fx().emu, "DELETE", `devices/${device.dock}/fault`);
      assert.strictEqual(cleared.status, 200);
      const again = await s.stack.up();
      assert.strictEqual(again.summary.resourceChanges?.replace, 1);
      jobs = await jobsIn(s);
      assert.deepStrictEqual(
        [jobs.dock.id, jobs.dock.outputs!.status, jobs.dock.outputs!.currentSoftware],
        [`${device.dock}-1`, "COMPLETED", "6.3.0"],
      );
      assert.strictEqual(jobs.lobby.id, `${device.lobby}-0`, "the completed job is not run again");

      await emulatorControl(fx().emu, "POST", "requests/reset");
      const unchanged = await s.stack.preview();
      assert.deepStrictEqual(unchanged.changeSummary, { same: 3 });
      const counts = await emulatorControl(fx().emu, "GET", "requests");
      const calls = Object.keys(counts.byOperation).filter((k) => k.startsWith("panorama:"));
      assert.deepStrictEqual(calls, [], "a no-change preview makes no Panorama call");

      const destroyed = await s.stack.destroy();
      assert.strictEqual(destroyed.summary.resourceChanges?.delete, 3);
      // Device jobs cannot be deleted: destroy forgets them, and the devices keep their software.
      for (const id of [`${device.lobby}-0`, `${device.dock}-1`])
        assert.strictEqual(
          (await fx().panorama.send(new DescribeDeviceJobCommand({ JobId: id }))).Status,
          "COMPLETED",
        );
      assert.deepStrictEqual([await software("lobby"), await software("dock")], ["6.3.0", "6.3.0"]);
    });
  });
});
