// The nodejs SDK generated from schema.json (sdk/nodejs, `@pulumi-panorama/plugin-sdk`): compiled
// under strict TypeScript as it would be published, then the quickstart on it through the real
// engine and this checkout's plugin against the emulator; a bad input through the SDK is refused
// with the dynamic door's check failure, before any Panorama call.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { ListDevicesCommand, ListPackagesCommand } from "@aws-sdk/client-panorama";
import { implementation } from "pulumi-panorama/dist/provider/resources/registry.js";
import { CLI_BUILD_TIMEOUT_MS, engineCli, REPO_ROOT, withStack } from "../support/engine";
import {
  emulatorControl,
  MANIFEST_BUCKET,
  panoramaCalls,
  QUICK_LIFECYCLES,
  useEmulator,
} from "../support/emulatorFixture";
import { inlinePluginStack } from "../support/pluginDoor";
import type * as Sdk from "../../sdk/nodejs";
import { sdkQuickstart } from "./sdkQuickstart";

const SDK_SOURCES = path.join(REPO_ROOT, "sdk", "nodejs");
const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8"));

/** Compiles sdk/nodejs with its own tsconfig (plus --strict) into `dir`, laid out as published. */
function compileSdk(dir: string): string {
  const bin = path.join(dir, "sdk", "bin");
  const compiled = spawnSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", SDK_SOURCES, "--strict", "--outDir", bin],
    { encoding: "utf8" },
  );
  assert.strictEqual(compiled.status, 0, `${compiled.stdout}${compiled.stderr}`);
  // The SDK reads its version from the package.json beside it, as in the published package.
  fs.copyFileSync(path.join(SDK_SOURCES, "package.json"), path.join(bin, "package.json"));
  // The compiled package resolves @pulumi/pulumi (the one this process runs) from here.
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return bin;
}

describe("the generated nodejs SDK (sdk/nodejs) through the plugin and the real engine", function () {
  this.timeout(300_000);
  const fx = useEmulator({ timing: QUICK_LIFECYCLES });
  let dir: string;
  let panorama: typeof Sdk;
  let deviceName: string;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-panorama-sdk-nodejs-"));
    panorama = require(compileSdk(dir));
    deviceName = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].Name!;
  });

  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it("is its own package, carrying the schema's name, version and strict tsconfig", () => {
    const packageJson = JSON.parse(fs.readFileSync(path.join(SDK_SOURCES, "package.json"), "utf8"));
    assert.strictEqual(packageJson.name, "@pulumi-panorama/plugin-sdk");
    assert.strictEqual(packageJson.name, schema.language.nodejs.packageName);
    assert.strictEqual(packageJson.version, schema.version);
    assert.deepStrictEqual(packageJson.pulumi, {
      resource: true,
      name: "panorama",
      version: schema.version,
    });
    const tsconfig = ts.readConfigFile(path.join(SDK_SOURCES, "tsconfig.json"), ts.sys.readFile);
    assert.strictEqual(tsconfig.config.compilerOptions.strict, true);
  });

  it("runs the quickstart: up, a no-change preview, destroy", async () => {
    const manifestKey = await fx().uploadManifest("sdk-nodejs/package.json");
    const program = async () =>
      sdkQuickstart(panorama, { manifestBucket: MANIFEST_BUCKET, manifestKey, deviceName });
    await withStack(inlinePluginStack(program, fx().env), async (s) => {
      const up = await s.stack.up();
      assert.deepStrictEqual(up.summary.resourceChanges, { create: 4 });
      const out = up.outputs;
      assert.strictEqual(out.status.value, "SUCCEEDED");
      assert.strictEqual(out.deploymentStatus.value, "DEPLOYMENT_SUCCEEDED");
      assert.strictEqual(out.healthStatus.value, "RUNNING");
      assert.match(out.patchVersion.value, /^[0-9a-f]{64}$/);
      assert.deepStrictEqual(out.deployedPackages.value, [
        { name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: out.patchVersion.value },
      ]);

      await emulatorControl(fx().emu, "POST", "requests/reset");
      const preview = await s.stack.preview({ expectNoChanges: true });
      assert.deepStrictEqual(preview.changeSummary, { same: 4 });

      const destroy = await s.stack.destroy();
      assert.deepStrictEqual(destroy.summary.resourceChanges, { delete: 4 });
      assert.deepStrictEqual((await fx().panorama.send(new ListPackagesCommand({}))).Packages, []);
    });
  });

  it("refuses a bad input with the dynamic door's check failure naming the property, before any Panorama call", async () => {
    const inputs = {
      inputConfig: {
        packageVersionInputConfig: { s3Location: { bucketName: MANIFEST_BUCKET, objectKey: "k" } },
      },
      outputConfig: {
        packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion: "bad version!" },
      },
    };
    const expected = implementation("PackageImportJob")
      .checkFailures(inputs)
      .map((f) => f.reason);
    assert.ok(
      expected.some((r) =>
        r.startsWith("outputConfig.packageVersionOutputConfig.packageVersion: must"),
      ),
      expected.join("\n"),
    );
    await emulatorControl(fx().emu, "POST", "requests/reset");
    const program = async () => void new panorama.PackageImportJob("bad-import", inputs);
    await withStack(inlinePluginStack(program, fx().env), async (s) => {
      const error = await s.stack.up().then(
        () => assert.fail("up succeeded"),
        (e) => String(e),
      );
      for (const reason of expected) assert.ok(error.includes(reason), `${reason} in:\n${error}`);
      assert.match(
        error,
        /'bad-import'.* has a problem: outputConfig\.packageVersionOutputConfig\.packageVersion: must/,
      );
      assert.strictEqual(await panoramaCalls(fx().emu), 0, "nothing reached Panorama");
    });
  });
});
