// PackageImportJob under injected faults, through the real Pulumi CLI and engine and the real SDK
// over HTTP: for each fault, `up` (create), `refresh` (read) and `destroy` (delete) either succeed
// or fail with a message that names the job and the next step, and afterwards the engine's state
// (exported from the stack) and the service agree exactly: no orphaned job, no duplicate.
// One stack serves the whole file; each test brings a manifest of its own (so a patch of its own)
// and leaves the stack empty.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CommandError } from "@pulumi/pulumi/automation";
import { PackageImportJob } from "pulumi-panorama";
import { FaultRuleInput, RunningEmulator, startEmulator } from "../../emulator";
import { HTTP_TIMEOUTS, panoramaClient } from "../../provider/calls/awsClients";
import { jobIdsInEmulator } from "../support/census";
import {
  CLI_BUILD_TIMEOUT_MS,
  cleanup,
  EngineStack,
  engineCli,
  inlineStack,
  stackState,
  StateResource,
} from "../support/engine";
import { emulatorEnv, MANIFEST_BUCKET, SAMPLE_MANIFEST } from "../support/emulatorFixture";

const JOB_TYPE = "pulumi-nodejs:dynamic/panorama:PackageImportJob";
const TIMING = {
  importJob: { mode: "timed" as const, durationMs: 400 },
  packageVersion: { mode: "timed" as const, durationMs: 200 },
};

/** One import job per key of config `manifestKeys` (comma-separated), the first named "job". */
async function program() {
  const config = new pulumi.Config();
  const waitOptions = {
    minDelaySeconds: 0.05,
    maxDelaySeconds: 0.3,
    timeoutSeconds: config.getNumber("timeoutSeconds") ?? 30,
  };
  const jobs = config
    .require("manifestKeys")
    .split(",")
    .map(
      (objectKey, i) =>
        new PackageImportJob(i === 0 ? "job" : `job-${i}`, {
          inputConfig: {
            packageVersionInputConfig: { s3Location: { bucketName: MANIFEST_BUCKET, objectKey } },
          },
          outputConfig: {
            packageVersionOutputConfig: {
              packageName: "SAMPLE_CODE",
              packageVersion: "1.0",
              markLatest: true,
            },
          },
          deregisterOnDelete: true,
          waitOptions,
        }),
    );
  return { jobIds: jobs.map((j) => j.jobId) };
}

type RunResult = { ok: true } | { ok: false; message: string };

describe("PackageImportJob under faults through the real engine: up, refresh and destroy", function () {
  this.timeout(180_000);
  let emu: RunningEmulator;
  let s: EngineStack;
  let n = 0;
  let jobsBefore: string[];

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    emu = await startEmulator({ port: 0, timing: TIMING });
    s = await inlineStack({ program, env: emulatorEnv(emu) });
  });
  after(async function () {
    this.timeout(120_000);
    if (s) await cleanup(s);
    await emu?.stop();
  });

  const BUDGET = ["PULUMI_PANORAMA_MAX_RPS", "PULUMI_PANORAMA_MAX_CREATE_RPS"];
  /** The provider's own request budget (requestBudget.ts) paces every retry; only the 429 tests need it. */
  const useRequestBudget = (on: boolean) =>
    BUDGET.forEach((k) => (s.workspace.envVars[k] = on ? (process.env[k] ?? "") : "0"));

  beforeEach(async () => {
    emu.control.clearFaults();
    emu.control.setRateLimits(false);
    emu.control.resetRequestCounts();
    useRequestBudget(false);
    await s.stack.removeConfig("timeoutSeconds");
    jobsBefore = jobIdsInEmulator(emu);
  });
  afterEach(async () => {
    emu.control.clearFaults();
    emu.control.setTiming(TIMING);
    if ((await jobs()).length > 0) await s.stack.destroy();
  });

  /** A manifest of its own per job (so a patch of its own), set as the stack's config. */
  async function manifests(count = 1, timeoutSeconds?: number): Promise<void> {
    const keys = Array.from({ length: count }, () => {
      const i = ++n;
      emu.control.putObject(
        MANIFEST_BUCKET,
        `faults/${i}/package.json`,
        SAMPLE_MANIFEST.replace("Quickstart", `Fault test ${i}`),
      );
      return `faults/${i}/package.json`;
    });
    await s.stack.setConfig("manifestKeys", { value: keys.join(",") });
    if (timeoutSeconds !== undefined)
      await s.stack.setConfig("timeoutSeconds", { value: String(timeoutSeconds) });
  }

  /** Runs an engine operation; a failure is the engine's message (the provider's error included). */
  async function run(op: () => Promise<unknown>): Promise<RunResult> {
    try {
      await op();
      return { ok: true };
    } catch (e) {
      assert.ok(e instanceof CommandError, String(e));
      return { ok: false, message: e.message };
    }
  }
  const up = () => run(() => s.stack.up());
  const refresh = () => run(() => s.stack.refresh());
  const destroy = () => run(() => s.stack.destroy());

  const jobs = async (): Promise<StateResource[]> =>
    (await stackState(s)).resources.filter((r) => r.type === JOB_TYPE);
  const job = async (): Promise<StateResource> => {
    const [only, ...more] = await jobs();
    assert.ok(only && more.length === 0, "the stack holds one job");
    return only;
  };
  const stateIds = async () => (await jobs()).map((r) => r.id!).sort();
  /** Jobs started since the test began. */
  const newJobs = () => jobIdsInEmulator(emu).filter((id) => !jobsBefore.includes(id));
  const faults = (...rules: FaultRuleInput[]) => rules.map((r) => emu.control.addFault(r));
  const hits = () => Object.fromEntries(emu.control.faults().map((r) => [r.id, r.hits]));
  const ok = (r: RunResult, what: string) =>
    assert.ok(r.ok, `${what} failed: ${!r.ok && r.message}`);
  const failed = (r: RunResult) => {
    assert.ok(!r.ok, "expected the run to fail");
    return r.message;
  };
  /** The patch's status in the emulator's state, or "gone". */
  const patchStatus = (outputs: Record<string, any>) => {
    const patches = emu.control.state().patches as Record<
      string,
      { packageId: string; patchVersion: string; status: string }
    >;
    const patch = Object.values(patches).find(
      (p) => p.packageId === outputs.packageId && p.patchVersion === outputs.patchVersion,
    );
    return patch?.status ?? "gone";
  };
  /** Nothing pending, no init errors: the engine finished with what it recorded. */
  async function settled(): Promise<void> {
    const state = await stackState(s);
    assert.deepStrictEqual(state.pendingOperations, [], "no operation left pending");
    for (const r of state.resources)
      assert.strictEqual(r.initErrors, undefined, `${r.urn} has init errors`);
  }

  /** up, refresh, destroy: each must succeed and leave exactly one job, the one in the stack. */
  async function upRefreshDestroy(): Promise<void> {
    ok(await up(), "up");
    const recorded = await job();
    assert.strictEqual(recorded.outputs!.status, "SUCCEEDED");
    assert.match(
      recorded.outputs!.packageArn,
      /^arn:aws:panorama:/,
      "no output lost to the faults",
    );
    assert.deepStrictEqual(newJobs(), await stateIds(), "one job, the one in the stack");
    await settled();

    ok(await refresh(), "refresh");
    assert.strictEqual((await job()).outputs!.status, "SUCCEEDED");
    assert.deepStrictEqual(newJobs(), await stateIds());

    ok(await destroy(), "destroy");
    assert.deepStrictEqual(await stateIds(), []);
    assert.strictEqual(
      patchStatus(recorded.outputs!),
      "gone",
      "the imported patch was deregistered",
    );
    assert.deepStrictEqual(newJobs(), [recorded.id], "no second job along the way");
  }

  describe("transient faults: every run succeeds", () => {
    it("500 on Create (more than the SDK's 6 attempts): the provider repeats Create with the same token", async () => {
      await manifests();
      const [rule] = faults({
        operation: "CreatePackageImportJob",
        error: "InternalServerException",
        count: 7,
      });
      await upRefreshDestroy();
      assert.strictEqual(hits()[rule.id], 7);
      assert.strictEqual(
        emu.control.requestCounts().byOperation["panorama:CreatePackageImportJob"],
        8,
      );
    });

    it("500 on every Describe and Deregister, 7 times each", async () => {
      await manifests();
      faults(
        { operation: "DescribePackageImportJob", error: "InternalServerException", count: 7 },
        { operation: "DescribePackageVersion", error: "InternalServerException", count: 7 },
        { operation: "DeregisterPackageVersion", error: "InternalServerException", count: 7 },
      );
      await upRefreshDestroy();
      assert.deepStrictEqual(Object.values(hits()), [7, 7, 7]);
    });

    it("429 storm: rate limits (2 requests/s left for us) plus throttling of the first 3 calls of every operation", async () => {
      await manifests();
      useRequestBudget(true);
      emu.control.setRateLimits({ overallPerSecond: 2 });
      faults({ operation: "panorama:*", error: "ThrottlingException", count: 3 });
      await upRefreshDestroy();
      const counts = emu.control.requestCounts();
      assert.strictEqual(counts.faults, 3);
      assert.ok(counts.throttled > 0, "the status checks ran into the rate limit");
    });

    it("429 storm from within: four jobs created at once while another client uses half the create quota, four jobs, no duplicate", async () => {
      await manifests(4);
      useRequestBudget(true);
      // Below the provider's own pacing (requestBudget.ts), so the service's 429s must be ridden out.
      emu.control.setRateLimits({ overallPerSecond: 5, createPerSecond: 0.5 });
      ok(await up(), "up of four jobs");
      const recorded = await jobs();
      assert.strictEqual(recorded.length, 4);
      assert.deepStrictEqual(newJobs(), await stateIds());
      assert.ok(recorded.every((r) => r.outputs!.status === "SUCCEEDED"));
      assert.ok(
        emu.control.requestCounts().throttled > 0,
        "CreatePackageImportJob's rate limit was hit",
      );
      await settled();
    });

    it("dropped connections: half of all Panorama requests lose their connection", async () => {
      await manifests();
      faults({ operation: "panorama:*", action: "drop", probability: 0.5, seed: 2024 });
      await upRefreshDestroy();
      assert.ok(emu.control.requestCounts().faults >= 5);
    });

    it("lost responses: Create, Describe and Deregister apply but their answers are lost", async () => {
      await manifests();
      faults(
        { operation: "CreatePackageImportJob", action: "applyAndDrop", count: 2 },
        { operation: "DescribePackageImportJob", action: "applyAndDrop", count: 2 },
        { operation: "DeregisterPackageVersion", action: "applyAndDrop", count: 1 },
      );
      await upRefreshDestroy();
      assert.deepStrictEqual(Object.values(hits()), [2, 2, 1]);
      assert.strictEqual(
        emu.control.requestCounts().byOperation["panorama:CreatePackageImportJob"],
        3,
        "two answers lost, one job",
      );
    });

    it("slow responses: every call takes 300 ms longer", async () => {
      await manifests();
      faults({ operation: "*", latencyMs: 300 });
      const started = Date.now();
      await upRefreshDestroy();
      assert.ok(Date.now() - started >= 300 * 6);
    });
  });

  describe("persistent faults: the run fails clearly, and the next run after the fault recovers", () => {
    it("Create answers 500 throughout: nothing recorded, nothing started; the next up starts one job", async () => {
      await manifests(1, 2);
      faults({ operation: "CreatePackageImportJob", error: "InternalServerException" });
      const message = failed(await up());
      assert.match(
        message,
        /PackageImportJob SAMPLE_CODE 1\.0: CreatePackageImportJob did not succeed within 2s: InternalServerException \(HTTP 500\)/,
      );
      assert.match(
        message,
        /re-adopts it through the same client token \(secret\).*Run `pulumi up` again/,
      );
      assert.doesNotMatch(
        message,
        /pulumi-[0-9a-f]{40}/,
        "the token is secret: no message prints it",
      );
      assert.deepStrictEqual([await stateIds(), newJobs()], [[], []]);

      emu.control.clearFaults();
      ok(await up(), "the next up");
      assert.deepStrictEqual(newJobs(), await stateIds());
      assert.strictEqual(newJobs().length, 1);
      await settled();
    });

    it("every Create answer is lost: the job exists but is not recorded; the next up re-adopts it, no duplicate", async () => {
      await manifests(1, 2);
      faults({ operation: "CreatePackageImportJob", action: "applyAndDrop" });
      const message = failed(await up());
      assert.match(
        message,
        /CreatePackageImportJob did not succeed within 2s: TimeoutError \(ECONNRESET\): socket hang up/,
      );
      assert.match(
        message,
        /If one of the requests reached the service, the job exists; the next `pulumi up` re-adopts it/,
      );
      const started = newJobs();
      assert.strictEqual(started.length, 1, "many Create calls, one job");
      assert.ok(
        emu.control.requestCounts().byOperation["panorama:CreatePackageImportJob"]! >= 2,
        "Create was repeated",
      );
      assert.deepStrictEqual(await stateIds(), [], "the failed create left nothing in the state");

      emu.control.clearFaults();
      ok(await up(), "the next up");
      assert.deepStrictEqual(await stateIds(), started, "the job the lost answers started");
      assert.deepStrictEqual(newJobs(), started);
      await settled();
    });

    it("Describe answers 500 right after Create: the job is recorded as PENDING; the next up resumes it without a replacement", async () => {
      await manifests(1, 2);
      const [rule] = faults({
        operation: "DescribePackageImportJob",
        error: "InternalServerException",
      });
      const message = failed(await up());
      const [started] = newJobs();
      assert.ok(
        message.includes(
          `Package import job ${started} was started but could not be read: InternalServerException (HTTP 500): Fault injected by emulator rule ` +
            `${rule.id} into DescribePackageImportJob. It is recorded in the stack; fix the cause and run \`pulumi up\` again to resume.`,
        ),
        message,
      );
      const recorded = await job();
      assert.strictEqual(recorded.id, started, "recorded, not orphaned");
      assert.strictEqual(recorded.outputs!.status, "PENDING");

      emu.control.clearFaults();
      const result = await s.stack.up();
      assert.deepStrictEqual(
        result.summary.resourceChanges,
        { same: 1, update: 1 },
        "the recorded job is resumed, not replaced",
      );
      assert.strictEqual((await job()).outputs!.status, "SUCCEEDED");
      assert.deepStrictEqual(newJobs(), [started]);
      await settled();
    });

    it("the wait loses every connection: the job is recorded as still PENDING with the last error; the next up finishes it", async () => {
      await manifests(1, 2);
      emu.control.setTiming({ importJob: { mode: "manual" } });
      // Create and the first Describe go through; every later status check is dropped.
      faults(
        { operation: "DescribePackageImportJob", action: "delay", count: 1 },
        { operation: "DescribePackageImportJob", action: "drop" },
      );
      const message = failed(await up());
      const [started] = newJobs();
      assert.match(
        message,
        new RegExp(
          `Package import job ${started} for SAMPLE_CODE 1\\.0 is still PENDING after 2s \\(waitOptions\\.timeoutSeconds\\)`,
        ),
      );
      assert.match(
        message,
        /\(last check: TimeoutError \(ECONNRESET\): socket hang up \(endpoint AWS_ENDPOINT_URL_PANORAMA=http:\/\/127\.0\.0\.1:\d+\)\)/,
      );
      assert.match(
        message,
        /run `pulumi up` again to resume waiting on the same package import job/,
      );
      assert.deepStrictEqual(await stateIds(), [started]);

      emu.control.clearFaults();
      emu.control.completeImportJob(started);
      ok(await up(), "the next up");
      assert.strictEqual((await job()).outputs!.status, "SUCCEEDED");
      assert.deepStrictEqual(newJobs(), [started]);
      await settled();
    });

    it("refresh while Describe answers 500: fails naming the job and the next step; the stack keeps the job", async () => {
      await manifests(1, 2);
      ok(await up(), "up");
      const recorded = await job();
      faults({ operation: "DescribePackageImportJob", error: "InternalServerException" });
      const message = failed(await refresh());
      assert.match(
        message,
        new RegExp(
          `Could not refresh package import job ${recorded.id} in us-east-1: InternalServerException \\(HTTP 500\\)`,
        ),
      );
      assert.match(message, /run `pulumi refresh` again once the service answers/);
      const { id, inputs, outputs } = await job();
      assert.deepStrictEqual(
        { id, inputs, outputs },
        { id: recorded.id, inputs: recorded.inputs, outputs: recorded.outputs },
        "the recorded job is as before",
      );
      emu.control.clearFaults();
      ok(await refresh(), "the next refresh");
      await settled();
    });

    it("destroy while Deregister answers 500: fails naming the patch, the job and the next step; the patch stays", async () => {
      await manifests(1, 2);
      ok(await up(), "up");
      const { id, outputs } = await job();
      faults({ operation: "DeregisterPackageVersion", error: "InternalServerException" });
      const message = failed(await destroy());
      assert.ok(
        message.includes(
          `could not deregister patch ${outputs!.patchVersion} of package ${outputs!.packageId} (job ${id})`,
        ),
        message,
      );
      assert.match(
        message,
        /The job stays in the stack; fix the cause and run `pulumi destroy` again\./,
      );
      assert.deepStrictEqual(await stateIds(), [id]);
      assert.strictEqual(patchStatus(outputs!), "REGISTER_COMPLETED");
      emu.control.clearFaults();
      ok(await destroy(), "the next destroy");
      assert.strictEqual(patchStatus(outputs!), "gone");
    });
  });

  it("the SDK client is built deliberately: standard retries, 6 attempts, HTTP timeouts", async () => {
    const client = panoramaClient("us-east-1");
    assert.strictEqual(await client.config.maxAttempts(), 6);
    assert.strictEqual((await (client.config as any).retryStrategy()).mode, "standard");
    const handlerConfig = await (client.config.requestHandler as any).configProvider;
    assert.deepStrictEqual(
      {
        connectionTimeout: handlerConfig.connectionTimeout,
        requestTimeout: handlerConfig.requestTimeout,
        throwOnRequestTimeout: handlerConfig.throwOnRequestTimeout,
      },
      HTTP_TIMEOUTS,
    );
  });
});
