// pausedNodes through the provider plugin and the real engine: the same in-place update as the
// dynamic door, with the detailed diff naming pausedNodes as an update (not a replacement).
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  ListApplicationInstanceNodeInstancesCommand,
  ListDevicesCommand,
} from "@aws-sdk/client-panorama";
import { CLI_BUILD_TIMEOUT_MS, engineCli, withStack } from "../support/engine";
import { useEmulator } from "../support/emulatorFixture";
import { graphManifest, importPackage } from "../support/packageFixtures";
import { inlinePluginStack, pluginResource } from "../support/pluginDoor";

const ACCOUNT = "123456789012";

describe("ApplicationInstance pausedNodes through the provider plugin", function () {
  this.timeout(240_000);
  const fx = useEmulator({ timing: { deployment: { mode: "timed", durationMs: 300 } } });
  let device: string;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    device = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
    await importPackage(fx(), "SAMPLE_CODE");
  });

  it("pauses the graph's camera in place; preview --diff names pausedNodes as an update", async () => {
    const program = async () => {
      const app = pluginResource("ApplicationInstance", "cameras", {
        name: "cameras",
        defaultRuntimeContextDevice: device,
        manifestPayload: graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]),
        pausedNodes: new pulumi.Config().requireObject<string[]>("pausedNodes"),
        waitOptions: { minDelaySeconds: 0.1, maxDelaySeconds: 0.5, timeoutSeconds: 60 },
      });
      return { applicationInstanceId: app.applicationInstanceId, pausedNodes: app.pausedNodes };
    };
    await withStack(
      inlinePluginStack(program, fx().env, { config: { pausedNodes: "[]" } }),
      async (s) => {
        const up = await s.stack.up();
        const id = up.outputs.applicationInstanceId.value;
        const cameraStatus = async () =>
          (
            await fx().panorama.send(
              new ListApplicationInstanceNodeInstancesCommand({ ApplicationInstanceId: id }),
            )
          ).NodeInstances!.find((n) => n.NodeInstanceId === "camera_node")!.CurrentStatus;
        assert.strictEqual(await cameraStatus(), "RUNNING");

        await s.stack.setConfig("pausedNodes", { value: '["camera_node"]' });
        const preview = await s.stack.preview({ diff: true });
        assert.deepStrictEqual(preview.changeSummary, { same: 1, update: 1 });
        assert.match(preview.stdout, /~ pausedNodes/);
        const paused = await s.stack.up();
        assert.deepStrictEqual(paused.summary.resourceChanges, { same: 1, update: 1 });
        assert.strictEqual(paused.outputs.applicationInstanceId.value, id);
        assert.deepStrictEqual(paused.outputs.pausedNodes.value, ["camera_node"]);
        assert.strictEqual(await cameraStatus(), "PAUSED");
        assert.deepStrictEqual((await s.stack.preview()).changeSummary, { same: 2 });
      },
    );
  });
});
