// Node signals through the real Pulumi CLI and engine (Automation API, file:// backend) against
// the emulator: an ApplicationInstance whose pausedNodes change is an update in place (the same
// instance on the device), waited until the device reports PAUSED / RUNNING; a resume outside
// the stack shows after refresh; the no-change preview makes no Panorama call.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  ListApplicationInstanceNodeInstancesCommand,
  ListDevicesCommand,
  SignalApplicationInstanceNodeInstancesCommand,
} from "@aws-sdk/client-panorama";
import { ApplicationInstance } from "pulumi-panorama";
import { CLI_BUILD_TIMEOUT_MS, engineCli, inlineStack, withStack } from "../support/engine";
import { emulatorControl, useEmulator } from "../support/emulatorFixture";
import { graphManifest, importPackage } from "../support/packageFixtures";

const ACCOUNT = "123456789012";
const CAMERA = "panorama::abstract_rtsp_media_source.rtsp_v1_interface";

/** The graph's camera replaced by two streams, as a multi-camera application has them. */
const OVERRIDES = JSON.stringify({
  nodeGraphOverrides: {
    envelopeVersion: "2021-01-01",
    packages: [],
    nodes: [
      { name: "entrance", interface: CAMERA },
      { name: "dock", interface: CAMERA },
    ],
    nodeOverrides: [{ replace: "camera_node", with: [{ name: "entrance" }, { name: "dock" }] }],
  },
});

describe("ApplicationInstance pausedNodes through the real Pulumi engine", function () {
  this.timeout(240_000);
  const fx = useEmulator({
    timing: {
      deployment: { mode: "timed", durationMs: 300 },
      nodeSignal: { mode: "timed", durationMs: 500 },
    },
  });
  let device: string;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    device = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
    await importPackage(fx(), "SAMPLE_CODE");
  });

  const signalsStack = () =>
    inlineStack({
      projectName: "panorama-signals",
      env: fx().env,
      config: { pausedNodes: "[]" },
      program: async () => {
        const config = new pulumi.Config();
        const app = new ApplicationInstance("cameras", {
          name: "cameras",
          defaultRuntimeContextDevice: device,
          manifestPayload: graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]),
          manifestOverridesPayload: OVERRIDES,
          pausedNodes: config.requireObject<string[]>("pausedNodes"),
          waitOptions: { minDelaySeconds: 0.1, maxDelaySeconds: 0.5, timeoutSeconds: 60 },
        });
        return { applicationInstanceId: app.applicationInstanceId, pausedNodes: app.pausedNodes };
      },
    });
  const statuses = async (id: string) =>
    Object.fromEntries(
      (
        await fx().panorama.send(
          new ListApplicationInstanceNodeInstancesCommand({ ApplicationInstanceId: id }),
        )
      ).NodeInstances!.map((i) => [i.NodeInstanceId, i.CurrentStatus]),
    );

  it("up → pause one node (an update in place) → resume → refresh after a resume outside the stack → no-change preview", async () => {
    await withStack(signalsStack(), async (s) => {
      const up = await s.stack.up();
      const id = up.outputs.applicationInstanceId.value;
      assert.deepStrictEqual(up.outputs.pausedNodes.value, []);
      assert.strictEqual((await statuses(id)).entrance, "RUNNING");

      await s.stack.setConfig("pausedNodes", { value: '["entrance"]' });
      const preview = await s.stack.preview({ diff: true });
      assert.deepStrictEqual(preview.changeSummary, { same: 1, update: 1 });
      assert.match(preview.stdout, /pausedNodes/);
      const paused = await s.stack.up();
      assert.deepStrictEqual(paused.summary.resourceChanges, { same: 1, update: 1 });
      assert.strictEqual(paused.outputs.applicationInstanceId.value, id, "the same instance");
      assert.deepStrictEqual(paused.outputs.pausedNodes.value, ["entrance"]);
      assert.deepStrictEqual(await statuses(id), {
        code_node_0: "RUNNING",
        output_node: "RUNNING",
        entrance: "PAUSED",
        dock: "RUNNING",
      });
      assert.match(paused.stdout, /pausing entrance/);

      await s.stack.setConfig("pausedNodes", { value: "[]" });
      const resumed = await s.stack.up();
      assert.deepStrictEqual(resumed.summary.resourceChanges, { same: 1, update: 1 });
      assert.strictEqual((await statuses(id)).entrance, "RUNNING");

      // Paused outside the stack: refresh reads it, and the next up resumes it.
      await fx().panorama.send(
        new SignalApplicationInstanceNodeInstancesCommand({
          ApplicationInstanceId: id,
          NodeSignals: [{ NodeInstanceId: "dock", Signal: "PAUSE" }],
        }),
      );
      fx().emu.control.advanceClock(500);
      await s.stack.refresh();
      assert.deepStrictEqual((await s.stack.preview()).changeSummary, { same: 1, update: 1 });
      await s.stack.up();
      assert.strictEqual((await statuses(id)).dock, "RUNNING");

      await emulatorControl(fx().emu, "POST", "requests/reset");
      assert.deepStrictEqual((await s.stack.preview()).changeSummary, { same: 2 });
      const counts = await emulatorControl(fx().emu, "GET", "requests");
      const calls = Object.keys(counts.byOperation).filter((k) => k.startsWith("panorama:"));
      assert.deepStrictEqual(calls, [], "a no-change preview makes no Panorama call");
    });
  });
});
