// examples/fleet with a software baseline, through the real Pulumi engine against one emulator
// with three appliances, two of them behind the baseline: each of those gets one OTA job in its
// wave (the canary's first, the batch's only after the canary deployed), and its deployment starts
// only once its job COMPLETED; the device already at the baseline gets no job. OTA jobs are held
// (manual mode) and completed by the test, so the order is seen, not inferred from durations.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  DescribeDeviceCommand,
  ListDevicesCommand,
  ListDevicesJobsCommand,
} from "@aws-sdk/client-panorama";
import { fleet } from "../../examples/fleet/program";
import {
  CLI_BUILD_TIMEOUT_MS,
  cleanup,
  EngineStack,
  engineCli,
  inlineStack,
} from "../support/engine";
import { useEmulator } from "../support/emulatorFixture";

const BASELINE = "6.3.0";
const DEVICES = [
  { name: "lobby", currentSoftware: "6.2.1", latestSoftware: BASELINE },
  { name: "dock", currentSoftware: BASELINE },
  { name: "gate", currentSoftware: "6.2.1", latestSoftware: BASELINE },
];

describe("examples/fleet with a software baseline two of three devices are behind", function () {
  this.timeout(300_000);
  const fx = useEmulator({
    devices: DEVICES,
    timing: {
      importJob: { mode: "timed", durationMs: 300 },
      deployment: { mode: "timed", durationMs: 600 },
      removal: { mode: "timed", durationMs: 300 },
      deviceUpdate: { mode: "manual" },
    },
  });
  let s: EngineStack;
  let projectDir: string;
  const ids: Record<string, string> = {};
  const lobbyJobIds = new Set<string>();

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-software-"));
    fs.cpSync(path.join(__dirname, "../../examples/fleet/project"), projectDir, {
      recursive: true,
    });
    for (const d of (await fx().panorama.send(new ListDevicesCommand({}))).Devices!)
      ids[d.Name!] = d.DeviceId!;
    s = await inlineStack({
      program: async () => fleet(),
      projectName: "panorama-fleet",
      env: fx().env,
      config: {
        projectDir,
        devices: JSON.stringify(DEVICES.map((d) => d.name)),
        maxParallel: "2",
        imageVersion: BASELINE,
      },
    });
  });
  after(async () => {
    if (s) await cleanup(s, { destroy: false });
    fs.rmSync(projectDir, { recursive: true, force: true });
  });

  const jobsOf = async (device: string) =>
    (await fx().panorama.send(new ListDevicesJobsCommand({ DeviceId: ids[device] }))).DeviceJobs ??
    [];
  const deploymentStarted = (device: string) =>
    fx()
      .emu.control.deviceHistory(ids[device])
      .find((e) => e.event === "DEPLOYMENT_STARTED")?.at;
  const deploymentSucceeded = (device: string) =>
    fx()
      .emu.control.deviceHistory(ids[device])
      .find((e) => e.event === "DEPLOYMENT_SUCCEEDED")?.at;
  /** Waits until the device has a job, while `up` runs (it fails the wait if `up` ended). */
  const jobAppears = async (device: string, up: { settled: boolean }) => {
    for (let i = 0; i < 600; i++) {
      const jobs = await jobsOf(device);
      if (jobs.length) return jobs;
      assert.ok(!up.settled, `pulumi up ended before ${device} got an OTA job`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${device} got no OTA job`);
  };

  it("the first `up` updates lobby, then deploys it, then updates gate and deploys it; dock gets no job", async () => {
    const state = { settled: false };
    const up = s.stack.up().finally(() => (state.settled = true));
    up.catch(() => undefined);

    const [lobbyJob] = await jobAppears("lobby", state);
    assert.strictEqual(deploymentStarted("lobby"), undefined, "lobby waits for its OTA");
    assert.deepStrictEqual(await jobsOf("gate"), [], "gate's OTA waits for the canary's wave");
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(deploymentStarted("lobby"), undefined, "still waiting for the OTA");
    const lobbyCompleted = Date.now();
    fx().emu.control.completeDeviceJob(lobbyJob.JobId!);

    const [gateJob] = await jobAppears("gate", state);
    assert.ok(
      deploymentSucceeded("lobby")! <= Date.now(),
      "gate's OTA started only after the canary deployed",
    );
    assert.strictEqual(deploymentStarted("gate"), undefined, "gate waits for its OTA");
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(deploymentStarted("gate"), undefined, "still waiting for the OTA");
    const gateCompleted = Date.now();
    fx().emu.control.completeDeviceJob(gateJob.JobId!);

    const result = await up;
    const deployments = result.outputs.deployments.value as any[];
    for (const d of deployments)
      assert.deepStrictEqual(
        [d.device, d.status, d.healthStatus],
        [d.device, "DEPLOYMENT_SUCCEEDED", "RUNNING"],
      );
    assert.ok(deploymentStarted("lobby")! >= lobbyCompleted, "lobby deployed after its OTA");
    assert.ok(deploymentStarted("gate")! >= gateCompleted, "gate deployed after its OTA");
    assert.deepStrictEqual(await jobsOf("dock"), [], "dock already runs the baseline");
    for (const device of ["lobby", "gate"]) {
      assert.strictEqual((await jobsOf(device)).length, 1, `one OTA job on ${device}`);
      const described = await fx().panorama.send(
        new DescribeDeviceCommand({ DeviceId: ids[device] }),
      );
      assert.strictEqual(described.CurrentSoftware, BASELINE, `${device} runs the baseline`);
    }
  });

  it("an unchanged stack: preview makes no Panorama call and `up` starts no job", async () => {
    fx().emu.control.resetRequestCounts();
    const preview = await s.stack.preview();
    const calls = Object.entries(fx().emu.control.requestCounts().byOperation).filter(([op]) =>
      op.startsWith("panorama:"),
    );
    assert.deepStrictEqual(calls, [], "no Panorama call on preview");
    assert.deepStrictEqual(Object.keys(preview.changeSummary), ["same"]);
    const result = await s.stack.up();
    assert.deepStrictEqual(Object.keys(result.summary.resourceChanges ?? {}), ["same"]);
    for (const device of ["lobby", "gate"])
      assert.strictEqual((await jobsOf(device)).length, 1, `still one job on ${device}`);
    for (const job of await jobsOf("lobby")) lobbyJobIds.add(job.JobId!);
  });

  it("a new baseline whose OTA fails on the canary stops the rollout: the error names the device and the job; the batch gets no job", async () => {
    const historyBefore = Object.fromEntries(
      DEVICES.map((d) => [d.name, fx().emu.control.deviceHistory(ids[d.name]).length]),
    );
    await s.stack.setConfig("imageVersion", { value: "6.4.0" });
    const state = { settled: false };
    const up = s.stack.up().finally(() => (state.settled = true));
    up.catch(() => undefined);
    const lobbyJobs = await (async () => {
      for (let i = 0; i < 600; i++) {
        const jobs = await jobsOf("lobby");
        if (jobs.length === 2) return jobs;
        assert.ok(!state.settled, "pulumi up ended before lobby got its second OTA job");
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail("lobby got no second OTA job");
    })();
    const failing = lobbyJobs.find((j) => j.JobId !== undefined && !lobbyJobIds.has(j.JobId))!;
    fx().emu.control.failDeviceJob(failing.JobId!, "Not enough space for the image.");
    const error = await up.then(
      () => assert.fail("the rollout should have failed"),
      (e) => e,
    );
    assert.match(
      String(error.message),
      new RegExp(
        `Device job ${failing.JobId} \\(OTA to 6\\.4\\.0 on device .*${ids.lobby}.*\\) is FAILED`,
      ),
    );
    for (const device of ["dock", "gate"])
      assert.strictEqual(
        (await jobsOf(device)).length,
        device === "gate" ? 1 : 0,
        `${device} got no new job`,
      );
    for (const d of DEVICES)
      assert.strictEqual(
        fx().emu.control.deviceHistory(ids[d.name]).length,
        historyBefore[d.name],
        `${d.name}'s application was not touched`,
      );
  });

  it("destroy forgets the baselines and removes the application", async () => {
    await s.stack.destroy();
    const described = await fx().panorama.send(new DescribeDeviceCommand({ DeviceId: ids.lobby }));
    assert.strictEqual(described.CurrentSoftware, BASELINE, "the device keeps its software");
  });
});
