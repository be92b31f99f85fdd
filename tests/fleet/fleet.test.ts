// examples/fleet through the real Pulumi engine against one emulator with three appliances, the
// stack walked through its life in order: the first rollout, a no-op (zero Panorama calls on
// preview), an asset change rolled out canary first, a failing canary that stops the rollout, the
// retry after the fix, a device leaving the fleet, destroy. The emulator's per-device history is
// the witness of order and of "never without a running instance".
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  DescribeApplicationInstanceDetailsCommand,
  ListApplicationInstancesCommand,
  ListDevicesCommand,
  ListPackagesCommand,
} from "@aws-sdk/client-panorama";
import { CommandError } from "@pulumi/pulumi/automation";
import type { DeviceEvent } from "../../emulator/state/deviceRecords";
import { fleet } from "../../examples/fleet/program";
import {
  CLI_BUILD_TIMEOUT_MS,
  cleanup,
  EngineStack,
  engineCli,
  inlineStack,
} from "../support/engine";
import { useEmulator } from "../support/emulatorFixture";

const DEVICES = ["lobby", "dock", "gate"];
const CODE = "PEOPLE_COUNTER_CODE";

describe("examples/fleet: a panorama-cli project rolled across three devices", function () {
  this.timeout(300_000);
  const fx = useEmulator({
    devices: DEVICES.map((name) => ({ name })),
    timing: {
      importJob: { mode: "timed", durationMs: 300 },
      deployment: { mode: "timed", durationMs: 600 },
      removal: { mode: "timed", durationMs: 300 },
    },
  });
  let s: EngineStack;
  let projectDir: string;
  const ids: Record<string, string> = {};
  /** The outputs of the last successful `up`. */
  let last: Record<string, any>;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-project-"));
    fs.cpSync(path.join(__dirname, "../../examples/fleet/project"), projectDir, {
      recursive: true,
    });
    for (const d of (await fx().panorama.send(new ListDevicesCommand({}))).Devices!)
      ids[d.Name!] = d.DeviceId!;
    s = await inlineStack({
      program: async () => fleet(),
      projectName: "panorama-fleet",
      env: fx().env,
      config: { projectDir, devices: JSON.stringify(DEVICES), maxParallel: "2" },
    });
  });
  after(async () => {
    if (s) await cleanup(s, { destroy: false });
    fs.rmSync(projectDir, { recursive: true, force: true });
  });

  const history = (device: string): DeviceEvent[] => fx().emu.control.deviceHistory(ids[device]);
  const up = async () => {
    const result = await s.stack.up();
    last = Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value]));
    return result;
  };
  const instanceOf = (device: string) =>
    last.deployments.find((d: any) => d.device === device).applicationInstanceId as string;
  const liveOn = async (device: string) =>
    (await fx().panorama.send(new ListApplicationInstancesCommand({ DeviceId: ids[device] })))
      .ApplicationInstances!.filter((i) => i.Status !== "REMOVAL_SUCCEEDED")
      .map((i) => i.ApplicationInstanceId);
  /** Rewrites the code asset in place: new bytes, so a new name, a new package.json and a new patch. */
  const changeCode = (marker: string) => {
    const pkg = JSON.parse(
      fs.readFileSync(
        path.join(projectDir, "packages", `111122223333-${CODE}-1.0`, "package.json"),
        "utf8",
      ),
    );
    const uri = pkg.nodePackage.assets[0].implementations[0].assetUri;
    fs.appendFileSync(path.join(projectDir, "assets", uri), marker);
  };
  /** When the device's deployment `event` of the given instance happened. */
  const when = (device: string, instance: string, event: DeviceEvent["event"]) => {
    const e = history(device).find(
      (h) => h.applicationInstanceId === instance && h.event === event,
    );
    assert.ok(e, `${device}: no ${event} for ${instance}`);
    return e!.at;
  };
  /** Replays a device's history: after its first success, some instance runs at every moment. */
  const neverWithout = (device: string) => {
    const running = new Set<string>();
    let started = false;
    for (const h of history(device)) {
      if (h.event === "DEPLOYMENT_SUCCEEDED")
        (running.add(h.applicationInstanceId), (started = true));
      if (h.event === "REMOVAL_SUCCEEDED" || h.event === "REMOVAL_STARTED")
        running.delete(h.applicationInstanceId);
      assert.ok(
        !started || running.size > 0,
        `${device} ran nothing after ${h.event} of ${h.applicationInstanceId}`,
      );
    }
  };
  const rolloutOrder = (previous: Record<string, string>) => {
    const canaryDone = when("lobby", instanceOf("lobby"), "DEPLOYMENT_SUCCEEDED");
    for (const device of ["dock", "gate"]) {
      assert.notStrictEqual(instanceOf(device), previous[device], `${device} got a new instance`);
      assert.ok(
        when(device, instanceOf(device), "DEPLOYMENT_STARTED") >= canaryDone,
        `${device} started only after the canary succeeded`,
      );
      assert.ok(
        when(device, instanceOf(device), "DEPLOYMENT_SUCCEEDED") >
          when(device, instanceOf(device), "DEPLOYMENT_STARTED"),
      );
    }
  };

  it("the first `up` imports every package and deploys canary first, then a batch of two, each device with its own camera", async () => {
    await up();
    assert.deepStrictEqual(last.waves, [["lobby"], ["dock", "gate"]]);
    assert.deepStrictEqual(Object.keys(last.packages).sort(), [
      CODE,
      "PEOPLE_DETECTOR_MODEL",
      "dock_camera",
      "gate_camera",
      "lobby_camera",
    ]);
    for (const d of last.deployments)
      assert.deepStrictEqual(
        [d.status, d.healthStatus, d.deviceId],
        ["DEPLOYMENT_SUCCEEDED", "RUNNING", ids[d.device]],
      );
    rolloutOrder({});

    const details = await fx().panorama.send(
      new DescribeApplicationInstanceDetailsCommand({ ApplicationInstanceId: instanceOf("dock") }),
    );
    const graph = JSON.parse(details.ManifestPayload!.PayloadData!).nodeGraph;
    assert.deepStrictEqual(
      graph.packages.find((p: any) => p.name.endsWith(`::${CODE}`)),
      {
        name: `123456789012::${CODE}`,
        version: "1.0",
        patchVersion: last.packages[CODE].patchVersion,
      },
      "moved to the emulator's account and pinned to the imported patch",
    );
    assert.ok(!details.ManifestPayload!.PayloadData!.includes("111122223333"));
    const overrides = JSON.parse(details.ManifestOverridesPayload!.PayloadData!).nodeGraphOverrides;
    assert.deepStrictEqual(overrides.nodeOverrides, [
      { replace: "camera_node", with: [{ name: "dock_camera" }] },
    ]);
    assert.strictEqual(overrides.packages[0].patchVersion, last.packages.dock_camera.patchVersion);
  });

  it("an unchanged project: preview makes no Panorama call and `up` changes nothing", async () => {
    fx().emu.control.resetRequestCounts();
    const preview = await s.stack.preview();
    const calls = Object.entries(fx().emu.control.requestCounts().byOperation).filter(([op]) =>
      op.startsWith("panorama:"),
    );
    assert.deepStrictEqual(calls, [], "no Panorama call on preview");
    assert.deepStrictEqual(Object.keys(preview.changeSummary), ["same"]);
    const result = await up();
    assert.deepStrictEqual(Object.keys(result.summary.resourceChanges ?? {}), ["same"]);
  });

  it("a changed asset: a new key, a new patch of that package only, rolled out canary first and never leaving a device empty", async () => {
    const before = { ...last.packages };
    const previous = Object.fromEntries(DEVICES.map((d) => [d, instanceOf(d)]));
    changeCode("\nv2");
    await up();
    assert.notStrictEqual(last.packages[CODE].patchVersion, before[CODE].patchVersion);
    assert.deepStrictEqual(
      last.packages.PEOPLE_DETECTOR_MODEL,
      before.PEOPLE_DETECTOR_MODEL,
      "the model is not imported again",
    );
    assert.notStrictEqual(instanceOf("lobby"), previous.lobby);
    rolloutOrder(previous);
    for (const d of DEVICES) {
      assert.deepStrictEqual(
        await liveOn(d),
        [instanceOf(d)],
        `${d} runs exactly the new instance`,
      );
      neverWithout(d);
    }
  });

  let beforeFailure: Record<string, string>;
  it("a failing canary stops the rollout: the error names the device, status and message; the others are untouched", async () => {
    beforeFailure = Object.fromEntries(DEVICES.map((d) => [d, instanceOf(d)]));
    const eventsBefore = Object.fromEntries(DEVICES.map((d) => [d, history(d).length]));
    fx().emu.control.setDeviceFault(ids.lobby, {
      deployment: "FAILED",
      message: "Camera stream rtsp://10.0.1.21/stream1 is unreachable.",
    });
    changeCode("\nv3");
    const error = await s.stack.up().then(
      () => assert.fail("the rollout should have failed"),
      (e) => e,
    );
    assert.ok(error instanceof CommandError);
    assert.match(
      error.message,
      /on device lobby \(device-[a-z0-9]+\) ended DEPLOYMENT_FAILED: Camera stream rtsp:\/\/10\.0\.1\.21\/stream1 is unreachable/,
    );
    for (const d of ["dock", "gate"]) {
      assert.strictEqual(history(d).length, eventsBefore[d], `${d} was not touched`);
      assert.deepStrictEqual(
        await liveOn(d),
        [beforeFailure[d]],
        `${d} keeps running the version it ran`,
      );
    }
    assert.ok(
      (await liveOn("lobby")).includes(beforeFailure.lobby),
      "the canary keeps its running version too",
    );
  });

  it("the next `up` after the fix continues the rollout and completes it; with healthySeconds the batch waits for the canary to stay RUNNING", async () => {
    fx().emu.control.setDeviceFault(ids.lobby, undefined);
    await s.stack.setConfig("healthySeconds", { value: "1" });
    await up();
    for (const d of last.deployments)
      assert.deepStrictEqual([d.status, d.healthStatus], ["DEPLOYMENT_SUCCEEDED", "RUNNING"]);
    rolloutOrder(beforeFailure);
    const canaryDone = when("lobby", instanceOf("lobby"), "DEPLOYMENT_SUCCEEDED");
    for (const d of ["dock", "gate"])
      assert.ok(
        when(d, instanceOf(d), "DEPLOYMENT_STARTED") >= canaryDone + 1000,
        `${d} waited for the canary's health gate`,
      );
    for (const d of DEVICES) neverWithout(d);
  });

  it("a device removed from the list gets its instance removed; the others are untouched", async () => {
    const kept = { lobby: instanceOf("lobby"), dock: instanceOf("dock") };
    const gate = instanceOf("gate");
    await s.stack.setConfig("devices", { value: JSON.stringify(["lobby", "dock"]) });
    await up();
    assert.deepStrictEqual(await liveOn("gate"), []);
    assert.strictEqual(history("gate").at(-1)!.applicationInstanceId, gate);
    assert.strictEqual(history("gate").at(-1)!.event, "REMOVAL_SUCCEEDED");
    assert.deepStrictEqual({ lobby: instanceOf("lobby"), dock: instanceOf("dock") }, kept);
  });

  it("destroy removes the application from every device and deletes the packages", async () => {
    await s.stack.destroy();
    for (const d of DEVICES) assert.deepStrictEqual(await liveOn(d), [], `${d} runs nothing`);
    assert.deepStrictEqual((await fx().panorama.send(new ListPackagesCommand({}))).Packages, []);
  });
});
