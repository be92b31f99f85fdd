// examples/yaml (the quickstart as a Pulumi YAML program) through the real CLI, the YAML language
// host and this checkout's plugin, against the emulator: its whole life, its secret kept out of
// every checkpoint and history file, and a preview that predicts exactly what `up` then does.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  DescribePackageCommand,
  ListApplicationInstancesCommand,
  ListDevicesCommand,
  ListPackagesCommand,
} from "@aws-sdk/client-panorama";
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import { isSecret, revealSecrets, secretsOnDisk } from "../support/checkpoint";
import {
  CLI_BUILD_TIMEOUT_MS,
  EngineStack,
  engineCli,
  localStack,
  REPO_ROOT,
  stackState,
  withStack,
} from "../support/engine";
import { MANIFEST_BUCKET, QUICK_LIFECYCLES, useEmulator } from "../support/emulatorFixture";
import { PANORAMA_PLUGIN, pluginToken } from "../support/pluginDoor";

const EXAMPLE = path.join(REPO_ROOT, "examples", "yaml", "Pulumi.yaml");
const OWNER_TAG = "yaml-owner-5c0e9a";

/** The example's Pulumi.yaml without its `plugins:` block (its relative path leaves the repo). */
function exampleProject(): string {
  return fs.readFileSync(EXAMPLE, "utf8").replace(/^plugins:\n(?:[ #].*\n|\n)*/m, "");
}

/** `op` of every resource step the engine announced, by URN (the stack itself left out). */
function stepsOf(events: EngineEvent[]): Record<string, OpType> {
  const steps: Record<string, OpType> = {};
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (m && m.type !== "pulumi:pulumi:Stack") steps[m.urn] = m.op;
  }
  return steps;
}

describe("the YAML quickstart (examples/yaml) through the plugin and the real engine", function () {
  this.timeout(300_000);
  const fx = useEmulator({ timing: QUICK_LIFECYCLES });
  let deviceName: string;
  let n = 0;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli({ languages: ["yaml"] });
    deviceName = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].Name!;
  });

  async function yamlStack(): Promise<EngineStack> {
    const key = await fx().uploadManifest(`yaml/${++n}/package.json`);
    return localStack({
      files: { "Pulumi.yaml": exampleProject() },
      providerPlugins: [PANORAMA_PLUGIN],
      env: fx().env,
      config: {
        manifestBucket: MANIFEST_BUCKET,
        manifestKey: key,
        deviceName,
        ownerTag: { value: OWNER_TAG, secret: true },
        "panorama:region": fx().emu.region,
      },
    });
  }

  it("lives through up, a no-change preview, refresh, destroy and up again, its secret never in plaintext", async () => {
    await withStack(yamlStack(), async (s) => {
      let output = "";
      const onOutput = (line: string) => (output += line);
      const up = await s.stack.up({ onOutput });
      assert.deepStrictEqual(up.summary.resourceChanges, { create: 4 });
      const out = up.outputs;
      assert.strictEqual(out.status.value, "SUCCEEDED");
      assert.strictEqual(out.deploymentStatus.value, "DEPLOYMENT_SUCCEEDED");
      assert.deepStrictEqual(out.deployedPackages.value, [
        { name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: out.patchVersion.value },
      ]);
      assert.doesNotMatch(output, /warning/i);

      const preview = await s.stack.preview({ expectNoChanges: true, onOutput });
      assert.deepStrictEqual(preview.changeSummary, { same: 4 });
      const refresh = await s.stack.refresh({ onOutput });
      assert.deepStrictEqual(refresh.summary.resourceChanges, { same: 4 });
      assert.deepStrictEqual((await s.stack.preview()).changeSummary, { same: 4 });

      // The secret config reached the service, is marked secret in state (the package's inputs
      // and outputs), and is in no checkpoint or history file.
      const pkg = (await stackState(s)).resources.find((r) => r.type === pluginToken("Package"))!;
      assert.ok(isSecret(pkg.inputs!.tags.owner) && isSecret(pkg.outputs!.tags.owner));
      assert.strictEqual(revealSecrets(pkg.outputs!.tags).owner, OWNER_TAG);
      const described = await fx().panorama.send(new DescribePackageCommand({ PackageId: pkg.id }));
      assert.strictEqual(described.Tags?.owner, OWNER_TAG);
      assert.deepStrictEqual(secretsOnDisk(s.sandbox, { ownerTag: OWNER_TAG }), []);

      const destroy = await s.stack.destroy({ onOutput });
      assert.deepStrictEqual(destroy.summary.resourceChanges, { delete: 4 });
      assert.deepStrictEqual((await fx().panorama.send(new ListPackagesCommand({}))).Packages, []);

      // Up again on the same emulator: a new package, job and deployment, nothing left over.
      const again = await s.stack.up({ onOutput });
      assert.deepStrictEqual(again.summary.resourceChanges, { create: 4 });
      assert.strictEqual(again.outputs.deploymentStatus.value, "DEPLOYMENT_SUCCEEDED");
      assert.notStrictEqual(again.outputs.packageId.value, out.packageId.value);
      const instances = (await fx().panorama.send(new ListApplicationInstancesCommand({})))
        .ApplicationInstances!;
      assert.deepStrictEqual(instances.map((i) => i.Status).sort(), [
        "DEPLOYMENT_SUCCEEDED",
        "REMOVAL_SUCCEEDED",
      ]);
      const packages = (await fx().panorama.send(new ListPackagesCommand({}))).Packages!;
      assert.deepStrictEqual(
        packages.map((p) => p.PackageId),
        [again.outputs.packageId.value],
      );
      assert.deepStrictEqual(secretsOnDisk(s.sandbox, { ownerTag: OWNER_TAG }), []);
      assert.ok(!output.includes(OWNER_TAG), "the secret is in none of the CLI's output");
    });
  });

  it("previews an options-only change (the job's waitOptions) as exactly what up then does", async () => {
    await withStack(yamlStack(), async (s) => {
      await s.stack.up();
      await s.stack.setConfig("importTimeoutSeconds", { value: "900" });

      const previewEvents: EngineEvent[] = [];
      const preview = await s.stack.preview({ onEvent: (e) => void previewEvents.push(e) });
      const upEvents: EngineEvent[] = [];
      const up = await s.stack.up({ onEvent: (e) => void upEvents.push(e) });

      const planned = stepsOf(previewEvents);
      assert.deepStrictEqual(planned, stepsOf(upEvents), "preview's plan is what up did");
      const byType = Object.fromEntries(
        Object.entries(planned).map(([urn, op]) => [urn.split("::")[2], op]),
      );
      assert.deepStrictEqual(byType, {
        "pulumi:providers:panorama": "same",
        [pluginToken("Package")]: "same",
        [pluginToken("PackageImportJob")]: "update",
        [pluginToken("ApplicationInstance")]: "same",
      });
      assert.deepStrictEqual(preview.changeSummary, { same: 3, update: 1 });
      assert.deepStrictEqual(up.summary.resourceChanges, { same: 3, update: 1 });
    });
  });
});
