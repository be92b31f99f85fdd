// examples/fleet with cameras and a software baseline, through the real Pulumi engine against one
// emulator with three appliances: lobby and dock get a camera node each (CreateNodeFromTemplateJob)
// in place of the graph's abstract camera, gate keeps the project's camera package; lobby is
// behind the baseline and gets an OTA job (tests/fleet/fleetSoftware.test.ts proves the order).
// The first rollout, a no-change preview with zero Panorama calls, a changed camera password that
// replaces only that device's camera node and deployment (both ways: the same package version,
// then a new one), destroy, and the passwords in no file of the backend or line of output.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  DescribeApplicationInstanceDetailsCommand,
  ListApplicationInstancesCommand,
  ListDevicesJobsCommand,
  ListDevicesCommand,
  ListNodesCommand,
} from "@aws-sdk/client-panorama";
import { fleet } from "../../examples/fleet/program";
import {
  CLI_BUILD_TIMEOUT_MS,
  cleanup,
  EngineStack,
  engineCli,
  inlineStack,
  stackState,
} from "../support/engine";
import { checkpointFiles, secretsOnDisk } from "../support/checkpoint";
import { useEmulator } from "../support/emulatorFixture";

const DEVICES = ["lobby", "dock", "gate"];
const BASELINE = "6.3.0";
const CAMERA_TYPE = "pulumi-nodejs:dynamic/panorama:CameraNode";
const INSTANCE_TYPE = "pulumi-nodejs:dynamic/panorama:ApplicationInstance";
const PASSWORDS = {
  lobby: "Lobby-cam-pa55word-never-shown",
  dock: "Dock-cam-pa55word-never-shown",
  dockChanged: "Dock-cam-n3w-pa55word-never-shown",
  dockVersioned: "Dock-cam-th1rd-pa55word-never-shown",
};
const CAMERAS = {
  lobby: { streamUrl: "rtsp://10.0.1.21:554/stream1", username: "lobby-admin" },
  dock: { streamUrl: "rtsp://10.0.2.21:554/stream1", username: "dock-admin" },
};

describe("examples/fleet with camera nodes on two of three devices and a software baseline", function () {
  this.timeout(300_000);
  const fx = useEmulator({
    devices: DEVICES.map((name) =>
      name === "lobby"
        ? { name, currentSoftware: "6.2.1", latestSoftware: BASELINE }
        : { name, currentSoftware: BASELINE },
    ),
    timing: {
      importJob: { mode: "timed", durationMs: 300 },
      templateJob: { mode: "timed", durationMs: 300 },
      deployment: { mode: "timed", durationMs: 600 },
      removal: { mode: "timed", durationMs: 300 },
      deviceUpdate: { mode: "timed", durationMs: 500 },
    },
  });
  let s: EngineStack;
  let projectDir: string;
  const ids: Record<string, string> = {};
  const printed: string[] = [];
  let last: Record<string, any>;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-cameras-"));
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
        devices: JSON.stringify(DEVICES),
        maxParallel: "2",
        cameras: JSON.stringify(CAMERAS),
        imageVersion: BASELINE,
        lobbyCameraPassword: { value: PASSWORDS.lobby, secret: true },
        dockCameraPassword: { value: PASSWORDS.dock, secret: true },
      },
    });
  });
  after(async () => {
    if (s) await cleanup(s, { destroy: false });
    fs.rmSync(projectDir, { recursive: true, force: true });
  });

  const up = async () => {
    const result = await s.stack.up();
    printed.push(result.stdout, result.stderr);
    last = Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value]));
    return result;
  };
  const jobsOf = async (device: string) =>
    (await fx().panorama.send(new ListDevicesJobsCommand({ DeviceId: ids[device] }))).DeviceJobs ??
    [];
  const instanceOf = (device: string) =>
    last.deployments.find((d: any) => d.device === device).applicationInstanceId as string;
  const overridesOf = async (device: string) => {
    const details = await fx().panorama.send(
      new DescribeApplicationInstanceDetailsCommand({ ApplicationInstanceId: instanceOf(device) }),
    );
    return JSON.parse(details.ManifestOverridesPayload!.PayloadData!).nodeGraphOverrides;
  };
  /** The camera nodes in the stack, by resource name. */
  const cameraNodes = async () =>
    Object.fromEntries(
      (await stackState(s)).resources
        .filter((r) => r.type === CAMERA_TYPE)
        .map((r) => [r.urn.split("::").at(-1)!, r.outputs as Record<string, any>]),
    );
  const instanceIds = async () =>
    Object.fromEntries(
      (await stackState(s)).resources
        .filter((r) => r.type === INSTANCE_TYPE)
        .map((r) => [r.urn.split("::").at(-1)!, r.id]),
    );

  it("the first `up` makes a camera node for lobby and dock and deploys each in place of the abstract camera", async () => {
    await up();
    for (const d of last.deployments)
      assert.deepStrictEqual(
        [d.device, d.status, d.healthStatus],
        [d.device, "DEPLOYMENT_SUCCEEDED", "RUNNING"],
      );
    const cameras = await cameraNodes();
    assert.deepStrictEqual(Object.keys(cameras).sort(), [
      "people-counter-dock-camera-camera_node",
      "people-counter-lobby-camera-camera_node",
    ]);
    const listed = await fx().panorama.send(new ListNodesCommand({ Category: "MEDIA_SOURCE" }));
    for (const device of ["lobby", "dock"]) {
      const camera = cameras[`people-counter-${device}-camera-camera_node`];
      const packageName = `people-counter_${device}_camera_node`;
      assert.strictEqual(camera.status, "SUCCEEDED");
      assert.ok(
        listed.Nodes!.some((n) => n.PackageName === packageName),
        `${packageName} is a MEDIA_SOURCE node of the account`,
      );
      const overrides = await overridesOf(device);
      assert.deepStrictEqual(overrides.nodeOverrides, [
        { replace: "camera_node", with: [{ name: packageName }] },
      ]);
      assert.deepStrictEqual(overrides.packages, [
        {
          name: `${camera.ownerAccount}::${packageName}`,
          version: "1.0",
          patchVersion: camera.patchVersion,
        },
      ]);
      assert.deepStrictEqual(overrides.nodes, [
        { name: packageName, interface: camera.nodeInterface, launch: "onAppStart" },
      ]);
    }
    assert.deepStrictEqual((await overridesOf("gate")).nodeOverrides, [
      { replace: "camera_node", with: [{ name: "gate_camera" }] },
    ]);
    assert.strictEqual((await jobsOf("lobby")).length, 1, "lobby was behind: one OTA job");
    for (const d of ["dock", "gate"]) assert.deepStrictEqual(await jobsOf(d), [], `${d}: no job`);
  });

  it("an unchanged stack: preview makes no Panorama call and changes nothing", async () => {
    fx().emu.control.resetRequestCounts();
    const preview = await s.stack.preview();
    printed.push(preview.stdout, preview.stderr);
    const calls = Object.entries(fx().emu.control.requestCounts().byOperation).filter(([op]) =>
      op.startsWith("panorama:"),
    );
    assert.deepStrictEqual(calls, [], "no Panorama call on preview");
    assert.deepStrictEqual(Object.keys(preview.changeSummary), ["same"]);
  });

  it("a new dock camera password replaces dock's camera node and deployment only", async () => {
    const camerasBefore = await cameraNodes();
    const instancesBefore = await instanceIds();
    const historyBefore = Object.fromEntries(
      ["lobby", "gate"].map((d) => [d, fx().emu.control.deviceHistory(ids[d]).length]),
    );
    await s.stack.setConfig("dockCameraPassword", { value: PASSWORDS.dockChanged, secret: true });
    const result = await up();
    assert.strictEqual(result.summary.resourceChanges?.replace, 2, "the camera and the deployment");
    const camerasAfter = await cameraNodes();
    const instancesAfter = await instanceIds();
    const dock = "people-counter-dock-camera-camera_node";
    const lobby = "people-counter-lobby-camera-camera_node";
    assert.notStrictEqual(camerasAfter[dock].jobId, camerasBefore[dock].jobId, "a new dock camera");
    assert.deepStrictEqual(camerasAfter[lobby], camerasBefore[lobby], "lobby's camera untouched");
    assert.notStrictEqual(
      instancesAfter["people-counter-dock"],
      instancesBefore["people-counter-dock"],
    );
    for (const d of ["lobby", "gate"]) {
      assert.strictEqual(
        instancesAfter[`people-counter-${d}`],
        instancesBefore[`people-counter-${d}`],
      );
      assert.strictEqual(
        fx().emu.control.deviceHistory(ids[d]).length,
        historyBefore[d],
        `${d} was not touched`,
      );
    }
    assert.strictEqual(
      (await overridesOf("dock")).packages[0].patchVersion,
      camerasAfter[dock].patchVersion,
      "dock runs the new camera's patch",
    );
    assert.strictEqual(instanceOf("dock"), instancesAfter["people-counter-dock"]);
    assert.strictEqual((await jobsOf("lobby")).length, 1, "no new OTA job");
    assert.deepStrictEqual(await jobsOf("dock"), [], "the baseline is not checked again");
    // The version held the old camera: its deployment went first, then the new node was made.
    const dockEvents = fx()
      .emu.control.deviceHistory(ids.dock)
      .slice(-4)
      .map((e) => [e.applicationInstanceId === instanceOf("dock") ? "new" : "old", e.event]);
    assert.deepStrictEqual(dockEvents, [
      ["old", "REMOVAL_STARTED"],
      ["old", "REMOVAL_SUCCEEDED"],
      ["new", "DEPLOYMENT_STARTED"],
      ["new", "DEPLOYMENT_SUCCEEDED"],
    ]);
  });

  it("a new password with a new packageVersion deploys dock's new camera before its old deployment goes", async () => {
    const dock = "people-counter-dock-camera-camera_node";
    const before = (await cameraNodes())[dock];
    const oldInstance = instanceOf("dock");
    await s.stack.setConfig("cameras", {
      value: JSON.stringify({ ...CAMERAS, dock: { ...CAMERAS.dock, packageVersion: "2.0" } }),
    });
    await s.stack.setConfig("dockCameraPassword", {
      value: PASSWORDS.dockVersioned,
      secret: true,
    });
    const result = await up();
    assert.strictEqual(result.summary.resourceChanges?.replace, 2, "the camera and the deployment");
    const after = (await cameraNodes())[dock];
    assert.strictEqual(after.packageVersion, "2.0");
    assert.notStrictEqual(after.patchVersion, before.patchVersion);
    const history = fx().emu.control.deviceHistory(ids.dock);
    const newRunning = history.find(
      (e) => e.applicationInstanceId === instanceOf("dock") && e.event === "DEPLOYMENT_SUCCEEDED",
    )!.at;
    const oldRemovals = history.filter(
      (e) => e.applicationInstanceId === oldInstance && e.event.startsWith("REMOVAL"),
    );
    assert.ok(oldRemovals.length > 0, "the old deployment is removed");
    for (const e of oldRemovals)
      assert.ok(e.at >= newRunning, `${e.event} of the old deployment only after the new one ran`);
    const listed = await fx().panorama.send(new ListNodesCommand({ Category: "MEDIA_SOURCE" }));
    assert.ok(
      !listed.Nodes!.some((n) => n.PatchVersion === before.patchVersion),
      "the old camera's patch is deregistered once it is no longer deployed",
    );
  });

  it("destroy removes every deployment and deregisters both camera nodes", async () => {
    const cameras = await cameraNodes();
    const result = await s.stack.destroy();
    printed.push(result.stdout, result.stderr);
    const listed = await fx().panorama.send(new ListNodesCommand({ Category: "MEDIA_SOURCE" }));
    for (const camera of Object.values(cameras))
      assert.ok(
        !listed.Nodes!.some((n) => n.PatchVersion === camera.patchVersion),
        `${camera.packageName}'s patch is deregistered`,
      );
    for (const d of DEVICES)
      assert.deepStrictEqual(
        (
          await fx().panorama.send(new ListApplicationInstancesCommand({ DeviceId: ids[d] }))
        ).ApplicationInstances!.filter((i) => i.Status !== "REMOVAL_SUCCEEDED"),
        [],
        `${d} runs nothing`,
      );
  });

  it("no camera password is in any checkpoint or history file, nor in the CLI's output", async () => {
    assert.ok(checkpointFiles(s.sandbox).length > 0, "the backend wrote checkpoints");
    assert.deepStrictEqual(secretsOnDisk(s.sandbox, PASSWORDS), []);
    for (const [name, password] of Object.entries(PASSWORDS))
      assert.ok(!printed.join("\n").includes(password), `${name} not in the CLI's output`);
  });
});
