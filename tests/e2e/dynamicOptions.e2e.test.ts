// Pulumi's own resource options on the dynamic resources, and the errors a user reads, through the
// real engine: customTimeouts honoured as the wait's deadline (the job is kept PENDING and the next
// up resumes it), opts.import refused in one sentence before any call, a lookup or a check failure
// printed once with no stack trace, a refused loopback endpoint given up on within seconds, and
// progress on the resource's row rather than the stack's.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import type { CommandError, EngineEvent } from "@pulumi/pulumi/automation";
import { PackageImportJob } from "pulumi-panorama";
import {
  CLI_BUILD_TIMEOUT_MS,
  engineCli,
  inlineStack,
  localStack,
  stackState,
  withStack,
} from "../support/engine";
import { MANIFEST_BUCKET, panoramaCalls, useEmulator } from "../support/emulatorFixture";

const JOB_TYPE = "pulumi-nodejs:dynamic/panorama:PackageImportJob";

function importJob(
  objectKey: string,
  opts?: pulumi.CustomResourceOptions,
  packageVersion = "1.0",
): PackageImportJob {
  return new PackageImportJob(
    "code-import",
    {
      inputConfig: {
        packageVersionInputConfig: { s3Location: { bucketName: MANIFEST_BUCKET, objectKey } },
      },
      outputConfig: { packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion } },
      waitOptions: { minDelaySeconds: 0.2, maxDelaySeconds: 1 },
    },
    opts,
  );
}

/** What the engine reported: every diagnostic with its URN, and the error of a failed run. */
interface Run {
  diagnostics: { urn: string; message: string; severity: string; ephemeral: boolean }[];
  error?: string;
}

describe("Pulumi's options and the errors users see (dynamic resources)", function () {
  this.timeout(300_000);
  const fx = useEmulator({ timing: { importJob: { mode: "timed", durationMs: 12_000 } } });
  let n = 0;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
  });

  const onEvent = (into: Run) => (e: EngineEvent) => {
    const d = e.diagnosticEvent;
    if (d)
      into.diagnostics.push({
        urn: d.urn ?? "",
        message: d.message.trim(),
        severity: d.severity,
        ephemeral: d.ephemeral ?? false,
      });
  };
  const failed = (into: Run) => (e: unknown) => {
    into.error = (e as CommandError).message;
  };

  it("customTimeouts.create bounds the wait: the job stays PENDING in the stack and the next up resumes the same job", async () => {
    const key = await fx().uploadManifest(`options/${++n}/package.json`);
    let timeouts: pulumi.CustomTimeouts | undefined = { create: "3s" };
    await withStack(
      inlineStack({
        program: async () => ({ jobId: importJob(key, { customTimeouts: timeouts }).jobId }),
        projectName: "panorama-options",
        env: fx().env,
      }),
      async (s) => {
        const first: Run = { diagnostics: [] };
        const started = Date.now();
        await s.stack
          .up({ onEvent: onEvent(first) })
          .then(() => assert.fail("up should fail"), failed(first));
        assert.ok(
          Date.now() - started < 60_000,
          "the 3 s deadline ended the wait, not the 12 s job",
        );
        assert.match(first.error!, /customTimeouts/);
        const job = (await stackState(s)).resources.find((r) => r.type === JOB_TYPE)!;
        const recorded = job.outputs!;
        assert.strictEqual(recorded.status, "PENDING", "the started job is recorded, not lost");
        // Progress reaches the job's row, ephemeral, and never the stack's diagnostics.
        const progress = first.diagnostics.filter(
          (d) => d.severity === "info" && / after \d+(\.\d+)?s/.test(d.message),
        );
        assert.ok(progress.length > 0, JSON.stringify(first.diagnostics));
        assert.ok(
          progress.every((d) => d.urn.endsWith("::code-import") && d.ephemeral),
          JSON.stringify(progress, null, 1),
        );

        timeouts = undefined;
        const second = await s.stack.up();
        assert.strictEqual(second.outputs.jobId.value, recorded.jobId, "the same job, resumed");
        assert.strictEqual(second.summary.resourceChanges?.update, 1);
      },
    );
  });

  /** A TypeScript program run by the CLI's language host, as `pulumi up` runs a user's. */
  const USER_PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { getDevice, PackageImportJob } from "pulumi-panorama";
const mode = new pulumi.Config().require("mode");
const job = (objectKey: string, packageVersion: string, opts?: pulumi.CustomResourceOptions) =>
  new PackageImportJob("code-import", {
    inputConfig: { packageVersionInputConfig: { s3Location: { bucketName: "b", objectKey } } },
    outputConfig: { packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion } },
  }, opts);
if (mode === "import") job("k", "1.0", { import: "packageImportJob-abc" });
if (mode === "lookup") getDevice({ name: "no-such-device" }).then((d) => job(d.deviceId!, "1.0"));

if (mode === "check") job("k", "1.0.0");
if (mode === "config") job("k", "1.0");
`;

  /** The error diagnostics of a failed preview of USER_PROGRAM in `mode`, and every message. */
  async function previewFails(
    mode: string,
    config: Record<string, string> = {},
  ): Promise<{ errors: string[]; all: string[]; onStack: string[] }> {
    return withStack(
      localStack({
        files: { "index.ts": USER_PROGRAM },
        env: fx().env,
        config: { mode, ...config },
      }),
      async (s) => {
        const r: Run = { diagnostics: [] };
        await s.stack
          .preview({ onEvent: onEvent(r) })
          .then(() => assert.fail("preview should fail"), failed(r));
        return {
          errors: r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message),
          all: [...r.diagnostics.map((d) => d.message), r.error ?? ""],
          onStack: r.diagnostics
            .filter((d) => d.urn.includes("::pulumi:pulumi:Stack::"))
            .map((d) => d.message),
        };
      },
    );
  }

  it("opts.import is refused in one sentence naming adoptJobId, before any Panorama call", async () => {
    const before = await panoramaCalls(fx().emu);
    const { errors } = await previewFails("import");
    assert.deepStrictEqual(errors, [
      "PackageImportJob code-import: opts.import is not supported by the dynamic resources (Pulumi's dynamic-provider host cannot import). Set the `adoptJobId` input to \"packageImportJob-abc\" to bring it under management, or use the provider plugin's `panorama:index:PackageImportJob` with `pulumi import`.",
    ]);
    assert.strictEqual(await panoramaCalls(fx().emu), before);
  });

  it("a lookup that fails after the program returned is one sentence, once, with no stack trace or warning", async () => {
    const { errors, all } = await previewFails("lookup");
    assert.deepStrictEqual(errors, ['getDevice: no device named "no-such-device" in us-east-1']);
    assert.ok(!all.some((m) => /\n\s+at |Warning|\.ts:\d+/.test(m)), all.join("\n---\n"));
  });

  it("a config error the provider meets is one sentence, once, on the resource", async () => {
    const { errors, all } = await previewFails("config", {
      "aws:endpoints": '"http://127.0.0.1:4566"',
    });
    assert.deepStrictEqual(errors, [
      'aws:endpoints: must be a list of objects such as [{"panorama":"http://127.0.0.1:4566","s3":"http://127.0.0.1:4566"}], got "http://127.0.0.1:4566"',
    ]);
    assert.strictEqual(
      all.filter((m) => /aws:endpoints: must be/.test(m)).length,
      2,
      all.join("\n---\n"),
    );
  });

  it("a check failure names the leaf property once, without the whole object", async () => {
    const { errors } = await previewFails("check");
    assert.strictEqual(errors.length, 1, errors.join("\n"));
    assert.match(
      errors[0],
      /resource 'code-import' has a problem: outputConfig\.packageVersionOutputConfig\.packageVersion: must satisfy regular expression pattern/,
    );
    assert.doesNotMatch(errors[0], /map\[/);
  });

  it("an endpoint on this machine that refuses connections fails the up within seconds, saying it is retrying", async () => {
    const closed = "http://127.0.0.1:9"; // discard port: nothing listens on loopback here
    await withStack(
      inlineStack({
        program: async () => {
          importJob("k");
        },
        projectName: "panorama-options",
        env: { ...fx().env, AWS_ENDPOINT_URL_PANORAMA: closed, AWS_ENDPOINT_URL_S3: closed },
      }),
      async (s) => {
        const r: Run = { diagnostics: [] };
        const started = Date.now();
        await s.stack
          .up({ onEvent: onEvent(r) })
          .then(() => assert.fail("up should fail"), failed(r));
        const seconds = (Date.now() - started) / 1000;
        assert.ok(seconds < 40, `gave up after ${seconds}s`);
        const said = r.diagnostics.map((d) => d.message).join("\n");
        assert.match(said, /ECONNREFUSED.*nothing listens there; trying again for up to 10s/);
        assert.match(r.error!, /AWS_ENDPOINT_URL_PANORAMA=http:\/\/127\.0\.0\.1:9/);
      },
    );
  });
});
