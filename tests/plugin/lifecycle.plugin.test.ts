// The provider plugin through the real engine against the emulator: the quickstart (package,
// import job, deployment onto a device found by an invoke) created, previewed with no change,
// refreshed and destroyed; secrets kept secret; bad inputs refused as the dynamic door does.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  DescribePackageCommand,
  ListApplicationInstancesCommand,
  ListDevicesCommand,
  ListPackageImportJobsCommand,
  ListPackagesCommand,
} from "@aws-sdk/client-panorama";
import { implementation } from "pulumi-panorama/dist/provider/resources/registry.js";
import { CLI_BUILD_TIMEOUT_MS, engineCli, stackState, withStack } from "../support/engine";
import {
  emulatorControl,
  MANIFEST_BUCKET,
  panoramaCalls,
  SAMPLE_MANIFEST,
  useEmulator,
  QUICK_LIFECYCLES,
} from "../support/emulatorFixture";
import { inlinePluginStack, pluginResource, pluginToken } from "../support/pluginDoor";
import { pluginQuickstart } from "./pluginProgram";

describe("the provider plugin through the real engine", function () {
  this.timeout(240_000);
  const fx = useEmulator({ timing: QUICK_LIFECYCLES });
  let deviceName: string;
  let n = 0;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    deviceName = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].Name!;
  });

  it("creates the quickstart, previews no change, refreshes and destroys it", async () => {
    const key = await fx().uploadManifest(`plugin/${++n}/package.json`);
    const program = async () =>
      pluginQuickstart({ manifestBucket: MANIFEST_BUCKET, manifestKey: key, deviceName });
    await withStack(inlinePluginStack(program, fx().env), async (s) => {
      const up = await s.stack.up();
      const out = up.outputs;
      assert.strictEqual(out.status.value, "SUCCEEDED");
      assert.strictEqual(out.deploymentStatus.value, "DEPLOYMENT_SUCCEEDED");
      assert.deepStrictEqual(out.deployedPackages.value, [
        { name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: out.patchVersion.value },
      ]);
      // The stack, the package, the job and the instance (providers are not counted).
      assert.strictEqual(up.summary.resourceChanges?.create, 4);
      const jobs = (await fx().panorama.send(new ListPackageImportJobsCommand({})))
        .PackageImportJobs!;
      assert.deepStrictEqual(
        jobs.map((j) => [j.JobId, j.Status]),
        [[out.jobId.value, "SUCCEEDED"]],
      );

      await emulatorControl(fx().emu, "POST", "requests/reset");
      const preview = await s.stack.preview();
      assert.deepStrictEqual(preview.changeSummary, { same: 4 });
      // The getDevice invoke is the only call a preview makes.
      assert.strictEqual(
        await panoramaCalls(fx().emu),
        (await panoramaCalls(fx().emu, "ListDevices")) +
          (await panoramaCalls(fx().emu, "DescribeDevice")),
      );

      const refresh = await s.stack.refresh();
      assert.deepStrictEqual(refresh.summary.resourceChanges, { same: 4 });
      const again = await s.stack.preview();
      assert.deepStrictEqual(again.changeSummary, { same: 4 });

      const destroy = await s.stack.destroy();
      assert.strictEqual(destroy.summary.resourceChanges?.delete, 4);
      assert.deepStrictEqual(
        (await fx().panorama.send(new ListPackagesCommand({}))).Packages,
        [],
        "the package is deleted with its patch",
      );
      const instances = (await fx().panorama.send(new ListApplicationInstancesCommand({})))
        .ApplicationInstances!;
      assert.deepStrictEqual(
        instances.map((i) => i.Status),
        ["REMOVAL_SUCCEEDED"],
      );
    });
  });

  it("keeps secret inputs and always-secret outputs encrypted in state", async () => {
    const key = await fx().uploadManifest(`plugin/${++n}/package.json`);
    const secretTag = "team-secret-7d1f";
    const program = async () =>
      pluginQuickstart({ manifestBucket: MANIFEST_BUCKET, manifestKey: key, secretTag });
    await withStack(inlinePluginStack(program, fx().env), async (s) => {
      await s.stack.up();
      const state = await stackState(s);
      const pkg = state.resources.find((r) => r.type === pluginToken("Package"))!;
      const described = await fx().panorama.send(new DescribePackageCommand({ PackageId: pkg.id }));
      assert.strictEqual(described.Tags?.owner, secretTag, "the secret reached the service");
      const job = state.resources.find((r) => r.type === pluginToken("PackageImportJob"))!;
      assert.ok(isSecret(job.outputs!.requestedClientToken), "requestedClientToken is secret");
      assert.ok(isSecret(pkg.outputs!.tags.owner), "the secret tag is secret in outputs");
      assert.ok(isSecret(pkg.inputs!.tags.owner), "and in inputs");
      // Nowhere in the backend's files: checkpoints, history, backups.
      const plaintext = grep(s.sandbox.dir, secretTag);
      assert.deepStrictEqual(plaintext, [], "no file of the backend holds the secret");
    });
  });

  it("records a job that FAILED with its reason (ErrorResourceInitFailed), and the next up starts a new one", async () => {
    const key = await fx().uploadManifest(
      `plugin/${++n}/package.json`,
      SAMPLE_MANIFEST.replace('"SAMPLE_CODE"', '"OTHER_CODE"'),
    );
    const program = async () =>
      pluginQuickstart({ manifestBucket: MANIFEST_BUCKET, manifestKey: key });
    await withStack(inlinePluginStack(program, fx().env), async (s) => {
      const error = await s.stack.up().then(
        () => assert.fail("up succeeded"),
        (e) => String(e),
      );
      assert.match(error, /Package import job packageImportJob-\w+ for SAMPLE_CODE 1\.0 FAILED/);
      const recorded = (await stackState(s)).resources.find(
        (r) => r.type === pluginToken("PackageImportJob"),
      )!;
      assert.strictEqual(recorded.outputs!.status, "FAILED");
      assert.match(recorded.initErrors![0], /FAILED: .*Fix the package manifest/);
      const failedJob = recorded.id;

      await fx().uploadManifest(key); // fixed
      const out = (await s.stack.up()).outputs;
      assert.strictEqual(out.status.value, "SUCCEEDED");
      assert.notStrictEqual(out.jobId.value, failedJob, "a new job replaced the failed one");
    });
  });

  it("refuses bad inputs with the dynamic door's check failures, before any Panorama call", async () => {
    const bad = { packageName: "not a valid name!", forceDelete: "yes" };
    const expected = implementation("Package")
      .checkFailures({ ...bad, packageKey: "k" })
      .map((f) => f.reason);
    assert.ok(expected.length >= 2, "the lifecycle refuses both");
    await emulatorControl(fx().emu, "POST", "requests/reset");
    await withStack(
      inlinePluginStack(async () => void pluginResource("Package", "bad", bad), fx().env),
      async (s) => {
        const error = await s.stack.up().then(
          () => assert.fail("up succeeded"),
          (e) => String(e),
        );
        for (const reason of expected) assert.ok(error.includes(reason), `${reason} in:\n${error}`);
        assert.strictEqual(await panoramaCalls(fx().emu), 0, "nothing reached Panorama");
      },
    );
  });
});

/** A secret as `pulumi stack export` shows it (decrypted, still marked). */
function isSecret(v: unknown): boolean {
  return (
    (v as Record<string, unknown>)?.["4dabf18193072939515e22adb298388d"] ===
    "1b47061264138c4ac30d75fd1eb44270"
  );
}

/** Files under `dir` containing `text`. */
function grep(dir: string, text: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, {
    withFileTypes: true,
    recursive: true,
  } as any) as any[]) {
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && fs.readFileSync(file).includes(text)) found.push(file);
  }
  return found;
}
