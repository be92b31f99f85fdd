// Key rows of the fault matrix through the real Pulumi CLI and engine: faults during up, refresh and
// destroy; every Create answer lost; `pulumi up` SIGKILLed at random points, round after round; and
// what the exported state and the emulator log hold of secrets. After every run the state and the
// service agree exactly: no orphaned job, no duplicate.
import * as assert from "assert";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { CommandError } from "@pulumi/pulumi/automation";
import { PackageImportJob } from "pulumi-panorama";
import { RunningEmulator, startEmulator } from "../../emulator";
import {
  CLI_BUILD_TIMEOUT_MS,
  EngineStack,
  engineCli,
  inlineStack,
  localStack,
  spawnUp,
  stackState,
  StateResource,
  withStack,
} from "../support/engine";
import { emulatorEnv, MANIFEST_BUCKET, SAMPLE_MANIFEST } from "../support/emulatorFixture";
import { jobIdsInEmulator } from "../support/census";
import { blankSecrets, checkpointFiles, isSecret } from "../support/checkpoint";

const JOB_TYPE = "pulumi-nodejs:dynamic/panorama:PackageImportJob";
const CREDENTIALS = {
  accessKeyId: "AKIDENGINETEST",
  secretAccessKey: "engine-Secret-Key-never-in-state-7c1e",
};
const SECRET_TAG = "owner-secret-31f6a0d2";
const QUICK_WAIT = { minDelaySeconds: 0.1, maxDelaySeconds: 0.5, timeoutSeconds: 60 };

/** One import job, run by the CLI's own Node.js language host (so `pulumi up` can be killed). */
const KILL_PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { PackageImportJob } from "pulumi-panorama";
const config = new pulumi.Config();
const job = new PackageImportJob("sample-code", {
  inputConfig: { packageVersionInputConfig: { s3Location: { bucketName: config.require("manifestBucket"), objectKey: config.require("manifestKey") } } },
  outputConfig: { packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion: "1.0", markLatest: true } },
  waitOptions: { minDelaySeconds: 0.1, maxDelaySeconds: 0.5, timeoutSeconds: 600 },
});
export const jobId = job.jobId;
export const status = job.status;
`;

describe("reliability through the real Pulumi engine", function () {
  this.timeout(180_000);
  let emu: RunningEmulator;
  let env: Record<string, string>;
  const emulatorLog: string[] = [];
  let n = 0;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    emu = await startEmulator({
      port: 0,
      credentials: CREDENTIALS,
      log: (line) => emulatorLog.push(line),
      timing: {
        importJob: { mode: "timed", durationMs: 1500 },
        packageVersion: { mode: "timed", durationMs: 300 },
      },
    });
    env = emulatorEnv(emu, CREDENTIALS);
  });
  after(() => emu?.stop());
  beforeEach(() => {
    emu.control.clearFaults();
    emu.control.setTiming({ importJob: { mode: "timed", durationMs: 1500 } });
  });

  /** A manifest of its own (so a patch of its own) and its key. */
  function manifest(): string {
    const key = `engine/${++n}/package.json`;
    emu.control.putObject(
      MANIFEST_BUCKET,
      key,
      SAMPLE_MANIFEST.replace("Quickstart", `Engine reliability ${n}`),
    );
    return key;
  }

  function jobProgram(key: string, extra: Record<string, unknown> = {}) {
    return async () => {
      const job = new PackageImportJob("sample-code", {
        inputConfig: {
          packageVersionInputConfig: {
            s3Location: { bucketName: MANIFEST_BUCKET, objectKey: key },
          },
        },
        outputConfig: {
          packageVersionOutputConfig: {
            packageName: "SAMPLE_CODE",
            packageVersion: "1.0",
            markLatest: true,
          },
        },
        waitOptions: QUICK_WAIT,
        deregisterOnDelete: true,
        ...extra,
      });
      return {
        jobId: job.jobId,
        status: job.status,
        patchVersion: job.patchVersion,
        packageId: job.packageId,
      };
    };
  }

  const jobResources = async (s: EngineStack): Promise<StateResource[]> =>
    (await stackState(s)).resources.filter((r) => r.type === JOB_TYPE);
  const newJobs = (before: string[]) => jobIdsInEmulator(emu).filter((id) => !before.includes(id));
  const patchGone = (packageId: string, patch: string) =>
    !Object.values(
      emu.control.state().patches as Record<string, { packageId: string; patchVersion: string }>,
    ).some((p) => p.packageId === packageId && p.patchVersion === patch);

  /** The state's jobs are exactly the given service jobs, none pending, none failed. */
  async function agree(s: EngineStack, jobs: string[]): Promise<void> {
    const state = await stackState(s);
    const inState = state.resources.filter((r) => r.type === JOB_TYPE);
    assert.deepStrictEqual(
      inState.map((r) => r.id).sort(),
      [...jobs].sort(),
      "the state holds exactly the service's jobs",
    );
    assert.deepStrictEqual(state.pendingOperations, [], "no operation left pending");
    for (const r of inState)
      assert.strictEqual(r.initErrors, undefined, `${r.id} still has init errors`);
  }

  it("faults during up, refresh and destroy: each succeeds, and the state and the service agree", async () => {
    const before = jobIdsInEmulator(emu);
    await withStack(inlineStack({ program: jobProgram(manifest()), env }), async (s) => {
      const rules = [
        emu.control.addFault({
          operation: "CreatePackageImportJob",
          action: "applyAndDrop",
          count: 1,
        }),
        emu.control.addFault({
          operation: "CreatePackageImportJob",
          error: "InternalServerException",
          count: 2,
        }),
        // Status checks go out as Describe or, coalesced, as ListPackageImportJobs pages.
        emu.control.addFault({
          operation: ["DescribePackageImportJob", "ListPackageImportJobs"],
          action: "drop",
          count: 2,
        }),
        emu.control.addFault({
          operation: "DescribePackageVersion",
          error: "ThrottlingException",
          count: 2,
        }),
      ];
      const up = await s.stack.up();
      assert.strictEqual(up.outputs.status.value, "SUCCEEDED");
      const jobs = newJobs(before);
      assert.deepStrictEqual(
        jobs,
        [up.outputs.jobId.value],
        "one job, though its Create answer was lost",
      );
      await agree(s, jobs);
      assert.ok(
        emu.control.faults().every((r) => r.hits > 0),
        JSON.stringify(emu.control.faults()),
      );

      emu.control.clearFaults();
      emu.control.addFault({
        operation: "DescribePackageImportJob",
        error: "InternalServerException",
        count: 7,
      });
      await s.stack.refresh();
      await agree(s, jobs);
      assert.strictEqual((await jobResources(s))[0].outputs!.status, "SUCCEEDED");

      emu.control.clearFaults();
      emu.control.addFault({
        operation: "DeregisterPackageVersion",
        action: "applyAndDrop",
        count: 1,
      });
      emu.control.addFault({
        operation: "DescribePackageVersion",
        error: "InternalServerException",
        count: 3,
      });
      const destroy = await s.stack.destroy();
      assert.strictEqual(destroy.summary.result, "succeeded");
      await agree(s, []);
      assert.ok(
        patchGone(up.outputs.packageId.value, up.outputs.patchVersion.value),
        "the imported patch was deregistered",
      );
      assert.deepStrictEqual(newJobs(before), jobs, "no second job along the way");
      assert.strictEqual(rules.length, 4);
    });
  });

  it("every Create answer lost: up fails saying the next up re-adopts the job, and the next up does, without a duplicate", async () => {
    const before = jobIdsInEmulator(emu);
    await withStack(
      inlineStack({
        program: jobProgram(manifest(), { waitOptions: { ...QUICK_WAIT, timeoutSeconds: 3 } }),
        env,
      }),
      async (s) => {
        emu.control.addFault({ operation: "CreatePackageImportJob", action: "applyAndDrop" });
        const failed = await s.stack.up().then(
          () => assert.fail("up should fail"),
          (e: unknown) => e as CommandError,
        );
        assert.ok(failed instanceof CommandError);
        assert.match(
          String(failed.message),
          /CreatePackageImportJob did not succeed within 3s: TimeoutError \(ECONNRESET\): socket hang up/,
        );
        assert.match(
          String(failed.message),
          /the next `pulumi up` re-adopts it through the same client token \(secret\) instead of starting another/,
        );
        assert.doesNotMatch(
          String(failed.message),
          /pulumi-[0-9a-f]{40}/,
          "the token is secret: no message prints it",
        );
        const started = newJobs(before);
        assert.strictEqual(started.length, 1, "one job, however many Create calls");
        assert.deepStrictEqual(
          await jobResources(s),
          [],
          "the failed create left nothing in the state",
        );

        emu.control.clearFaults();
        const up = await s.stack.up();
        assert.strictEqual(
          up.outputs.jobId.value,
          started[0],
          "the next up re-adopted the job the lost answers started",
        );
        await agree(s, started);
        assert.deepStrictEqual(newJobs(before), started);
      },
    );
  });

  it("SIGKILL of pulumi up at random points, three rounds: then one up finishes the one job", async () => {
    emu.control.setTiming({ importJob: { mode: "manual" } });
    const key = manifest();
    const before = jobIdsInEmulator(emu);
    const creates = () =>
      emu.control.requestCounts().byOperation["panorama:CreatePackageImportJob"] ?? 0;
    await withStack(
      localStack({
        files: { "index.ts": KILL_PROGRAM },
        env,
        config: { manifestBucket: MANIFEST_BUCKET, manifestKey: key },
      }),
      async (s) => {
        const rounds: string[] = [];
        for (let round = 0; round < 3; round++) {
          // Round 1 kills while a slow Create is in flight (the service applies it after the client died).
          if (round === 1)
            emu.control.addFault({
              operation: "CreatePackageImportJob",
              latencyMs: 1500,
              count: 1,
            });
          const createsBefore = creates();
          const up = spawnUp(s);
          for (
            const deadline = Date.now() + 60_000;
            creates() === createsBefore;
            await new Promise((r) => setTimeout(r, 25))
          )
            assert.ok(
              Date.now() < deadline,
              `the provider never called CreatePackageImportJob:\n${up.output()}`,
            );
          const delay =
            round === 1 ? Math.floor(Math.random() * 1000) : Math.floor(Math.random() * 2500);
          await new Promise((r) => setTimeout(r, delay));
          assert.ok(up.kill(), `pulumi up had already exited:\n${up.output()}`);
          await up.exited;
          await s.stack.cancel().catch(() => undefined);
          await new Promise((r) => setTimeout(r, round === 1 ? 1600 : 0)); // let a stalled Create land
          const jobs = newJobs(before);
          assert.ok(jobs.length <= 1, `round ${round}: ${jobs.length} jobs`);
          rounds.push(`killed ${delay} ms after Create (${jobs.length} job)`);
        }
        const [job] = newJobs(before);
        assert.ok(job, `a job was started: ${rounds.join("; ")}`);
        emu.control.completeImportJob(job);
        const up = await s.stack.up();
        assert.strictEqual(up.outputs.jobId.value, job, rounds.join("; "));
        assert.strictEqual(up.outputs.status.value, "SUCCEEDED");
        // The engine keeps the killed runs' pending creates until a refresh is told what to do.
        assert.ok((await stackState(s)).pendingOperations.length > 0);
        await s.stack.refresh({ clearPendingCreates: true });
        await agree(s, [job]);
        assert.deepStrictEqual(newJobs(before), [job], "exactly one job after three kills");
      },
    );
  });

  it("secrets: neither the secret access key nor a secret jobTags value is in the state or the emulator log, and jobTags stays secret", async () => {
    const before = jobIdsInEmulator(emu);
    const program = jobProgram(manifest(), {
      jobTags: [
        { resourceType: "PACKAGE", tags: { owner: pulumi.secret(SECRET_TAG), team: "vision" } },
      ],
    });
    await withStack(inlineStack({ program, env }), async (s) => {
      await s.stack.up();
      const [job] = newJobs(before);
      // The client token is a hash of the job parameters, secret tags included: a secret too.
      const token = (emu.control.state().importJobs as Record<string, { clientToken: string }>)[job]
        .clientToken;
      const secrets = {
        "the secret access key": CREDENTIALS.secretAccessKey,
        "the secret tag value": SECRET_TAG,
        "the client token": token,
      };

      // The export shows secrets decrypted, inside their envelopes (the Automation API passes
      // --show-secrets); outside an envelope nothing secret may appear.
      const exported = await s.stack.exportStack();
      const outsideEnvelopes = JSON.stringify(blankSecrets(exported));
      for (const [what, value] of Object.entries(secrets))
        assert.ok(!outsideEnvelopes.includes(value), `${what} is in the state outside a secret`);
      const [resource] = await jobResources(s);
      assert.ok(isSecret(resource.inputs!.jobTags), "jobTags is secret among the inputs");
      assert.ok(isSecret(resource.outputs!.jobTags), "jobTags stays secret among the outputs");
      assert.ok(
        isSecret(resource.outputs!.clientToken) && isSecret(resource.outputs!.requestedClientToken),
        "the token is secret under both names",
      );

      // At rest, in the backend's checkpoint files, secrets are only ciphertext.
      const onDisk = checkpointFiles(s.sandbox)
        .map((f) => fs.readFileSync(f, "utf8"))
        .join("\n");
      assert.ok(onDisk.includes(job), "the checkpoint was found");
      for (const [what, value] of Object.entries(secrets))
        assert.ok(!onDisk.includes(value), `${what} is in the checkpoint file`);
      assert.ok(emulatorLog.length > 0, "the emulator logged requests");
      const log = emulatorLog.join("\n");
      assert.ok(
        !log.includes(CREDENTIALS.secretAccessKey) && !log.includes(SECRET_TAG),
        "a secret is in the emulator log",
      );
    });
  });
});
