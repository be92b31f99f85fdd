// Package → PackageImportJob → ApplicationInstance through the real Pulumi CLI and engine
// (Automation API, file:// backend) against the emulator: the device deployment a user sees from
// `pulumi up`, a manifest change replacing the instance in place, `refresh` and `destroy`.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CommandError } from "@pulumi/pulumi/automation";
import {
  DescribeApplicationInstanceCommand,
  DescribePackageCommand,
  ListApplicationInstancesCommand,
  ListDevicesCommand,
} from "@aws-sdk/client-panorama";
import {
  ApplicationInstance,
  applicationManifestOutput,
  Package,
  PackageImportJob,
  packageRefOutput,
} from "pulumi-panorama";
import { DEPLOYMENT_KEY_TAG } from "../../provider/resources/applicationInstance";
import {
  CLI_BUILD_TIMEOUT_MS,
  EngineStack,
  engineCli,
  inlineStack,
  stackState,
  withStack,
} from "../support/engine";
import { emulatorControl, MANIFEST_BUCKET, useEmulator } from "../support/emulatorFixture";

const APP_TYPE = "pulumi-nodejs:dynamic/panorama:ApplicationInstance";
const PACKAGE_TYPE = "pulumi-nodejs:dynamic/panorama:Package";
const FAST = { minDelaySeconds: 0.1, maxDelaySeconds: 0.5, timeoutSeconds: 60 };

/** The deployment stack: a package, the import of its code, and the application on the device. */
function deploymentProgram() {
  const config = new pulumi.Config();
  const pkg = new Package("sample-code-package", {
    packageName: "SAMPLE_CODE",
    forceDelete: true,
    waitOptions: FAST,
  });
  const job = new PackageImportJob("sample-code", {
    inputConfig: {
      packageVersionInputConfig: {
        s3Location: { bucketName: MANIFEST_BUCKET, objectKey: config.require("manifestKey") },
      },
    },
    // Naming the package through its resource makes the import wait for it.
    outputConfig: {
      packageVersionOutputConfig: {
        packageName: pkg.packageName,
        packageVersion: "1.0",
        markLatest: true,
      },
    },
    waitOptions: FAST,
  });
  const ref = packageRefOutput({
    packageArn: pkg.arn,
    packageName: job.packageName,
    packageVersion: job.packageVersion,
    patchVersion: config.get("pinPatch") ?? job.patchVersion,
  });
  const app = new ApplicationInstance("sample-app", {
    name: "sample-app",
    defaultRuntimeContextDevice: config.require("device"),
    manifestPayload: applicationManifestOutput({
      description: config.get("graphDescription"),
      packages: [ref],
      nodes: [{ name: "code_node", package: ref, interfaceName: "interface" }],
    }),
    tags: { team: "vision" },
    waitOptions: FAST,
  });
  return {
    applicationInstanceId: app.applicationInstanceId,
    status: app.status,
    healthStatus: app.healthStatus,
    packages: app.packages,
    replaced: app.applicationInstanceIdToReplace,
    deploymentKey: app.deploymentKey,
    appTags: app.tags,
    appRegion: app.region,
    packageId: pkg.packageId,
    packageRegion: pkg.region,
    storageBucket: pkg.storageLocation.bucket,
    patchVersion: job.patchVersion,
  };
}

describe("Device deployment through the real Pulumi engine", function () {
  this.timeout(240_000);
  const fx = useEmulator({
    timing: {
      importJob: { mode: "timed", durationMs: 300 },
      deployment: { mode: "timed", durationMs: 600 },
      removal: { mode: "timed", durationMs: 300 },
    },
  });
  let device: string;
  let n = 0;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    device = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
  });

  async function deploymentStack(config: Record<string, string> = {}): Promise<EngineStack> {
    const key = await fx().uploadManifest(`deployment/${++n}/package.json`);
    return inlineStack({
      program: async () => deploymentProgram(),
      projectName: "panorama-deployment",
      env: fx().env,
      config: { manifestKey: key, device, ...config },
    });
  }

  const describeInstance = (id: string) =>
    fx().panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));
  /** Instances of this stack that the device runs or is about to run. */
  const liveInstances = async (deploymentKey: string) =>
    (
      await fx().panorama.send(new ListApplicationInstancesCommand({ DeviceId: device }))
    ).ApplicationInstances!.filter(
      (i) =>
        i.Tags?.[DEPLOYMENT_KEY_TAG] === deploymentKey &&
        !["REMOVAL_SUCCEEDED", "DEPLOYMENT_FAILED"].includes(i.Status!),
    );
  const appResources = async (s: EngineStack) =>
    (await stackState(s)).resources.filter((r) => r.type === APP_TYPE);

  it("deploys the imported patch, replaces the instance in place when the manifest changes, and destroy removes it", async () => {
    await withStack(deploymentStack(), async (s) => {
      const up = await s.stack.up();
      const first = up.outputs.applicationInstanceId.value;
      assert.strictEqual(up.outputs.status.value, "DEPLOYMENT_SUCCEEDED");
      assert.strictEqual(up.outputs.healthStatus.value, "RUNNING");
      assert.deepStrictEqual(up.outputs.packages.value, [
        { name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: up.outputs.patchVersion.value },
      ]);
      assert.strictEqual(
        up.outputs.replaced?.value,
        undefined,
        "a first deployment replaces nothing",
      );
      assert.deepStrictEqual(up.outputs.appTags.value, { team: "vision" });
      assert.strictEqual(
        up.outputs.appRegion.value,
        "us-east-1",
        "outputs the program did not set are exported too",
      );
      assert.strictEqual(up.outputs.packageRegion.value, "us-east-1");
      assert.strictEqual(up.outputs.storageBucket.value, fx().emu.storageBucket);
      const key = up.outputs.deploymentKey.value;
      assert.match(key, /^pulumi-[0-9a-f]{40}$/);

      const preview = await s.stack.preview();
      assert.deepStrictEqual(preview.changeSummary, { same: 4 });

      await s.stack.setConfig("graphDescription", { value: "second revision" });
      const replaced = await s.stack.up();
      assert.strictEqual(replaced.summary.resourceChanges?.replace, 1);
      const second = replaced.outputs.applicationInstanceId.value;
      assert.notStrictEqual(second, first);
      assert.strictEqual(
        replaced.outputs.replaced.value,
        first,
        "the new instance took the old one's place",
      );
      assert.strictEqual((await describeInstance(first)).Status, "REMOVAL_SUCCEEDED");
      assert.deepStrictEqual(
        (await liveInstances(key)).map((i) => i.ApplicationInstanceId),
        [second],
      );
      assert.deepStrictEqual(
        (await appResources(s)).map((r) => r.id),
        [second],
      );

      await s.stack.refresh();
      assert.deepStrictEqual((await s.stack.preview()).changeSummary, { same: 4 });

      const destroy = await s.stack.destroy();
      assert.strictEqual(destroy.summary.resourceChanges?.delete, 4);
      assert.strictEqual((await describeInstance(second)).Status, "REMOVAL_SUCCEEDED");
      await assert.rejects(
        fx().panorama.send(new DescribePackageCommand({ PackageId: up.outputs.packageId.value })),
        (e: Error) => e.name === "ResourceNotFoundException",
      );
    });
  });

  it("a failed deployment fails up with the instance, its status and description; the next up after the fix replaces it", async () => {
    await withStack(deploymentStack({ pinPatch: "b".repeat(64) }), async (s) => {
      const failed = await s.stack.up().then(
        () => assert.fail("up should fail"),
        (e: unknown) => e as CommandError,
      );
      const [app] = await appResources(s);
      assert.ok(app, "the failed instance is recorded in state");
      assert.strictEqual(app.outputs!.status, "DEPLOYMENT_FAILED");
      const text = String(failed.message);
      for (const part of [app.id!, "DEPLOYMENT_FAILED", app.outputs!.statusDescription])
        assert.ok(text.includes(part), `${part} not in ${text}`);

      await s.stack.removeConfig("pinPatch");
      const up = await s.stack.up();
      assert.strictEqual(up.outputs.status.value, "DEPLOYMENT_SUCCEEDED");
      assert.notStrictEqual(up.outputs.applicationInstanceId.value, app.id);
      assert.strictEqual(
        (await describeInstance(app.id!)).Status,
        "REMOVAL_SUCCEEDED",
        "the failed instance was removed",
      );
      assert.deepStrictEqual(
        (await liveInstances(up.outputs.deploymentKey.value)).map((i) => i.ApplicationInstanceId),
        [up.outputs.applicationInstanceId.value],
      );
      const [after] = await appResources(s);
      assert.strictEqual(after.initErrors, undefined);
    });
  });

  it("refresh sees an instance removed outside the stack as gone, and the next up deploys it again", async () => {
    await withStack(deploymentStack(), async (s) => {
      const up = await s.stack.up();
      const id = up.outputs.applicationInstanceId.value;
      await emulatorControl(fx().emu, "POST", `application-instances/${id}/status`, {
        status: "REMOVAL_SUCCEEDED",
      });
      await s.stack.refresh();
      assert.deepStrictEqual(await appResources(s), []);
      assert.deepStrictEqual(
        (await stackState(s)).resources.filter((r) => r.type === PACKAGE_TYPE).length,
        1,
      );
      const again = await s.stack.up();
      assert.strictEqual(again.summary.resourceChanges?.create, 1);
      assert.strictEqual(again.outputs.status.value, "DEPLOYMENT_SUCCEEDED");
    });
  });
});
