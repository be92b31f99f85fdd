// examples/go (the quickstart as a Go program on the generated Go SDK, sdk/go, driving itself
// through the Automation API with an inline program) against the emulator, through the real CLI
// and this checkout's plugin: up, a no-change preview, refresh, destroy. The binary is built once
// per change of its sources or the SDK's (scripts/go-quickstart.js; .ci/run builds it in set-up).
import * as assert from "assert";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { ListDevicesCommand, ListPackagesCommand } from "@aws-sdk/client-panorama";
import { ensureGoQuickstart } from "../../scripts/go-quickstart";
import {
  CLI_BUILD_TIMEOUT_MS,
  createSandbox,
  EngineCli,
  engineCli,
  Sandbox,
} from "../support/engine";
import { MANIFEST_BUCKET, QUICK_LIFECYCLES, useEmulator } from "../support/emulatorFixture";
import { PANORAMA_PLUGIN } from "../support/pluginDoor";

const run = promisify(execFile);

/** The first build compiles the Pulumi Go SDK: minutes on 2 cores, far longer on a loaded machine. */
const GO_BUILD_TIMEOUT_MS = 20 * 60 * 1000;

interface Result {
  changes: Record<string, number>;
  outputs?: Record<string, any>;
}

describe("the Go quickstart (examples/go) on the generated Go SDK, through the plugin and the real engine", function () {
  this.timeout(300_000);
  const fx = useEmulator({ timing: QUICK_LIFECYCLES });
  let cli: EngineCli;
  let program: string;
  let sandbox: Sandbox;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS + GO_BUILD_TIMEOUT_MS);
    cli = await engineCli();
    const built = await ensureGoQuickstart({ log: (line) => console.log(`      [go] ${line}`) });
    program = built.path;
    sandbox = createSandbox();
  });

  after(() => sandbox?.dispose());

  /** One command of the program (asynchronously: the emulator answers from this process). */
  async function quickstart(command: string, manifestKey: string, deviceName: string) {
    const { stdout } = await run(
      program,
      [
        "-plugin-dir",
        PANORAMA_PLUGIN.path,
        "-manifest-bucket",
        MANIFEST_BUCKET,
        "-manifest-key",
        manifestKey,
        "-device-name",
        deviceName,
        "-region",
        fx().emu.region,
        command,
      ],
      {
        cwd: sandbox.dir,
        env: {
          ...process.env,
          ...fx().env,
          ...sandbox.env,
          PATH: `${cli.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((err) => assert.fail(`${command} failed:\n${err.stderr || err.message}`));
    const lines = stdout.trim().split("\n");
    return JSON.parse(lines[lines.length - 1]) as Result;
  }

  it("lives through up, a no-change preview, refresh and destroy, with the quickstart's outputs", async () => {
    const manifestKey = await fx().uploadManifest("go/package.json");
    const deviceName = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].Name!;

    const up = await quickstart("up", manifestKey, deviceName);
    assert.deepStrictEqual(up.changes, { create: 4 });
    const out = up.outputs!;
    assert.strictEqual(out.status, "SUCCEEDED");
    assert.strictEqual(out.deploymentStatus, "DEPLOYMENT_SUCCEEDED");
    assert.strictEqual(out.healthStatus, "RUNNING");
    assert.match(out.jobId, /^packageImportJob-/);
    assert.match(out.applicationInstanceId, /^applicationInstance-/);
    assert.deepStrictEqual(out.deployedPackages, [
      { name: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: out.patchVersion },
    ]);
    const packages = (await fx().panorama.send(new ListPackagesCommand({}))).Packages!;
    assert.deepStrictEqual(
      packages.map((p) => p.PackageId),
      [out.packageId],
    );

    assert.deepStrictEqual((await quickstart("preview", manifestKey, deviceName)).changes, {
      same: 4,
    });
    assert.deepStrictEqual((await quickstart("refresh", manifestKey, deviceName)).changes, {
      same: 4,
    });
    assert.deepStrictEqual((await quickstart("destroy", manifestKey, deviceName)).changes, {
      delete: 4,
    });
    assert.deepStrictEqual((await fx().panorama.send(new ListPackagesCommand({}))).Packages, []);
  });
});
