// The emulator restarted (same state file) while `pulumi up` waits on a job, judged by the real
// engine's state: nothing is lost, nothing is duplicated. On the same port the wait simply carries
// on; on a new port the wait times out, the engine records the job as PENDING, and the next `up`
// against the new address finishes it.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CommandError } from "@pulumi/pulumi/automation";
import { PanoramaClient } from "@aws-sdk/client-panorama";
import { PackageImportJob } from "pulumi-panorama";
import { RunningEmulator, startEmulator } from "../../emulator";
import { jobIdsInService } from "../support/census";
import {
  CLI_BUILD_TIMEOUT_MS,
  createSandbox,
  EngineStack,
  engineCli,
  inlineStack,
  Sandbox,
  stackState,
  withStack,
} from "../support/engine";
import { emulatorEnv, MANIFEST_BUCKET, SAMPLE_MANIFEST } from "../support/emulatorFixture";

const TIMING = { importJob: { mode: "timed" as const, durationMs: 1500 } };
const JOB_TYPE = "pulumi-nodejs:dynamic/panorama:PackageImportJob";

/** One import job with a fixed client token, so a second stack with the same inputs finds it. */
async function program() {
  const config = new pulumi.Config();
  const job = new PackageImportJob("job", {
    inputConfig: {
      packageVersionInputConfig: {
        s3Location: { bucketName: MANIFEST_BUCKET, objectKey: "restart/package.json" },
      },
    },
    outputConfig: {
      packageVersionOutputConfig: {
        packageName: "SAMPLE_CODE",
        packageVersion: "1.0",
        markLatest: true,
      },
    },
    clientToken: "restart-token",
    waitOptions: {
      minDelaySeconds: 0.05,
      maxDelaySeconds: 0.3,
      timeoutSeconds: config.requireNumber("timeoutSeconds"),
    },
  });
  return { jobId: job.jobId, status: job.status };
}

describe("emulator restart while pulumi up waits", function () {
  this.timeout(180_000);
  let dir: string;
  let stateFile: string;
  let sandbox: Sandbox;
  const running: RunningEmulator[] = [];

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "panorama-restart-"));
    stateFile = path.join(dir, "state.json");
    sandbox = createSandbox();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
    sandbox.dispose();
  });

  async function start(port = 0): Promise<RunningEmulator> {
    const emu = await startEmulator({ port, stateFile, timing: TIMING });
    running.push(emu);
    return emu;
  }
  async function stop(emu: RunningEmulator): Promise<void> {
    await emu.stop();
    running.splice(running.indexOf(emu), 1);
  }
  const panorama = (emu: RunningEmulator) =>
    new PanoramaClient({ endpoint: emu.url, region: emu.region, credentials: emu.credentials });
  const uploadManifest = (emu: RunningEmulator) =>
    emu.control.putObject(MANIFEST_BUCKET, "restart/package.json", SAMPLE_MANIFEST);
  const jobStack = (emu: RunningEmulator, timeoutSeconds: number, stackName = "test") =>
    inlineStack({
      program,
      sandbox,
      stackName,
      env: emulatorEnv(emu),
      config: { timeoutSeconds: String(timeoutSeconds) },
    });

  /** The stack's jobs, with the outputs the engine recorded. */
  const jobs = async (s: EngineStack) =>
    (await stackState(s)).resources.filter((r) => r.type === JOB_TYPE);
  const jobIds = async (s: EngineStack) => (await jobs(s)).map((r) => r.id);

  async function untilJobExists(emu: RunningEmulator): Promise<string> {
    for (
      const deadline = Date.now() + 60_000;
      Date.now() < deadline;
      await new Promise((r) => setTimeout(r, 20))
    ) {
      const ids = Object.keys(emu.control.state().importJobs as object);
      if (ids.length > 0) return ids[0];
    }
    assert.fail("no job was started");
  }

  /** The job exists and the provider holds its id: it has asked for the job's status at least once. */
  async function untilProviderReadsJob(emu: RunningEmulator): Promise<string> {
    const jobId = await untilJobExists(emu);
    for (
      const deadline = Date.now() + 60_000;
      Date.now() < deadline;
      await new Promise((r) => setTimeout(r, 20))
    ) {
      if ((emu.control.requestCounts().byOperation["panorama:DescribePackageImportJob"] ?? 0) > 0)
        return jobId;
    }
    assert.fail("the provider never read the job it started");
  }

  it("same port: the wait rides out the outage and ends SUCCEEDED on the one job", async () => {
    const first = await start();
    uploadManifest(first);
    await withStack(jobStack(first, 60), async (s) => {
      const up = s.stack.up();
      const jobId = await untilJobExists(first);
      await stop(first); // flushes the state file
      await new Promise((r) => setTimeout(r, 700)); // status checks meet a closed port meanwhile
      const second = await start(first.port);

      const result = await up;
      assert.strictEqual(result.outputs.status.value, "SUCCEEDED");
      assert.deepStrictEqual(await jobIds(s), [jobId]);
      const client = panorama(second);
      assert.deepStrictEqual(
        await jobIdsInService(client),
        [jobId],
        "no job lost, none duplicated",
      );
      client.destroy();
    });
  });

  it("new port: the job, its client token and the manifest survive; the next up finishes the recorded job", async () => {
    const first = await start();
    uploadManifest(first);
    await withStack(jobStack(first, 2), async (s) => {
      const up = s.stack.up();
      // Stopping between the job's save and the create's reply would lose the id in flight (the
      // next up adopts it by token, covered elsewhere); this test is about a recorded PENDING job.
      const jobId = await untilProviderReadsJob(first);
      await stop(first);

      const failure = await up.then(
        () => assert.fail("the wait cannot reach the stopped emulator"),
        (e: unknown) => e as CommandError,
      );
      assert.ok(failure instanceof CommandError, String(failure));
      // Depending on the moment of the stop, the first read or a later status check meets it.
      assert.match(
        failure.message,
        new RegExp(
          `Package import job ${jobId} (was started but could not be read|.* is still PENDING after 2s).*ECONNREFUSED`,
        ),
      );
      assert.deepStrictEqual(await jobIds(s), [jobId], "recorded as PENDING, not orphaned");
      assert.strictEqual((await jobs(s))[0].outputs!.status, "PENDING");

      const second = await start(); // a new port; the stack's environment now points at it
      assert.notStrictEqual(second.port, first.port);
      Object.assign(s.workspace.envVars, emulatorEnv(second));
      const client = panorama(second);
      assert.deepStrictEqual(await jobIdsInService(client), [jobId]);
      const again = await s.stack.up();
      assert.strictEqual(again.outputs.jobId.value, jobId);
      assert.strictEqual(again.outputs.status.value, "SUCCEEDED");
      assert.deepStrictEqual(await jobIds(s), [jobId]);

      // The ClientToken mapping survived too: another stack with the same inputs adopts the job.
      await withStack(jobStack(second, 60, "fresh"), async (fresh) => {
        assert.strictEqual((await fresh.stack.up()).outputs.jobId.value, jobId);
        assert.deepStrictEqual(await jobIdsInService(client), [jobId]);
      });
      client.destroy();
      assert.deepStrictEqual(
        fs.readdirSync(dir).sort(),
        ["state.json", "state.json.bodies"],
        "written by rename: no temporary files left (S3 bodies live in state.json.bodies/)",
      );
    });
  });
});
