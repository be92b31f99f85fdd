// The emulator restarted (same state file) while the provider waits on a job: nothing is lost,
// nothing is duplicated. On the same port the wait simply carries on; on a new port the wait
// times out, is recorded as PENDING, and the next `up` against the new address finishes it.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { RunningEmulator, startEmulator } from "../../emulator";
import { forgetClients } from "../../provider/calls/awsClients";
import { emulatorEnv, MANIFEST_BUCKET, SAMPLE_MANIFEST } from "../support/emulatorFixture";
import { jobIdsInService, Ledger } from "./ledger";
import { PanoramaClient } from "@aws-sdk/client-panorama";

const TIMING = { importJob: { mode: "timed" as const, durationMs: 1500 } };

describe("emulator restart while the provider waits", function () {
  this.timeout(60_000);
  let dir: string;
  let stateFile: string;
  const running: RunningEmulator[] = [];
  const savedEnv = { ...process.env };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "panorama-restart-"));
    stateFile = path.join(dir, "state.json");
    forgetClients();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.stop()));
    for (const key of Object.keys(emulatorEnv({ url: "" } as RunningEmulator))) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    forgetClients();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(port = 0): Promise<RunningEmulator> {
    const emu = await startEmulator({ port, stateFile, timing: TIMING });
    running.push(emu);
    Object.assign(process.env, emulatorEnv(emu));
    return emu;
  }
  async function stop(emu: RunningEmulator): Promise<void> {
    await emu.stop();
    running.splice(running.indexOf(emu), 1);
  }
  const panorama = (emu: RunningEmulator) => new PanoramaClient({ endpoint: emu.url, region: emu.region, credentials: emu.credentials });

  async function inputs(emu: RunningEmulator, timeoutSeconds: number): Promise<Record<string, any>> {
    const s3 = new S3Client({ endpoint: emu.url, region: emu.region, credentials: emu.credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: MANIFEST_BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: MANIFEST_BUCKET, Key: "restart/package.json", Body: SAMPLE_MANIFEST }));
    s3.destroy();
    return {
      __provider: "serialized-provider-text",
      jobType: "NODE_PACKAGE_VERSION",
      inputConfig: { packageVersionInputConfig: { s3Location: { bucketName: MANIFEST_BUCKET, objectKey: "restart/package.json" } } },
      outputConfig: { packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion: "1.0", markLatest: true } },
      clientToken: "restart-token",
      waitOptions: { minDelaySeconds: 0.05, maxDelaySeconds: 0.3, timeoutSeconds },
    };
  }

  async function untilJobExists(emu: RunningEmulator): Promise<string> {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      const ids = Object.keys(emu.control.state().importJobs as object);
      if (ids.length > 0) return ids[0];
    }
    assert.fail("no job was started");
  }

  it("same port: the wait rides out the outage and ends SUCCEEDED on the one job", async () => {
    const first = await start();
    const stack = new Ledger();
    const up = stack.up("job", await inputs(first, 20));
    const jobId = await untilJobExists(first);
    await stop(first); // flushes the state file
    await new Promise((r) => setTimeout(r, 700)); // status checks meet a closed port meanwhile
    const second = await start(first.port);

    const result = await up;
    assert.ok(result.ok, !result.ok ? result.message : "");
    assert.deepStrictEqual(stack.ids(), [jobId]);
    assert.strictEqual(stack.resources.get("job")!.outputs.status, "SUCCEEDED");
    const client = panorama(second);
    assert.deepStrictEqual(await jobIdsInService(client), [jobId], "no job lost, none duplicated");
    client.destroy();
  });

  it("new port: the job, its client token and the manifest survive; the next up finishes the recorded job", async () => {
    const first = await start();
    const stack = new Ledger();
    const jobInputs = await inputs(first, 2);
    const up = stack.up("job", jobInputs);
    const jobId = await untilJobExists(first);
    await stop(first);

    const result = await up;
    assert.ok(!result.ok, "the wait cannot reach the stopped emulator");
    // Depending on the moment of the stop, the first read or a later status check meets it.
    assert.match(result.message, new RegExp(`^Package import job ${jobId} (was started but could not be read|.* is still PENDING after 2s).*ECONNREFUSED`));
    assert.deepStrictEqual(stack.ids(), [jobId], "recorded as PENDING, not orphaned");

    const second = await start(); // a new port; the environment now points at it
    assert.notStrictEqual(second.port, first.port);
    forgetClients();
    const client = panorama(second);
    assert.deepStrictEqual(await jobIdsInService(client), [jobId]);
    const again = await stack.up("job", jobInputs);
    assert.ok(again.ok, !again.ok ? again.message : "");
    assert.deepStrictEqual(stack.ids(), [jobId]);
    assert.strictEqual(stack.resources.get("job")!.outputs.status, "SUCCEEDED");

    // The ClientToken mapping survived too: a fresh create with the same inputs re-adopts the job.
    const fresh = new Ledger();
    assert.ok((await fresh.up("job", jobInputs)).ok);
    assert.deepStrictEqual(fresh.ids(), [jobId]);
    assert.deepStrictEqual(await jobIdsInService(client), [jobId]);
    client.destroy();
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["state.json", "state.json.bodies"], "written by rename: no temporary files left (S3 bodies live in state.json.bodies/)");
  });
});
