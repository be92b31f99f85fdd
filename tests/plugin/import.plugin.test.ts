// `pulumi import` through the provider plugin and the real engine: objects made outside Pulumi
// come under management, and the program that names them previews no change; an id that does
// not exist fails naming it and how to list the real ones.
import * as assert from "assert";
import {
  CreateJobForDevicesCommand,
  CreatePackageCommand,
  DescribeDeviceJobCommand,
  ListDevicesCommand,
  ListPackagesCommand,
} from "@aws-sdk/client-panorama";
import { CLI_BUILD_TIMEOUT_MS, engineCli, stackState, withStack } from "../support/engine";
import { emulatorControl, MANIFEST_BUCKET, useEmulator } from "../support/emulatorFixture";
import {
  localPluginStack,
  pluginToken,
  sampleJobInputs,
  tokenProgram,
} from "../support/pluginDoor";

const PROGRAM = (manifestKey: string) =>
  tokenProgram([
    { type: "Package", name: "code", props: { packageName: "IMPORTED" } },
    { type: "PackageImportJob", name: "job", props: sampleJobInputs(MANIFEST_BUCKET, manifestKey) },
  ]);

describe("pulumi import through the provider plugin", function () {
  this.timeout(240_000);
  const fx = useEmulator({ timing: { importJob: { mode: "timed", durationMs: 500 } } });

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
  });

  it("imports a package and an import job made outside Pulumi; the program naming them previews no change", async () => {
    const key = await fx().uploadManifest("import/package.json");
    const pkg = await fx().panorama.send(new CreatePackageCommand({ PackageName: "IMPORTED" }));
    const jobId = await fx().createImportJob(key, "made-by-panorama-cli");
    await withStack(
      localPluginStack(PROGRAM(key), fx().env),
      async (s) => {
        await s.stack.import({
          resources: [
            { type: pluginToken("Package"), name: "code", id: pkg.PackageId! },
            { type: pluginToken("PackageImportJob"), name: "job", id: jobId },
          ],
          protect: false,
          // The repository's Node.js language host has no GenerateProgram; YAML's prints the code.
          generateCode: false,
        });
        const state = await stackState(s);
        const ids = state.resources
          .filter((r) => r.type.startsWith("panorama:index:"))
          .map((r) => r.id);
        assert.deepStrictEqual(ids.sort(), [jobId, pkg.PackageId].sort());
        // Recorded as the program would have made them: the job keeps the token it runs under, and
        // the token the program derives is in its inputs and where diff compares it.
        const recordedJob = state.resources.find((r) => r.id === jobId)!;
        assert.strictEqual(recordedJob.outputs!.clientToken, "made-by-panorama-cli");
        assert.match(recordedJob.inputs!.clientToken, /^pulumi-[0-9a-f]{40}$/);
        assert.strictEqual(
          JSON.parse(recordedJob.outputs!.requestedClientToken.plaintext),
          recordedJob.inputs!.clientToken,
        );

        const preview = await s.stack.preview({ expectNoChanges: true });
        assert.deepStrictEqual(preview.changeSummary, { same: 3 });
        await s.stack.refresh({ expectNoChanges: true });
        // Destroying forgets the job (import jobs cannot be deleted) and deletes the package.
        await s.stack.destroy();
        assert.deepStrictEqual(
          (await fx().panorama.send(new ListPackagesCommand({}))).Packages!.map(
            (p) => p.PackageName,
          ),
          ["SAMPLE_CODE"],
        );
      },
      { destroy: false },
    );
  });

  it("imports a device job by its id; the program naming it previews no change, and destroy only forgets it", async () => {
    const deviceId = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
    const { Jobs } = await fx().panorama.send(
      new CreateJobForDevicesCommand({
        DeviceIds: [deviceId],
        JobType: "OTA",
        DeviceJobConfig: { OTAJobConfig: { ImageVersion: "6.2.5" } },
      }),
    );
    const jobId = Jobs![0].JobId!;
    await emulatorControl(fx().emu, "POST", `device-jobs/${jobId}/complete`);
    const program = tokenProgram([
      {
        type: "DeviceJob",
        name: "ota",
        props: { deviceId, jobType: "OTA", imageVersion: "6.2.5" },
      },
    ]);
    await withStack(
      localPluginStack(program, fx().env),
      async (s) => {
        await s.stack.import({
          resources: [{ type: pluginToken("DeviceJob"), name: "ota", id: jobId }],
          protect: false,
          generateCode: false,
        });
        const recorded = (await stackState(s)).resources.find((r) => r.id === jobId)!;
        assert.deepStrictEqual(recorded.inputs, {
          deviceId,
          jobType: "OTA",
          imageVersion: "6.2.5",
        });
        assert.deepStrictEqual(
          [recorded.outputs!.status, recorded.outputs!.currentSoftware],
          ["COMPLETED", "6.2.5"],
        );
        const preview = await s.stack.preview({ expectNoChanges: true });
        assert.deepStrictEqual(preview.changeSummary, { same: 2 });
        await s.stack.refresh({ expectNoChanges: true });
        await s.stack.destroy();
        const job = await fx().panorama.send(new DescribeDeviceJobCommand({ JobId: jobId }));
        assert.strictEqual(job.Status, "COMPLETED", "a device job cannot be deleted");
      },
      { destroy: false },
    );
  });

  it("fails to import an id that does not exist, naming it and how to list the real ones", async () => {
    await withStack(localPluginStack(PROGRAM("unused"), fx().env), async (s) => {
      const error = await s.stack
        .import({
          resources: [{ type: pluginToken("Package"), name: "code", id: "package-doesnotexist" }],
        })
        .then(
          () => assert.fail("the import succeeded"),
          (e) => String(e),
        );
      assert.match(
        error,
        /panorama:index:Package package-doesnotexist does not exist in us-east-1, so it cannot be imported\. List the ids there are with `aws panorama list-packages --region us-east-1`/,
      );
      const recorded = (await stackState(s)).resources.filter(
        (r) => r.type === pluginToken("Package"),
      );
      assert.deepStrictEqual(recorded, [], "nothing was recorded");
    });
  });
});
