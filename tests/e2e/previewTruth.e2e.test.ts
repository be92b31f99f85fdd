// What `pulumi preview` predicts against what `pulumi up` then does, through the real engine, for
// every options-only change of each resource and for a parameter change: the same operations on
// the same resources, no replace downstream of an option, and the replacing input named.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ListDevicesCommand } from "@aws-sdk/client-panorama";
import {
  ApplicationInstance,
  applicationManifestOutput,
  Package,
  PackageImportJob,
  packageRefOutput,
  PackageVersion,
} from "pulumi-panorama";
import {
  cleanup,
  CLI_BUILD_TIMEOUT_MS,
  engineCli,
  EngineStack,
  inlineStack,
} from "../support/engine";
import { MANIFEST_BUCKET, SAMPLE_MANIFEST, useEmulator } from "../support/emulatorFixture";

/** Package → import job → application, each with options the stack config sets. */
function program() {
  const config = new pulumi.Config();
  const fast = (timeoutSeconds: number) => ({
    minDelaySeconds: 0.1,
    maxDelaySeconds: 0.5,
    timeoutSeconds,
  });
  const pkg = new Package("code-package", {
    packageName: "SAMPLE_CODE",
    forceDelete: config.getBoolean("forceDelete") ?? true,
    tags: { team: config.get("packageTeam") ?? "vision" },
    waitOptions: fast(60),
  });
  const job = new PackageImportJob(
    "code-import",
    {
      inputConfig: {
        packageVersionInputConfig: {
          s3Location: { bucketName: MANIFEST_BUCKET, objectKey: config.require("manifestKey") },
        },
      },
      outputConfig: {
        packageVersionOutputConfig: {
          packageName: pkg.packageName,
          packageVersion: "1.0",
          markLatest: true,
        },
      },
      deregisterOnDelete: config.getBoolean("deregisterOnDelete") ?? false,
      waitOptions: fast(config.getNumber("importTimeoutSeconds") ?? 60),
    },
    { customTimeouts: { delete: config.get("importDeleteTimeout") ?? "10m" } },
  );
  // The patch the job imported, registered again as a resource of its own (adopted as it is).
  new PackageVersion("code-patch", {
    packageId: job.packageId,
    packageVersion: job.packageVersion,
    patchVersion: job.patchVersion,
    markLatest: config.getBoolean("markLatest") ?? true,
    waitOptions: fast(60),
  });
  const ref = packageRefOutput({
    packageArn: pkg.arn,
    packageName: job.packageName,
    packageVersion: job.packageVersion,
    patchVersion: job.patchVersion,
  });
  const app = new ApplicationInstance("app", {
    name: "preview-app",
    description: config.get("appDescription"),
    defaultRuntimeContextDevice: config.require("device"),
    manifestPayload: applicationManifestOutput({
      packages: [ref],
      nodes: [{ name: "code_node", package: ref, interfaceName: "interface" }],
    }),
    tags: { team: config.get("appTeam") ?? "vision" },
    waitOptions: fast(config.getNumber("deployTimeoutSeconds") ?? 60),
  });
  return { applicationInstanceId: app.applicationInstanceId, patchVersion: job.patchVersion };
}

type Ops = Record<string, number>;
const changed = (summary: Ops | undefined) =>
  Object.fromEntries(Object.entries(summary ?? {}).filter(([op, n]) => op !== "same" && n > 0));

describe("preview predicts what up does (dynamic resources)", function () {
  this.timeout(600_000);
  let stack: EngineStack;
  // Before the emulator's own after hook, which stops it: destroy needs it.
  after(async () => {
    if (stack) await cleanup(stack);
  });
  const fx = useEmulator({
    timing: {
      importJob: { mode: "timed", durationMs: 300 },
      deployment: { mode: "timed", durationMs: 500 },
      removal: { mode: "timed", durationMs: 300 },
    },
  });

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    const device = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
    const manifestKey = await fx().uploadManifest("preview/package.json");
    // A second revision of the code: another manifest, so another patch.
    await fx().uploadManifest(
      "preview/package-2.json",
      SAMPLE_MANIFEST.replace("draws detections", "draws detections and counts them"),
    );
    stack = await inlineStack({
      program: async () => program(),
      projectName: "panorama-preview",
      env: fx().env,
      // forceDelete starts off and a case turns it on, so the stack ends destroyable.
      config: { manifestKey, device, forceDelete: "false" },
    });
    await stack.stack.up();
  });

  const cases: [string, string, string, Ops][] = [
    ["the import job's waitOptions", "importTimeoutSeconds", "90", { update: 1 }],
    ["the import job's customTimeouts", "importDeleteTimeout", "20m", { update: 1 }],
    ["the import job's deregisterOnDelete", "deregisterOnDelete", "true", { update: 1 }],
    ["the package's tags", "packageTeam", "ops", { update: 1 }],
    ["the package's forceDelete", "forceDelete", "true", { update: 1 }],
    ["the package version's markLatest", "markLatest", "false", { update: 1 }],
    ["the application's tags", "appTeam", "ops", { update: 1 }],
    ["the application's waitOptions", "deployTimeoutSeconds", "90", { update: 1 }],
    ["the application's description (a parameter)", "appDescription", "second", { replace: 1 }],
    [
      "the import job's objectKey (a parameter fed to the rest)",
      "manifestKey",
      "preview/package-2.json",
      { replace: 3 },
    ],
  ];
  for (const [what, key, value, expected] of cases)
    it(`a change of ${what}: preview and up agree`, async () => {
      await stack.stack.setConfig(key, { value });
      const said: string[] = [];
      const preview = await stack.stack.preview({
        diff: true,
        onEvent: (e) => {
          const d = e.diagnosticEvent;
          if (d?.severity === "info" && d.urn?.endsWith("::app")) said.push(d.message.trim());
        },
      });
      const up = await stack.stack.up();
      assert.deepStrictEqual(changed(preview.changeSummary), expected, preview.stdout);
      assert.deepStrictEqual(changed(up.summary.resourceChanges), expected);
      const reasons = said.filter((line) => /replaced, because/.test(line));
      if (key === "appDescription")
        assert.deepStrictEqual(reasons, [
          "ApplicationInstance app: replaced, because `description` changed (set only when it is created)",
        ]);
      else if (!expected.replace) assert.deepStrictEqual(reasons, []);
    });
});
