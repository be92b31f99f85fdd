// Pulumi options only a provider plugin gets, through the real engine: provider config checked in
// CheckConfig (naming the key), explicit providers in two regions, `customTimeouts`, progress lines
// on the resource's row.
import * as assert from "assert";
import { ListPackagesCommand } from "@aws-sdk/client-panorama";
import * as pulumi from "@pulumi/pulumi";
import type { DiagnosticEvent } from "@pulumi/pulumi/automation";
import { CLI_BUILD_TIMEOUT_MS, engineCli, stackState, withStack } from "../support/engine";
import {
  EmulatorFixture,
  emulatorControl,
  MANIFEST_BUCKET,
  panoramaCalls,
  startFixture,
  useEmulator,
} from "../support/emulatorFixture";
import { inlinePluginStack, pluginResource, pluginToken } from "../support/pluginDoor";
import { pluginQuickstart } from "./pluginProgram";

/** A provider resource of the plugin (`pulumi:providers:panorama`), as an SDK's Provider class makes. */
function panoramaProvider(name: string, args: Record<string, unknown>): pulumi.ProviderResource {
  return new (pulumi.ProviderResource as any)("panorama", name, args);
}

describe("provider plugin options through the real engine", function () {
  this.timeout(240_000);
  const fx = useEmulator({ timing: { importJob: { mode: "timed", durationMs: 800 } } });
  let n = 0;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
  });

  it("refuses bad provider config in CheckConfig, naming the key, before any Panorama call", async () => {
    await emulatorControl(fx().emu, "POST", "requests/reset");
    const cases: [Record<string, string>, (() => void) | undefined, RegExp][] = [
      [
        { "panorama:regoin": "us-east-1" },
        undefined,
        /panorama:regoin: unknown configuration key of the panorama provider \(known: panorama:region, panorama:profile, panorama:endpoints\)/,
      ],
      [
        { "panorama:endpoints": '{"panorama":"localhost:4566"}' },
        undefined,
        /panorama:endpoints\.panorama: must be an http:\/\/ or https:\/\/ URL \(got "localhost:4566"\)/,
      ],
      [
        {},
        () => void panoramaProvider("eu", { region: "Europe" }),
        /panorama:region: must be an AWS region name such as us-east-1 or eu-west-1 \(got "Europe"\)/,
      ],
    ];
    for (const [config, program, expected] of cases) {
      await withStack(
        inlinePluginStack(
          async () =>
            program ? program() : void pluginResource("Package", "code", { packageName: "CODE" }),
          fx().env,
          { config },
        ),
        async (s) => {
          const error = await s.stack.up().then(
            () => assert.fail(`up succeeded with ${JSON.stringify(config)}`),
            (e) => String(e),
          );
          assert.match(error, expected);
        },
      );
    }
    assert.strictEqual(await panoramaCalls(fx().emu), 0, "nothing reached Panorama");
  });

  describe("two explicit providers in two regions", () => {
    let eu: EmulatorFixture;
    before(async () => (eu = await startFixture({ region: "eu-west-1" })));
    after(async () => {
      eu.s3.destroy();
      eu.panorama.destroy();
      await eu.emu.stop();
    });

    it("create in both, each with its own region and endpoints", async () => {
      const endpoints = (f: EmulatorFixture) => ({ panorama: f.emu.url, s3: f.emu.url });
      await withStack(
        inlinePluginStack(
          async () => {
            const east = panoramaProvider("east", {
              region: "us-east-1",
              endpoints: endpoints(fx()),
            });
            // As generated SDKs and stack config hand it over: JSON text.
            const west = panoramaProvider("west", {
              region: "eu-west-1",
              endpoints: JSON.stringify(endpoints(eu)),
            });
            const a = pluginResource(
              "Package",
              "east",
              { packageName: "CODE", forceDelete: true },
              { provider: east },
            );
            const b = pluginResource(
              "Package",
              "west",
              { packageName: "CODE", forceDelete: true },
              { provider: west },
            );
            return { east: a.arn, west: b.arn };
          },
          // No region or endpoint from the environment: only the providers' settings.
          {
            AWS_ACCESS_KEY_ID: fx().env.AWS_ACCESS_KEY_ID,
            AWS_SECRET_ACCESS_KEY: fx().env.AWS_SECRET_ACCESS_KEY,
            AWS_REGION: "",
            AWS_ENDPOINT_URL_PANORAMA: "",
            AWS_ENDPOINT_URL_S3: "",
          },
        ),
        async (s) => {
          const out = (await s.stack.up()).outputs;
          assert.match(out.east.value, /^arn:aws:panorama:us-east-1:/);
          assert.match(out.west.value, /^arn:aws:panorama:eu-west-1:/);
          for (const [f, arn] of [
            [fx(), out.east.value],
            [eu, out.west.value],
          ] as const)
            assert.deepStrictEqual(
              (await f.panorama.send(new ListPackagesCommand({}))).Packages!.map((p) => p.Arn),
              [arn],
            );
          const regions = (await stackState(s)).resources
            .filter((r) => r.type === pluginToken("Package"))
            .map((r) => r.outputs!.region);
          assert.deepStrictEqual(regions.sort(), ["eu-west-1", "us-east-1"]);
        },
      );
    });
  });

  /**
   * One up of the plugin's quickstart with import jobs taking `durationMs`: the diagnostics the
   * engine sent (Automation API events) and the job's URN.
   */
  async function upWithDiagnostics(
    durationMs: number,
    options: { debug?: boolean; jobOpts?: pulumi.CustomResourceOptions } = {},
  ): Promise<{ diagnostics: DiagnosticEvent[]; jobUrn: string }> {
    const key = await fx().uploadManifest(`options/${++n}/package.json`);
    const timing = (ms: number) =>
      emulatorControl(fx().emu, "POST", "timing", { importJob: { mode: "timed", durationMs: ms } });
    await timing(durationMs);
    const diagnostics: DiagnosticEvent[] = [];
    try {
      return await withStack(
        inlinePluginStack(
          async () =>
            pluginQuickstart({
              manifestBucket: MANIFEST_BUCKET,
              manifestKey: key,
              jobOpts: options.jobOpts,
            }),
          fx().env,
        ),
        async (s) => {
          await s.stack.up({
            debug: options.debug,
            onEvent: (e) => void (e.diagnosticEvent && diagnostics.push(e.diagnosticEvent)),
          });
          const job = (await stackState(s)).resources.find(
            (r) => r.type === pluginToken("PackageImportJob"),
          )!;
          return { diagnostics, jobUrn: job.urn };
        },
      );
    } finally {
      await timing(800);
    }
  }

  it("hands customTimeouts to the plugin as the operation's deadline", async () => {
    const { diagnostics, jobUrn } = await upWithDiagnostics(4000, {
      debug: true,
      jobOpts: { customTimeouts: { create: "3s" } },
    });
    const lines = diagnostics.filter((d) => d.urn === jobUrn).map((d) => d.message);
    assert.ok(
      lines.some((l) => /deadline for this operation: 3s \(customTimeouts\)/.test(l)),
      `the 3 s deadline reached the plugin:\n${lines.join("")}`,
    );
  });

  it("shows a long wait's progress lines on the resource's row", async () => {
    const { diagnostics, jobUrn } = await upWithDiagnostics(6000);
    const progress = diagnostics.filter((d) => / PENDING after \d+(\.\d)?s/.test(d.message));
    assert.ok(
      progress.length > 0,
      `progress lines:\n${diagnostics.map((d) => d.message).join("")}`,
    );
    for (const line of progress) {
      assert.strictEqual(line.urn, jobUrn, `on the job's row: ${line.message}`);
      assert.strictEqual(line.ephemeral, true, `shown while waiting, not kept: ${line.message}`);
    }
    const started = diagnostics.find((d) => /started import job/.test(d.message));
    assert.strictEqual(started?.urn, jobUrn, "the job's other lines are on its row too");
    assert.ok(!started?.ephemeral, "and kept");
  });
});
