// A stack made with the TypeScript classes moved to the provider plugin through the real engine:
// `pulumi stack export`, pulumi-panorama-to-plugin, `pulumi stack import`, then the same program
// on the plugin's tokens previews no change. Nothing remote is created, deleted or duplicated.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import {
  ListApplicationInstancesCommand,
  ListDevicesCommand,
  ListPackageImportJobsCommand,
  ListPackagesCommand,
} from "@aws-sdk/client-panorama";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { quickstart } from "../../examples/quickstart/program";
import {
  CLI_BUILD_TIMEOUT_MS,
  createSandbox,
  engineCli,
  inlineStack,
  REPO_ROOT,
  stackState,
  withStack,
} from "../support/engine";
import {
  emulatorControl,
  MANIFEST_BUCKET,
  panoramaCalls,
  useEmulator,
  QUICK_LIFECYCLES,
} from "../support/emulatorFixture";
import { PANORAMA_PLUGIN, pluginToken } from "../support/pluginDoor";
import { pluginQuickstart } from "./pluginProgram";

/** Calls that would create, change or delete something remote. */
const WRITES = /^(Create|Delete|Remove|Register|Deregister|Tag|Untag)/;

describe("moving a stack from the TypeScript classes to the provider plugin", function () {
  this.timeout(300_000);
  const fx = useEmulator({ timing: QUICK_LIFECYCLES });

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
  });

  it("keeps every object: the moved stack previews no change, refreshes, and destroys through the plugin", async () => {
    const key = await fx().uploadManifest("move/package.json");
    const device = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
    const sandbox = createSandbox();
    let program: PulumiFn = async () => quickstart();
    const s = await inlineStack({
      program: async () => program(),
      projectName: "panorama-quickstart",
      env: fx().env,
      sandbox,
      config: { manifestBucket: MANIFEST_BUCKET, manifestKey: key, device },
      providerPlugins: [PANORAMA_PLUGIN],
    });
    await withStack(Promise.resolve(s), async () => {
      const before = (await s.stack.up()).outputs;
      await emulatorControl(fx().emu, "POST", "requests/reset");

      // What a user runs: export, move, import.
      const exported = JSON.stringify(await s.stack.exportStack());
      const moved = execFileSync(path.join(REPO_ROOT, "bin", "pulumi-panorama-to-plugin"), {
        input: exported,
        encoding: "utf8",
        stdio: ["pipe", "pipe", "pipe"],
      });
      await s.stack.importStack(JSON.parse(moved));
      const state = await stackState(s);
      assert.deepStrictEqual(
        state.resources
          .filter((r) => r.type.startsWith("panorama:index:"))
          .map((r) => r.type)
          .sort(),
        ["ApplicationInstance", "Package", "PackageImportJob"].map(pluginToken),
      );
      assert.ok(
        !state.resources.some((r) => r.type.startsWith("pulumi-nodejs:")),
        "nothing left on the dynamic door",
      );
      assert.ok(
        !JSON.stringify(state.deployment).includes("__provider"),
        "no serialized provider left",
      );

      program = async () =>
        pluginQuickstart({ manifestBucket: MANIFEST_BUCKET, manifestKey: key, deviceId: device });
      const preview = await s.stack.preview({ expectNoChanges: true });
      assert.deepStrictEqual(preview.changeSummary, { same: 4 });
      const up = await s.stack.up({ expectNoChanges: true });
      assert.deepStrictEqual(up.outputs, before, "the same outputs");
      await s.stack.refresh({ expectNoChanges: true });
      const counts = (await emulatorControl(fx().emu, "GET", "requests")).byOperation as Record<
        string,
        number
      >;
      const writes = Object.keys(counts).filter((op) => WRITES.test(op.replace(/^\w+:/, "")));
      assert.deepStrictEqual(
        writes,
        [],
        "moving, previewing, updating and refreshing wrote nothing",
      );
      assert.ok(
        (await panoramaCalls(fx().emu, "DescribeApplicationInstance")) > 0,
        "the refresh read through the plugin",
      );

      await s.stack.destroy();
      assert.deepStrictEqual((await fx().panorama.send(new ListPackagesCommand({}))).Packages, []);
      const jobs = (await fx().panorama.send(new ListPackageImportJobsCommand({})))
        .PackageImportJobs!;
      assert.deepStrictEqual(
        jobs.map((j) => j.JobId),
        [before.jobId.value],
        "one job, never a second",
      );
      const instances = (await fx().panorama.send(new ListApplicationInstancesCommand({})))
        .ApplicationInstances!;
      assert.deepStrictEqual(
        instances.map((i) => [i.ApplicationInstanceId, i.Status]),
        [[before.applicationInstanceId.value, "REMOVAL_SUCCEEDED"]],
        "one instance, removed by the plugin",
      );
    });
    sandbox.dispose();
  });
});
