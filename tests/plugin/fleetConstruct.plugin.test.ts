// examples/fleet/yaml (the fleet rollout as a Pulumi YAML program) through the real CLI, the YAML
// language host and this checkout's plugin, whose Construct runs PanoramaApplication: the first
// rollout (canary first) onto three emulated appliances, a no-change preview that makes no
// Panorama call, and destroy. The children are the plugin's own resources, its secret stays secret.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  ListApplicationInstancesCommand,
  ListDevicesCommand,
  ListNodesCommand,
  ListPackagesCommand,
} from "@aws-sdk/client-panorama";
import { CommandError } from "@pulumi/pulumi/automation";
import type { DeviceEvent } from "../../emulator/state/deviceRecords";
import { isSecret, revealSecrets, secretsOnDisk } from "../support/checkpoint";
import {
  CLI_BUILD_TIMEOUT_MS,
  cleanup,
  EngineStack,
  engineCli,
  localStack,
  REPO_ROOT,
  stackState,
} from "../support/engine";
import { useEmulator } from "../support/emulatorFixture";
import { PANORAMA_PLUGIN, pluginToken } from "../support/pluginDoor";

const EXAMPLE = path.join(REPO_ROOT, "examples", "fleet", "yaml", "Pulumi.yaml");
const PROJECT_DIR = path.join(REPO_ROOT, "examples", "fleet", "project");
const DEVICES = ["lobby", "dock", "gate"];
const OWNER_TAG = "fleet-owner-7d41c2";
const CHILD_TYPES = [
  "Package",
  "S3Object",
  "PackageImportJob",
  "DeviceLookup",
  "ApplicationInstance",
];

/** The example's Pulumi.yaml without its `plugins:` block (its relative path leaves the repo). */
function exampleProject(): string {
  return fs.readFileSync(EXAMPLE, "utf8").replace(/^plugins:\n(?:[ #].*\n|\n)*/m, "");
}

describe("the fleet rollout from Pulumi YAML (examples/fleet/yaml) through the plugin's Construct", function () {
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
  const ids: Record<string, string> = {};
  let output = "";
  const onOutput = (line: string) => void (output += line);

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli({ languages: ["yaml"] });
    for (const d of (await fx().panorama.send(new ListDevicesCommand({}))).Devices!)
      ids[d.Name!] = d.DeviceId!;
    s = await localStack({
      files: { "Pulumi.yaml": exampleProject() },
      providerPlugins: [PANORAMA_PLUGIN],
      env: fx().env,
      config: {
        ownerTag: { value: OWNER_TAG, secret: true },
        "panorama:region": fx().emu.region,
      },
    });
    // Relative, as in the example: the plugin resolves it from the program's directory.
    const relative = path.relative(s.stack.workspace.workDir, PROJECT_DIR);
    await s.stack.setConfig("projectDir", { value: relative });
  });
  after(async () => {
    if (s) await cleanup(s, { destroy: false });
  });

  const panoramaCalls = () =>
    Object.entries(fx().emu.control.requestCounts().byOperation).filter(([op]) =>
      op.startsWith("panorama:"),
    );
  const history = (device: string): DeviceEvent[] => fx().emu.control.deviceHistory(ids[device]);
  const when = (device: string, event: DeviceEvent["event"]) => {
    const e = history(device).find((h) => h.event === event);
    assert.ok(e, `${device}: no ${event}`);
    return e!.at;
  };
  const liveOn = async (device: string) =>
    (await fx().panorama.send(new ListApplicationInstancesCommand({ DeviceId: ids[device] })))
      .ApplicationInstances!.filter((i) => i.Status !== "REMOVAL_SUCCEEDED")
      .map((i) => [i.Status, i.HealthStatus]);

  it("previews the first rollout with no Panorama call: the component and its children to create", async () => {
    fx().emu.control.resetRequestCounts();
    const preview = await s.stack.preview({ onOutput });
    assert.deepStrictEqual(Object.keys(preview.changeSummary), ["create"]);
    assert.ok(preview.changeSummary.create! > 20, JSON.stringify(preview.changeSummary));
    assert.deepStrictEqual(panoramaCalls(), [], "no Panorama call on preview");
  });

  it("rolls the project out canary first, every device RUNNING, its children the plugin's own resources", async () => {
    const up = await s.stack.up({ onOutput });
    const out = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));
    assert.deepStrictEqual(out.waves, [["lobby"], ["dock", "gate"]]);
    assert.deepStrictEqual(Object.keys(out.packages).sort(), [
      "PEOPLE_COUNTER_CODE",
      "PEOPLE_DETECTOR_MODEL",
      "dock_camera",
      "gate_camera",
      "lobby_camera",
    ]);
    assert.deepStrictEqual(
      out.deployments.map((d: any) => [d.device, d.deviceId, d.status, d.healthStatus]),
      DEVICES.map((d) => [d, ids[d], "DEPLOYMENT_SUCCEEDED", "RUNNING"]),
    );
    for (const d of DEVICES)
      assert.deepStrictEqual(await liveOn(d), [["DEPLOYMENT_SUCCEEDED", "RUNNING"]], d);
    for (const d of ["dock", "gate"])
      assert.ok(
        when(d, "DEPLOYMENT_STARTED") >= when("lobby", "DEPLOYMENT_SUCCEEDED"),
        `${d} started only after the canary succeeded`,
      );

    const { resources } = await stackState(s);
    const component = resources.find((r) => r.type === pluginToken("PanoramaApplication"))!;
    assert.ok(component && !component.custom, "the component is in state");
    const children = resources.filter((r) => r.parent === component.urn);
    assert.deepStrictEqual(
      [...new Set(children.map((r) => r.type))].sort(),
      CHILD_TYPES.map(pluginToken).sort(),
    );
    for (const child of children)
      assert.match(String(child.provider), /::pulumi:providers:panorama::default/, child.urn);
    assert.ok(!resources.some((r) => r.type.startsWith("pulumi-nodejs:dynamic")));

    // The secret tag reached the service and stayed secret: in state, on disk, in the output.
    const pkg = children.find((r) => r.type === pluginToken("Package"))!;
    assert.ok(isSecret(pkg.inputs!.tags) || isSecret(pkg.inputs!.tags.owner));
    assert.strictEqual(revealSecrets(pkg.outputs!.tags).owner, OWNER_TAG);
    assert.deepStrictEqual(secretsOnDisk(s.sandbox, { ownerTag: OWNER_TAG }), []);
    assert.ok(!output.includes(OWNER_TAG), "the secret is in none of the CLI's output");
  });

  it("previews an unchanged fleet as 0 changes, with no Panorama call", async () => {
    fx().emu.control.resetRequestCounts();
    const preview = await s.stack.preview({ expectNoChanges: true, onOutput });
    assert.deepStrictEqual(panoramaCalls(), [], "no Panorama call on preview");
    assert.deepStrictEqual(Object.keys(preview.changeSummary), ["same"]);
  });

  it("destroy removes the application from every device and deletes the packages", async () => {
    await s.stack.destroy({ onOutput });
    for (const d of DEVICES) assert.deepStrictEqual(await liveOn(d), [], `${d} runs nothing`);
    assert.deepStrictEqual((await fx().panorama.send(new ListPackagesCommand({}))).Packages, []);
    assert.deepStrictEqual((await stackState(s)).resources, []);
  });

  /** What the next `up` fails with, and how many Panorama and S3 requests it made. */
  const failedUp = async () => {
    fx().emu.control.resetRequestCounts();
    const error = await s.stack.up({ onOutput }).then(
      () => assert.fail("up should have failed"),
      (e) => e,
    );
    assert.ok(error instanceof CommandError, String(error));
    return { message: (error as Error).message, requests: fx().emu.control.requestCounts().total };
  };

  it("refuses bad arguments in Construct, naming the argument, before any request", async () => {
    await s.stack.setConfig("projectDir", { value: "/nonexistent/fleet-project" });
    const missing = await failedUp();
    assert.match(missing.message, /projectDir: \/nonexistent\/fleet-project does not exist/);
    assert.strictEqual(missing.requests, 0);
    assert.doesNotMatch(missing.message, /\n\s+at |ProjectError/, "one sentence, no stack trace");

    // A secret cannot decide which resources there are (it would show in their names and URNs).
    await s.stack.setConfig("projectDir", { value: PROJECT_DIR, secret: true });
    const secret = await failedUp();
    assert.match(secret.message, /PanoramaApplication: projectDir cannot be a secret/);
    assert.strictEqual(secret.requests, 0);
    await s.stack.setConfig("projectDir", { value: PROJECT_DIR });
  });

  it("a failing canary fails the rollout naming the device, and the batch is never started", async () => {
    const eventsBefore = Object.fromEntries(DEVICES.map((d) => [d, history(d).length]));
    fx().emu.control.setDeviceFault(ids.lobby, {
      deployment: "FAILED",
      message: "Camera stream rtsp://10.0.1.21/stream1 is unreachable.",
    });
    const failed = await failedUp();
    assert.match(
      failed.message,
      /on device lobby \(device-[a-z0-9]+\).* ended DEPLOYMENT_FAILED: Camera stream rtsp:\/\/10\.0\.1\.21\/stream1 is unreachable/,
    );
    for (const d of ["dock", "gate"])
      assert.strictEqual(history(d).length, eventsBefore[d], `${d} was not touched`);
    fx().emu.control.setDeviceFault(ids.lobby, undefined);
    await s.stack.destroy({ onOutput });
    assert.deepStrictEqual((await fx().panorama.send(new ListPackagesCommand({}))).Packages, []);
  });

  it("runs the children under an explicit provider given to the component", async () => {
    const program = exampleProject()
      .replace(
        /^resources:\n/m,
        `resources:\n  fleet-provider:\n    type: pulumi:providers:panorama\n    properties:\n      region: ${fx().emu.region}\n`,
      )
      .replace(
        /^(  people-counter:\n    type: .*\n)/m,
        "$1    options:\n      provider: ${fleet-provider}\n",
      );
    const explicit = await localStack({
      files: { "Pulumi.yaml": program },
      providerPlugins: [PANORAMA_PLUGIN],
      env: fx().env,
      config: { projectDir: PROJECT_DIR, ownerTag: { value: OWNER_TAG, secret: true } },
    });
    try {
      const up = await explicit.stack.up({ onOutput });
      assert.deepStrictEqual(
        up.outputs.deployments.value.map((d: any) => d.status),
        DEVICES.map(() => "DEPLOYMENT_SUCCEEDED"),
      );
      const { resources } = await stackState(explicit);
      const component = resources.find((r) => r.type === pluginToken("PanoramaApplication"))!;
      const children = resources.filter((r) => r.parent === component.urn);
      assert.ok(children.length > 0);
      for (const child of children)
        assert.match(String(child.provider), /::pulumi:providers:panorama::fleet-provider::/);
      await explicit.stack.destroy({ onOutput });
      assert.deepStrictEqual((await fx().panorama.send(new ListPackagesCommand({}))).Packages, []);
    } finally {
      await cleanup(explicit, { destroy: false });
    }
  });
  it("gives a device a camera with a secret password: the plugin's CameraNode in that device's overrides, the password in no file or output", async () => {
    const password = "lobby-camera-Secret-91c4e0";
    const program = exampleProject()
      .replace(
        /^config:\n/m,
        "config:\n  lobbyCameraPassword:\n    type: string\n    secret: true\n",
      )
      .replace(
        /        - name: lobby\n          nodeOverrides:\n            camera_node:\n              package: lobby_camera\n/,
        "        - name: lobby\n          cameras:\n            camera_node:\n              streamUrl: rtsp://10.0.1.21:554/stream1\n              username: lobby-admin\n              password: ${lobbyCameraPassword}\n",
      );
    assert.match(program, /cameras:/, "the example's lobby device has the expected shape");
    const cameras = await localStack({
      files: { "Pulumi.yaml": program },
      providerPlugins: [PANORAMA_PLUGIN],
      env: fx().env,
      config: {
        projectDir: PROJECT_DIR,
        ownerTag: { value: OWNER_TAG, secret: true },
        lobbyCameraPassword: { value: password, secret: true },
        "panorama:region": fx().emu.region,
      },
    });
    let printed = "";
    const onCameraOutput = (line: string) => void (printed += line);
    try {
      const up = await cameras.stack.up({ onOutput: onCameraOutput });
      assert.deepStrictEqual(
        up.outputs.deployments.value.map((d: any) => d.status),
        DEVICES.map(() => "DEPLOYMENT_SUCCEEDED"),
      );
      const { resources } = await stackState(cameras);
      const nodes = resources.filter((r) => r.type === pluginToken("CameraNode"));
      assert.deepStrictEqual(
        nodes.map((r) => r.urn.split("::").pop()),
        ["people-counter-lobby-camera-camera_node"],
      );
      const lobby = resources.find(
        (r) =>
          r.type === pluginToken("ApplicationInstance") && r.urn.endsWith("::people-counter-lobby"),
      )!;
      assert.match(
        JSON.stringify(revealSecrets(lobby.inputs)),
        /people-counter_lobby_camera_node/,
        "lobby's deployment puts its camera node in the abstract camera's place",
      );
      assert.deepStrictEqual(
        secretsOnDisk(cameras.sandbox, { "the camera password": password }),
        [],
        "the password is in no file of the backend",
      );
      assert.ok(!printed.includes(password), "the password is in no CLI output");
      const patch = nodes[0].outputs!.patchVersion;
      await cameras.stack.destroy({ onOutput: onCameraOutput });
      // The service made the camera's package; destroy deregisters its patch (CameraNode).
      const left = (await fx().panorama.send(new ListPackagesCommand({}))).Packages!;
      assert.deepStrictEqual(
        left.map((p) => p.PackageName),
        ["people-counter_lobby_camera_node"],
      );
      const media = await fx().panorama.send(new ListNodesCommand({ Category: "MEDIA_SOURCE" }));
      assert.ok(
        !media.Nodes!.some((n) => n.PatchVersion === patch),
        "the camera's patch is deregistered",
      );
    } finally {
      await cleanup(cameras, { destroy: false });
    }
  });
});
