// PackageImportJob through the real Pulumi CLI and engine (Automation API, file:// backend)
// against the emulator: what a user sees from `pulumi up`, `preview`, `refresh` and `destroy`.
import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CommandError } from "@pulumi/pulumi/automation";
import {
  DescribePackageCommand,
  DescribePackageVersionCommand,
  ListPackageImportJobsCommand,
} from "@aws-sdk/client-panorama";
import { PackageImportJob } from "pulumi-panorama";
import { quickstart } from "../../examples/quickstart/program";
import {
  CLI_BUILD_TIMEOUT_MS,
  EngineStack,
  engineCli,
  inlineStack,
  localStack,
  REPO_ROOT,
  spawnUp,
  StateResource,
  stackState,
  withStack,
} from "../support/engine";
import {
  emulatorControl,
  MANIFEST_BUCKET,
  SAMPLE_MANIFEST,
  useEmulator,
} from "../support/emulatorFixture";

const JOB_TYPE = "pulumi-nodejs:dynamic/panorama:PackageImportJob";
const BAD_NAME_MANIFEST = SAMPLE_MANIFEST.replace('"SAMPLE_CODE"', '"OTHER_CODE"');

describe("PackageImportJob through the real Pulumi engine", function () {
  this.timeout(180_000);
  const fx = useEmulator();
  let n = 0;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
  });
  beforeEach(async () => {
    await emulatorControl(fx().emu, "POST", "reset");
    await emulatorControl(fx().emu, "POST", "timing", {
      importJob: { mode: "timed", durationMs: 1500 },
    });
    await fx()
      .s3.send(new (require("@aws-sdk/client-s3").CreateBucketCommand)({ Bucket: MANIFEST_BUCKET }))
      .catch(() => undefined);
  });

  /** The quickstart program as an inline program, config pointing at a fresh manifest key. */
  async function quickstartStack(
    manifest = SAMPLE_MANIFEST,
    config: Record<string, string> = {},
  ): Promise<EngineStack & { key: string }> {
    const key = await fx().uploadManifest(`quickstart/${++n}/package.json`, manifest);
    const s = await inlineStack({
      program: async () => quickstart(),
      projectName: "panorama-quickstart",
      env: fx().env,
      config: { manifestBucket: MANIFEST_BUCKET, manifestKey: key, ...config },
    });
    return Object.assign(s, { key });
  }

  const jobsInEmulator = async () =>
    (await fx().panorama.send(new ListPackageImportJobsCommand({}))).PackageImportJobs!;
  /** Panorama calls since the last reset, all of them or those of one operation. */
  const panoramaCalls = async (operation?: string) => {
    const counts = await emulatorControl(fx().emu, "GET", "requests");
    return Object.entries(counts.byOperation as Record<string, number>)
      .filter(([k]) => (operation ? k === `panorama:${operation}` : k.startsWith("panorama:")))
      .reduce((sum, [, v]) => sum + Number(v), 0);
  };
  const jobResources = async (s: EngineStack): Promise<StateResource[]> =>
    (await stackState(s)).resources.filter((r) => r.type === JOB_TYPE);

  it("up imports the package, waits for SUCCEEDED and exports the outputs", async () => {
    await withStack(quickstartStack(), async (s) => {
      const up = await s.stack.up();
      const out = up.outputs;
      assert.strictEqual(out.status.value, "SUCCEEDED");
      assert.match(out.jobId.value, /^packageImportJob-/);
      assert.match(out.packageId.value, /^package-/);
      assert.strictEqual(out.packageVersion.value, "1.0");
      const jobs = await jobsInEmulator();
      assert.deepStrictEqual(
        jobs.map((j) => [j.JobId, j.Status]),
        [[out.jobId.value, "SUCCEEDED"]],
      );
      const version = await fx().panorama.send(
        new DescribePackageVersionCommand({
          PackageId: out.packageId.value,
          PackageVersion: "1.0",
          PatchVersion: out.patchVersion.value,
        }),
      );
      assert.strictEqual(version.Status, "REGISTER_COMPLETED");
      assert.strictEqual(version.IsLatestPatch, true);
      assert.strictEqual(up.summary.resourceChanges?.create, 3); // the stack, the package and the job
    });
  });

  it("a second preview and up change nothing and make zero Panorama calls", async () => {
    await withStack(quickstartStack(), async (s) => {
      await s.stack.up();
      await emulatorControl(fx().emu, "POST", "requests/reset");
      await s.stack.refresh();
      assert.strictEqual(
        await panoramaCalls("DescribePackageImportJob"),
        1,
        "the counter sees the provider's calls",
      );
      await emulatorControl(fx().emu, "POST", "requests/reset");
      const preview = await s.stack.preview();
      assert.deepStrictEqual(preview.changeSummary, { same: 3 });
      const up = await s.stack.up();
      assert.deepStrictEqual(up.summary.resourceChanges, { same: 3 });
      assert.strictEqual(await panoramaCalls(), 0);
    });
  });

  it("refresh picks up a status change made in the service, with one Describe call", async () => {
    await withStack(quickstartStack(), async (s) => {
      const up = await s.stack.up();
      const jobId = up.outputs.jobId.value;
      await emulatorControl(fx().emu, "POST", `import-jobs/${jobId}/status`, {
        status: "FAILED",
        statusMessage: "Manifest withdrawn by the owner",
      });
      await emulatorControl(fx().emu, "POST", "requests/reset");
      await s.stack.refresh();
      assert.strictEqual(
        await panoramaCalls("DescribePackageImportJob"),
        1,
        "one Describe per job",
      );
      const [job] = await jobResources(s);
      assert.strictEqual(job.outputs!.status, "FAILED");
      assert.strictEqual(job.outputs!.statusMessage, "Manifest withdrawn by the owner");
      assert.strictEqual(job.outputs!.patchVersion, up.outputs.patchVersion.value);
      const preview = await s.stack.preview();
      assert.strictEqual(
        preview.changeSummary.replace,
        1,
        "a FAILED job is replaced by the next up",
      );
    });
  });

  it("a FAILED job fails up with its id and StatusMessage, stays in state, and the next up after the fix succeeds", async () => {
    const stack = await quickstartStack(BAD_NAME_MANIFEST);
    await withStack(Promise.resolve(stack), async (s) => {
      const failed = await s.stack.up().then(
        () => assert.fail("up should fail"),
        (e: unknown) => e as CommandError,
      );
      assert.ok(failed instanceof CommandError);
      const [job] = await jobResources(s);
      assert.ok(job, "the failed job is recorded in state");
      assert.strictEqual(job.outputs!.status, "FAILED");
      assert.match(job.id!, /^packageImportJob-/);
      const text = String(failed.message);
      assert.ok(text.includes(job.id!), "the error names the job");
      assert.ok(
        text.includes(job.outputs!.statusMessage),
        "the error carries the service's StatusMessage",
      );
      assert.match(text, /name "OTHER_CODE"|OTHER_CODE/);
      assert.deepStrictEqual(job.initErrors?.length, 1);

      await fx().uploadManifest(stack.key, SAMPLE_MANIFEST);
      const up = await s.stack.up();
      assert.strictEqual(up.outputs.status.value, "SUCCEEDED");
      assert.notStrictEqual(up.outputs.jobId.value, job.id);
      const after = await jobResources(s);
      assert.strictEqual(after.length, 1);
      assert.strictEqual(after[0].initErrors, undefined);
      assert.strictEqual((await jobsInEmulator()).length, 2, "one failed job, one retry");
    });
  });

  it("a wait timeout leaves the job in state and the next up resumes the same job", async () => {
    await emulatorControl(fx().emu, "POST", "timing", { importJob: { mode: "manual" } });
    await withStack(quickstartStack(SAMPLE_MANIFEST, { importTimeoutSeconds: "2" }), async (s) => {
      const failed = await s.stack.up().then(
        () => assert.fail("up should time out"),
        (e: unknown) => e as CommandError,
      );
      assert.match(String(failed.message), /still PENDING after 2s/);
      const [job] = await jobResources(s);
      assert.strictEqual(job.outputs!.status, "PENDING");
      await emulatorControl(fx().emu, "POST", `import-jobs/${job.id}/complete`);
      const up = await s.stack.up();
      assert.strictEqual(up.outputs.jobId.value, job.id);
      assert.strictEqual(up.outputs.status.value, "SUCCEEDED");
      assert.strictEqual((await jobsInEmulator()).length, 1);
    });
  });

  it("killing pulumi up mid-wait and running up again re-adopts the same job", async () => {
    await emulatorControl(fx().emu, "POST", "timing", { importJob: { mode: "manual" } });
    const key = await fx().uploadManifest(`quickstart/${++n}/package.json`);
    await withStack(
      localStack({
        programDir: path.join(REPO_ROOT, "examples", "quickstart"),
        env: fx().env,
        config: { manifestBucket: MANIFEST_BUCKET, manifestKey: key },
      }),
      async (s) => {
        const up = spawnUp(s);
        const deadline = Date.now() + 60_000;
        while ((await jobsInEmulator()).length === 0) {
          assert.ok(Date.now() < deadline, `no job was started:\n${up.output()}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.ok(up.kill(), "pulumi up was still waiting");
        await up.exited;
        const [started] = await jobsInEmulator();
        await emulatorControl(fx().emu, "POST", `import-jobs/${started.JobId}/complete`);
        await s.stack.cancel().catch(() => undefined);
        const again = await s.stack.up();
        assert.strictEqual(again.outputs.jobId.value, started.JobId);
        assert.strictEqual(again.outputs.status.value, "SUCCEEDED");
        assert.strictEqual((await jobsInEmulator()).length, 1, "exactly one job: no duplicate");
        assert.strictEqual((await jobResources(s)).length, 1);
      },
    );
  });

  /** A stack of one bare import job (no Package resource), as users declare it. */
  const bareJobProgram =
    (key: string, extra: Record<string, unknown> = {}) =>
    async () => {
      const job = new PackageImportJob("sample-code", {
        inputConfig: {
          packageVersionInputConfig: {
            s3Location: { bucketName: MANIFEST_BUCKET, objectKey: key },
          },
        },
        outputConfig: {
          packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion: "1.0" },
        },
        ...extra,
      });
      return { packageId: job.packageId, patchVersion: job.patchVersion };
    };

  it("destroy forgets the job and leaves the imported patch registered", async () => {
    const key = await fx().uploadManifest(`forget/${++n}/package.json`);
    await withStack(
      inlineStack({ program: bareJobProgram(key), env: fx().env }),
      async (s) => {
        const up = await s.stack.up();
        const destroy = await s.stack.destroy();
        assert.strictEqual(destroy.summary.resourceChanges?.delete, 2);
        assert.deepStrictEqual(await jobResources(s), []);
        const version = await fx().panorama.send(
          new DescribePackageVersionCommand({
            PackageId: up.outputs.packageId.value,
            PackageVersion: "1.0",
            PatchVersion: up.outputs.patchVersion.value,
          }),
        );
        assert.strictEqual(version.Status, "REGISTER_COMPLETED");
      },
      { destroy: false },
    );
  });

  it("destroy of the quickstart removes the package with its patches (forceDelete)", async () => {
    await withStack(
      quickstartStack(),
      async (s) => {
        const up = await s.stack.up();
        const destroy = await s.stack.destroy();
        assert.strictEqual(destroy.summary.resourceChanges?.delete, 3);
        await assert.rejects(
          fx().panorama.send(new DescribePackageCommand({ PackageId: up.outputs.packageId.value })),
          { name: "ResourceNotFoundException" },
        );
      },
      { destroy: false },
    );
  });

  it("destroy with deregisterOnDelete deregisters the imported patch", async () => {
    const key = await fx().uploadManifest(`dereg/${++n}/package.json`);
    await withStack(
      inlineStack({ program: bareJobProgram(key, { deregisterOnDelete: true }), env: fx().env }),
      async (s) => {
        const up = await s.stack.up();
        await s.stack.destroy();
        await assert.rejects(
          fx().panorama.send(
            new DescribePackageVersionCommand({
              PackageId: up.outputs.packageId.value,
              PackageVersion: "1.0",
              PatchVersion: up.outputs.patchVersion.value,
            }),
          ),
          { name: "ResourceNotFoundException" },
        );
      },
      { destroy: false },
    );
  });

  it("adopts an existing job by its id", async () => {
    const key = await fx().uploadManifest(`adopt/${++n}/package.json`);
    const JobId = await fx().createImportJob(key, "made-by-hand");
    const program = async () => {
      const job = new PackageImportJob("adopted", { adoptJobId: JobId });
      return {
        jobId: job.jobId,
        status: job.status,
        patchVersion: job.patchVersion,
        region: job.region,
        outputConfig: job.outputConfig,
        jobType: job.jobType,
      };
    };
    await withStack(inlineStack({ program, env: fx().env }), async (s) => {
      const up = await s.stack.up();
      assert.strictEqual(up.outputs.jobId.value, JobId);
      assert.strictEqual(up.outputs.status.value, "SUCCEEDED");
      assert.strictEqual((await jobsInEmulator()).length, 1, "adoption starts no job");
      // Outputs whose inputs the program left unset still surface.
      assert.strictEqual(up.outputs.region.value, "us-east-1");
      assert.strictEqual(up.outputs.jobType.value, "NODE_PACKAGE_VERSION");
      assert.strictEqual(
        up.outputs.outputConfig.value.packageVersionOutputConfig.packageName,
        "SAMPLE_CODE",
      );
      const preview = await s.stack.preview();
      assert.deepStrictEqual(preview.changeSummary, { same: 2 });
    });
  });

  it("two jobs feed one stack output", async () => {
    const keyA = await fx().uploadManifest(`two/${++n}/a.json`);
    const keyB = await fx().uploadManifest(
      `two/${n}/b.json`,
      SAMPLE_MANIFEST.replace(/SAMPLE_CODE/g, "SECOND_CODE").replace('"1.0"', '"2.1"'),
    );
    const program = async () => {
      const job = (name: string, key: string, packageName: string, packageVersion: string) =>
        new PackageImportJob(name, {
          inputConfig: {
            packageVersionInputConfig: {
              s3Location: { bucketName: MANIFEST_BUCKET, objectKey: key },
            },
          },
          outputConfig: {
            packageVersionOutputConfig: { packageName, packageVersion, markLatest: true },
          },
        });
      const a = job("first", keyA, "SAMPLE_CODE", "1.0");
      const b = job("second", keyB, "SECOND_CODE", "2.1");
      return {
        patches: pulumi
          .all([a.patchVersion, b.patchVersion, b.packageVersion])
          .apply(([pa, pb, vb]) => ({ first: pa, second: pb, secondVersion: vb })),
      };
    };
    await withStack(inlineStack({ program, env: fx().env }), async (s) => {
      const up = await s.stack.up();
      const patches = up.outputs.patches.value;
      assert.match(patches.first, /^[0-9a-f]{64}$/);
      assert.match(patches.second, /^[0-9a-f]{64}$/);
      assert.notStrictEqual(patches.first, patches.second);
      assert.strictEqual(patches.secondVersion, "2.1");
      assert.strictEqual((await jobsInEmulator()).length, 2);
    });
  });
});
