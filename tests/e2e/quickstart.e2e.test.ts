// The quickstart stack end to end through the real engine, with a device configured: the
// import's patch is deployed, and a new package manifest means a new import job, a new patch and
// the application replaced on the device, pinned to that patch, the old instance removed.
import * as assert from "assert";
import {
  DescribeApplicationInstanceCommand,
  ListApplicationInstancesCommand,
  ListDevicesCommand,
} from "@aws-sdk/client-panorama";
import { quickstart } from "../../examples/quickstart/program";
import { CLI_BUILD_TIMEOUT_MS, engineCli, inlineStack, withStack } from "../support/engine";
import { MANIFEST_BUCKET, SAMPLE_MANIFEST, useEmulator } from "../support/emulatorFixture";

describe("quickstart stack with a device", function () {
  this.timeout(240_000);
  const fx = useEmulator({
    timing: {
      importJob: { mode: "timed", durationMs: 500 },
      deployment: { mode: "timed", durationMs: 800 },
      removal: { mode: "timed", durationMs: 300 },
    },
  });
  let device: string;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    device = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
  });

  it("deploys the imported patch, and a new manifest replaces the application pinned to the new patch", async () => {
    const v1 = await fx().uploadManifest("quickstart-device/v1/package.json");
    const v2 = await fx().uploadManifest(
      "quickstart-device/v2/package.json",
      SAMPLE_MANIFEST.replace("Quickstart application code", "Quickstart application code, v2"),
    );
    await withStack(
      inlineStack({
        program: async () => quickstart(),
        projectName: "panorama-quickstart",
        env: fx().env,
        config: { manifestBucket: MANIFEST_BUCKET, manifestKey: v1, device },
      }),
      async (s) => {
        const first = (await s.stack.up()).outputs;
        assert.strictEqual(first.deploymentStatus.value, "DEPLOYMENT_SUCCEEDED");
        assert.strictEqual(first.healthStatus.value, "RUNNING");
        assert.deepStrictEqual(first.deployedPackages.value, [
          { name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: first.patchVersion.value },
        ]);

        await s.stack.setConfig("manifestKey", { value: v2 });
        const second = (await s.stack.up()).outputs;
        assert.notStrictEqual(second.jobId.value, first.jobId.value, "a new import job");
        assert.notStrictEqual(second.patchVersion.value, first.patchVersion.value, "a new patch");
        assert.notStrictEqual(
          second.applicationInstanceId.value,
          first.applicationInstanceId.value,
          "a new instance",
        );
        assert.deepStrictEqual(second.deployedPackages.value, [
          { name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: second.patchVersion.value },
        ]);

        const replacement = await fx().panorama.send(
          new DescribeApplicationInstanceCommand({
            ApplicationInstanceId: second.applicationInstanceId.value,
          }),
        );
        assert.strictEqual(
          replacement.ApplicationInstanceIdToReplace,
          first.applicationInstanceId.value,
          "replaced in place on the device",
        );
        const old = await fx().panorama.send(
          new DescribeApplicationInstanceCommand({
            ApplicationInstanceId: first.applicationInstanceId.value,
          }),
        );
        assert.strictEqual(old.Status, "REMOVAL_SUCCEEDED");
        const live = (
          await fx().panorama.send(new ListApplicationInstancesCommand({ DeviceId: device }))
        ).ApplicationInstances!.filter((i) => i.Status !== "REMOVAL_SUCCEEDED");
        assert.deepStrictEqual(
          live.map((i) => i.ApplicationInstanceId),
          [second.applicationInstanceId.value],
          "the device runs exactly the new instance",
        );

        await s.stack.destroy();
        const gone = await fx().panorama.send(
          new DescribeApplicationInstanceCommand({
            ApplicationInstanceId: second.applicationInstanceId.value,
          }),
        );
        assert.strictEqual(
          gone.Status,
          "REMOVAL_SUCCEEDED",
          "destroy removes the application from the device",
        );
      },
      { destroy: false },
    );
  });
});
