// The PackageImportJob provider under injected faults, through the real SDK over HTTP: for each
// fault, `up` (create), `refresh` (read) and `destroy` (delete) either succeed or fail with a
// message that names the job and the next step, and afterwards the stack (a ledger of what the
// engine records) and the service agree exactly: no orphaned job, no duplicate.
import * as assert from "assert";
import type { FaultRuleInput } from "../../emulator";
import { forgetClients, HTTP_TIMEOUTS, panoramaClient } from "../../provider/calls/awsClients";
import { MANIFEST_BUCKET, SAMPLE_MANIFEST, useEmulator } from "../support/emulatorFixture";
import { jobIdsInEmulator, Ledger, RunResult } from "./ledger";

const NAME = "job";

describe("PackageImportJob under faults: up, refresh and destroy", function () {
  this.timeout(60_000);
  const fx = useEmulator({ timing: { importJob: { mode: "timed", durationMs: 400 }, packageVersion: { mode: "timed", durationMs: 200 } } });
  let n = 0;
  let before: string[];

  const BUDGET = ["PULUMI_PANORAMA_MAX_RPS", "PULUMI_PANORAMA_MAX_CREATE_RPS"];
  const savedBudget = BUDGET.map((k) => process.env[k]);
  /** The provider's own request budget (requestBudget.ts) paces every retry; only the 429 tests need it. */
  const useRequestBudget = (on: boolean) => {
    BUDGET.forEach((k, i) => (on ? (savedBudget[i] === undefined ? delete process.env[k] : (process.env[k] = savedBudget[i])) : (process.env[k] = "0")));
    forgetClients();
  };

  beforeEach(async () => {
    const { control } = fx().emu;
    control.clearFaults();
    control.setRateLimits(false);
    control.resetRequestCounts();
    // Each test starts with fresh SDK clients: a spent retry quota must not leak between tests.
    useRequestBudget(false);
    before = jobIdsInEmulator(fx().emu);
  });
  after(() => useRequestBudget(true));

  /** Inputs for a job of its own (a unique manifest, so a unique patch). */
  async function jobInputs(wait: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const i = ++n;
    const key = `faults/${i}/package.json`;
    await fx().uploadManifest(key, SAMPLE_MANIFEST.replace("Quickstart", `Fault test ${i}`));
    return {
      __provider: "serialized-provider-text",
      jobType: "NODE_PACKAGE_VERSION",
      inputConfig: { packageVersionInputConfig: { s3Location: { bucketName: MANIFEST_BUCKET, objectKey: key } } },
      outputConfig: { packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion: "1.0", markLatest: true } },
      clientToken: `fault-matrix-${i}`,
      deregisterOnDelete: true,
      waitOptions: { minDelaySeconds: 0.05, maxDelaySeconds: 0.3, timeoutSeconds: 30, ...wait },
    };
  }

  /** Jobs started since the test began. */
  const newJobs = async () => jobIdsInEmulator(fx().emu).filter((id) => !before.includes(id));
  const faults = (...rules: FaultRuleInput[]) => rules.map((r) => fx().emu.control.addFault(r));
  const hits = () => Object.fromEntries(fx().emu.control.faults().map((r) => [r.id, r.hits]));
  const ok = (r: RunResult, what: string) => assert.ok(r.ok, `${what} failed: ${!r.ok && r.message}`);
  const failed = (r: RunResult) => {
    assert.ok(!r.ok, "expected the run to fail");
    return r.message;
  };
  /** The patch's status in the emulator's state, or "gone". */
  const patchStatus = async (outputs: Record<string, any>) => {
    const patches = fx().emu.control.state().patches as Record<string, { packageId: string; patchVersion: string; status: string }>;
    const patch = Object.values(patches).find((p) => p.packageId === outputs.packageId && p.patchVersion === outputs.patchVersion);
    return patch?.status ?? "gone";
  };

  /** up, refresh, destroy: each must succeed and leave exactly one job, the one in the stack. */
  async function upRefreshDestroy(inputs: Record<string, any>): Promise<void> {
    const stack = new Ledger();
    ok(await stack.up(NAME, inputs), "up");
    const [job] = stack.resources.values();
    assert.strictEqual(job.outputs.status, "SUCCEEDED");
    assert.match(job.outputs.packageArn, /^arn:aws:panorama:/, "no output lost to the faults");
    assert.deepStrictEqual(await newJobs(), stack.ids(), "one job, the one in the stack");

    ok(await stack.refresh(NAME), "refresh");
    assert.strictEqual(stack.resources.get(NAME)!.outputs.status, "SUCCEEDED");
    assert.deepStrictEqual(await newJobs(), stack.ids());

    ok(await stack.destroy(NAME), "destroy");
    assert.deepStrictEqual(stack.ids(), []);
    assert.strictEqual(await patchStatus(job.outputs), "gone", "the imported patch was deregistered");
    assert.deepStrictEqual(await newJobs(), [job.id], "no second job along the way");
  }

  describe("transient faults: every run succeeds", () => {
    it("500 on Create (more than the SDK's 6 attempts): the provider repeats Create with the same token", async () => {
      const inputs = await jobInputs();
      const [rule] = faults({ operation: "CreatePackageImportJob", error: "InternalServerException", count: 7 });
      await upRefreshDestroy(inputs);
      assert.strictEqual(hits()[rule.id], 7);
      assert.strictEqual(fx().emu.control.requestCounts().byOperation["panorama:CreatePackageImportJob"], 8);
    });

    it("500 on every Describe and Deregister, 7 times each", async () => {
      const inputs = await jobInputs();
      faults(
        { operation: "DescribePackageImportJob", error: "InternalServerException", count: 7 },
        { operation: "DescribePackageVersion", error: "InternalServerException", count: 7 },
        { operation: "DeregisterPackageVersion", error: "InternalServerException", count: 7 },
      );
      await upRefreshDestroy(inputs);
      assert.deepStrictEqual(Object.values(hits()), [7, 7, 7]);
    });

    it("429 storm: rate limits (2 requests/s left for us) plus throttling of the first 3 calls of every operation", async () => {
      const inputs = await jobInputs();
      useRequestBudget(true);
      fx().emu.control.setRateLimits({ overallPerSecond: 2 });
      faults({ operation: "panorama:*", error: "ThrottlingException", count: 3 });
      await upRefreshDestroy(inputs);
      const counts = fx().emu.control.requestCounts();
      assert.strictEqual(counts.faults, 3);
      assert.ok(counts.throttled > 0, "the status checks ran into the rate limit");
    });

    it("429 storm from within: four jobs created at once while another client uses half the create quota, four jobs, no duplicate", async () => {
      const all = await Promise.all(Array.from({ length: 4 }, () => jobInputs()));
      useRequestBudget(true);
      // Below the provider's own pacing (requestBudget.ts), so the service's 429s must be ridden out.
      fx().emu.control.setRateLimits({ overallPerSecond: 5, createPerSecond: 0.5 });
      const stack = new Ledger();
      const results = await Promise.all(all.map((inputs, i) => stack.up(`job-${i}`, inputs)));
      results.forEach((r, i) => ok(r, `up of job-${i}`));
      assert.strictEqual(stack.ids().length, 4);
      assert.deepStrictEqual(await newJobs(), stack.ids());
      assert.ok([...stack.resources.values()].every((r) => r.outputs.status === "SUCCEEDED"));
      assert.ok(fx().emu.control.requestCounts().throttled > 0, "CreatePackageImportJob's rate limit was hit");
    });

    it("dropped connections: half of all Panorama requests lose their connection", async () => {
      const inputs = await jobInputs();
      faults({ operation: "panorama:*", action: "drop", probability: 0.5, seed: 2024 });
      await upRefreshDestroy(inputs);
      assert.ok(fx().emu.control.requestCounts().faults >= 5);
    });

    it("lost responses: Create, Describe and Deregister apply but their answers are lost", async () => {
      const inputs = await jobInputs();
      faults(
        { operation: "CreatePackageImportJob", action: "applyAndDrop", count: 2 },
        { operation: "DescribePackageImportJob", action: "applyAndDrop", count: 2 },
        { operation: "DeregisterPackageVersion", action: "applyAndDrop", count: 1 },
      );
      await upRefreshDestroy(inputs);
      assert.deepStrictEqual(Object.values(hits()), [2, 2, 1]);
      assert.strictEqual(fx().emu.control.requestCounts().byOperation["panorama:CreatePackageImportJob"], 3, "two answers lost, one job");
    });

    it("slow responses: every call takes 300 ms longer", async () => {
      const inputs = await jobInputs();
      faults({ operation: "*", latencyMs: 300 });
      const started = Date.now();
      await upRefreshDestroy(inputs);
      assert.ok(Date.now() - started >= 300 * 6);
    });
  });

  describe("persistent faults: the run fails clearly, and the next run after the fault recovers", () => {
    const quick = { timeoutSeconds: 2 };

    it("Create answers 500 throughout: nothing recorded, nothing started; the next up starts one job", async () => {
      const inputs = await jobInputs(quick);
      faults({ operation: "CreatePackageImportJob", error: "InternalServerException" });
      const stack = new Ledger();
      const message = failed(await stack.up(NAME, inputs));
      assert.match(message, /^PackageImportJob SAMPLE_CODE 1\.0: CreatePackageImportJob did not succeed within 2s: InternalServerException \(HTTP 500\)/);
      assert.match(message, /re-adopts it through the same client token \(secret\).*Run `pulumi up` again/);
      assert.ok(!message.includes(inputs.clientToken), "the token is secret: no message prints it");
      assert.deepStrictEqual([stack.ids(), await newJobs()], [[], []]);

      fx().emu.control.clearFaults();
      ok(await stack.up(NAME, inputs), "the next up");
      assert.deepStrictEqual(await newJobs(), stack.ids());
      assert.strictEqual(stack.ids().length, 1);
    });

    it("every Create answer is lost: the job exists but is not recorded; the next up re-adopts it, no duplicate", async () => {
      const inputs = await jobInputs(quick);
      faults({ operation: "CreatePackageImportJob", action: "applyAndDrop" });
      const stack = new Ledger();
      const message = failed(await stack.up(NAME, inputs));
      assert.match(message, /CreatePackageImportJob did not succeed within 2s: TimeoutError \(ECONNRESET\): socket hang up/);
      assert.match(message, /If one of the requests reached the service, the job exists; the next `pulumi up` re-adopts it/);
      const started = await newJobs();
      assert.strictEqual(started.length, 1, "many Create calls, one job");
      assert.ok(fx().emu.control.requestCounts().byOperation["panorama:CreatePackageImportJob"]! >= 2, "Create was repeated");

      fx().emu.control.clearFaults();
      ok(await stack.up(NAME, inputs), "the next up");
      assert.deepStrictEqual(stack.ids(), started, "the job the lost answers started");
      assert.deepStrictEqual(await newJobs(), started);
    });

    it("Describe answers 500 right after Create: the job is recorded as PENDING; the next up resumes it without a replacement", async () => {
      const inputs = await jobInputs(quick);
      const [rule] = faults({ operation: "DescribePackageImportJob", error: "InternalServerException" });
      const stack = new Ledger();
      const message = failed(await stack.up(NAME, inputs));
      const [job] = await newJobs();
      assert.strictEqual(
        message,
        `Package import job ${job} was started but could not be read: InternalServerException (HTTP 500): Fault injected by emulator rule ` +
          `${rule.id} into DescribePackageImportJob. It is recorded in the stack; fix the cause and run \`pulumi up\` again to resume.`,
      );
      assert.deepStrictEqual(stack.ids(), [job], "recorded, not orphaned");
      const recorded = stack.resources.get(NAME)!;
      assert.strictEqual(recorded.outputs.status, "PENDING");
      assert.strictEqual(recorded.outputs.__provider, inputs.__provider, "refresh and destroy can load the provider");

      fx().emu.control.clearFaults();
      const d = await (await import("../../provider/resources/packageImportJob")).packageImportJobImplementation.diff(job, recorded.outputs, inputs);
      assert.deepStrictEqual(d.replaces, [], "the recorded job is resumed, not replaced");
      ok(await stack.up(NAME, inputs), "the next up");
      assert.strictEqual(stack.resources.get(NAME)!.outputs.status, "SUCCEEDED");
      assert.deepStrictEqual(await newJobs(), [job]);
    });

    it("the wait loses every connection: the job is recorded as still PENDING with the last error; the next up finishes it", async () => {
      const inputs = await jobInputs(quick);
      fx().emu.control.setTiming({ importJob: { mode: "manual" } });
      try {
        const stack = new Ledger();
        // Create and the first Describe go through; every later status check is dropped.
        faults({ operation: "DescribePackageImportJob", action: "delay", count: 1 }, { operation: "DescribePackageImportJob", action: "drop" });
        const message = failed(await stack.up(NAME, inputs));
        const [job] = await newJobs();
        assert.match(message, new RegExp(`^Package import job ${job} for SAMPLE_CODE 1\\.0 is still PENDING after 2s \\(waitOptions\\.timeoutSeconds\\)`));
        assert.match(message, /\(last check: TimeoutError \(ECONNRESET\): socket hang up \(endpoint AWS_ENDPOINT_URL_PANORAMA=http:\/\/127\.0\.0\.1:\d+\)\)/);
        assert.match(message, /run `pulumi up` again to resume waiting on the same package import job/);
        assert.deepStrictEqual(stack.ids(), [job]);

        fx().emu.control.clearFaults();
        fx().emu.control.completeImportJob(job);
        ok(await stack.up(NAME, inputs), "the next up");
        assert.strictEqual(stack.resources.get(NAME)!.outputs.status, "SUCCEEDED");
        assert.deepStrictEqual(await newJobs(), [job]);
      } finally {
        fx().emu.control.setTiming({ importJob: { mode: "timed", durationMs: 400 } });
      }
    });

    it("refresh while Describe answers 500: fails naming the job and the next step; the stack keeps the job", async () => {
      const inputs = await jobInputs(quick);
      const stack = new Ledger();
      ok(await stack.up(NAME, inputs), "up");
      const before = structuredClone(stack.resources.get(NAME)!);
      faults({ operation: "DescribePackageImportJob", error: "InternalServerException" });
      const message = failed(await stack.refresh(NAME));
      assert.match(message, new RegExp(`^Could not refresh package import job ${before.id} in us-east-1: InternalServerException \\(HTTP 500\\)`));
      assert.match(message, /run `pulumi refresh` again once the service answers/);
      assert.deepStrictEqual(stack.resources.get(NAME), before);
      fx().emu.control.clearFaults();
      ok(await stack.refresh(NAME), "the next refresh");
    });

    it("destroy while Deregister answers 500: fails naming the patch, the job and the next step; the patch stays", async () => {
      const inputs = await jobInputs(quick);
      const stack = new Ledger();
      ok(await stack.up(NAME, inputs), "up");
      const { id, outputs } = stack.resources.get(NAME)!;
      faults({ operation: "DeregisterPackageVersion", error: "InternalServerException" });
      const message = failed(await stack.destroy(NAME));
      assert.ok(message.includes(`could not deregister patch ${outputs.patchVersion} of package ${outputs.packageId} (job ${id})`), message);
      assert.match(message, /The job stays in the stack; fix the cause and run `pulumi destroy` again\.$/);
      assert.deepStrictEqual(stack.ids(), [id]);
      assert.strictEqual(await patchStatus(outputs), "REGISTER_COMPLETED");
      fx().emu.control.clearFaults();
      ok(await stack.destroy(NAME), "the next destroy");
      assert.strictEqual(await patchStatus(outputs), "gone");
    });
  });

  it("the SDK client is built deliberately: standard retries, 6 attempts, HTTP timeouts", async () => {
    const client = panoramaClient("us-east-1");
    assert.strictEqual(await client.config.maxAttempts(), 6);
    assert.strictEqual((await (client.config as any).retryStrategy()).mode, "standard");
    const handlerConfig = await (client.config.requestHandler as any).configProvider;
    assert.deepStrictEqual(
      { connectionTimeout: handlerConfig.connectionTimeout, requestTimeout: handlerConfig.requestTimeout, throwOnRequestTimeout: handlerConfig.throwOnRequestTimeout },
      HTTP_TIMEOUTS,
    );
  });
});
