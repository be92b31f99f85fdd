// CameraNode through the real Pulumi CLI and engine (Automation API, file:// backend) against the
// emulator: up, a no-change preview, refresh, a new stream URL, destroy; the camera password in no
// checkpoint, history file or CLI output.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DescribeNodeCommand, DescribePackageVersionCommand } from "@aws-sdk/client-panorama";
import { CameraNode } from "pulumi-panorama";
import {
  CLI_BUILD_TIMEOUT_MS,
  engineCli,
  inlineStack,
  stackState,
  withStack,
} from "../support/engine";
import { checkpointFiles, isSecret, secretsOnDisk } from "../support/checkpoint";
import { emulatorControl, useEmulator } from "../support/emulatorFixture";

const TYPE = "pulumi-nodejs:dynamic/panorama:CameraNode";
const PASSWORD = "Cam3ra-pa55word-never-shown";
const USERNAME = "camera-admin-user";

/** Every file under the sandbox whose text holds the value (gzipped checkpoints read unzipped). */
function filesHolding(dir: string, value: string): string[] {
  const found: string[] = [];
  const walk = (d: string) =>
    fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
      const p = path.join(d, e.name);
      if (e.isDirectory()) return walk(p);
      let text = fs.readFileSync(p);
      if (p.endsWith(".gz")) text = require("zlib").gunzipSync(text);
      if (text.toString("utf8").includes(value)) found.push(p);
    });
  walk(dir);
  return found;
}

describe("CameraNode through the real Pulumi engine", function () {
  this.timeout(180_000);
  const fx = useEmulator();

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
  });
  beforeEach(async () => {
    await emulatorControl(fx().emu, "POST", "reset");
    await emulatorControl(fx().emu, "POST", "timing", {
      templateJob: { mode: "timed", durationMs: 1000 },
    });
  });

  const cameraStack = () =>
    inlineStack({
      projectName: "panorama-camera",
      env: fx().env,
      config: { streamUrl: "rtsp://10.0.0.8:554/front" },
      program: async () => {
        const config = new pulumi.Config();
        const camera = new CameraNode("front-door", {
          outputPackageName: "front_door",
          outputPackageVersion: "1.0",
          nodeName: "front_door",
          // Plain strings: the class keeps them secret by itself.
          templateParameters: {
            StreamUrl: config.require("streamUrl"),
            Username: USERNAME,
            Password: PASSWORD,
          },
          waitOptions: { minDelaySeconds: 0.2, maxDelaySeconds: 0.5 },
        });
        return {
          jobId: camera.jobId,
          nodeId: camera.nodeId,
          nodeInterface: camera.nodeInterface,
          packageId: camera.packageId,
          patchVersion: camera.patchVersion,
        };
      },
    });

  it("up → no-change preview → refresh → new stream URL → destroy, the password never in plaintext", async () => {
    await withStack(cameraStack(), async (s) => {
      const printed: string[] = [];
      const up = await s.stack.up();
      printed.push(up.stdout, up.stderr);
      const out = up.outputs;
      assert.strictEqual(up.summary.resourceChanges?.create, 2); // the stack and the camera
      const node = await fx().panorama.send(new DescribeNodeCommand({ NodeId: out.nodeId.value }));
      assert.strictEqual(node.Category, "MEDIA_SOURCE");
      assert.strictEqual(out.nodeInterface.value, `${node.OwnerAccount}::front_door.front_door`);
      const [camera] = (await stackState(s)).resources.filter((r) => r.type === TYPE);
      assert.ok(isSecret(camera.inputs!.templateParameters), "secret in inputs");
      assert.ok(isSecret(camera.outputs!.templateParameters), "secret in outputs");

      await emulatorControl(fx().emu, "POST", "requests/reset");
      const preview = await s.stack.preview();
      printed.push(preview.stdout, preview.stderr);
      assert.deepStrictEqual(preview.changeSummary, { same: 2 });
      const counts = await emulatorControl(fx().emu, "GET", "requests");
      const calls = Object.keys(counts.byOperation).filter((k) => k.startsWith("panorama:"));
      assert.deepStrictEqual(calls, [], "a no-change preview makes no Panorama call");

      await emulatorControl(fx().emu, "POST", `template-jobs/${out.jobId.value}/status`, {
        status: "SUCCEEDED",
        statusMessage: "Checked again",
      });
      const refresh = await s.stack.refresh();
      printed.push(refresh.stdout, refresh.stderr);
      const [refreshed] = (await stackState(s)).resources.filter((r) => r.type === TYPE);
      assert.strictEqual(refreshed.outputs!.statusMessage, "Checked again");

      // A new stream URL makes a new node; the old one's patch is deregistered.
      await s.stack.setConfig("streamUrl", { value: "rtsp://10.0.0.9:554/front" });
      const oldPatch = {
        PackageId: out.packageId.value,
        PackageVersion: "1.0",
        PatchVersion: out.patchVersion.value,
      };
      const replaced = await s.stack.up();
      printed.push(replaced.stdout, replaced.stderr);
      assert.strictEqual(replaced.summary.resourceChanges?.replace, 1);
      assert.notStrictEqual(replaced.outputs.jobId.value, out.jobId.value);
      await assert.rejects(fx().panorama.send(new DescribePackageVersionCommand(oldPatch)), {
        name: "ResourceNotFoundException",
      });

      const destroy = await s.stack.destroy();
      printed.push(destroy.stdout, destroy.stderr);
      await assert.rejects(
        fx().panorama.send(
          new DescribePackageVersionCommand({
            PackageId: replaced.outputs.packageId.value,
            PackageVersion: "1.0",
            PatchVersion: replaced.outputs.patchVersion.value,
          }),
        ),
        { name: "ResourceNotFoundException" },
      );

      assert.ok(checkpointFiles(s.sandbox).length > 0, "the backend wrote checkpoints");
      assert.deepStrictEqual(secretsOnDisk(s.sandbox, { PASSWORD, USERNAME }), []);
      assert.deepStrictEqual(filesHolding(s.sandbox.dir, PASSWORD), [], "no file of the sandbox");
      assert.ok(!printed.join("\n").includes(PASSWORD), "not in the CLI's output");
      assert.ok(!printed.join("\n").includes(USERNAME), "not in the CLI's output");
    });
  });
});
