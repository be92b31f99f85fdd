// Through the real Pulumi CLI and engine, one stack, one emulator with a state file, in order:
// - `pulumi up` SIGKILLed mid-wait (the CLI process alone, as a CI timeout does): the provider
//   plugin, left behind with its own process group, notices the engine is gone and exits within
//   seconds; the next `pulumi up` adopts the job and completes;
// - the emulator restarted (same port, same state file) while `pulumi refresh` has a request in
//   flight, and again while `pulumi destroy` has its DeregisterPackageVersion in flight: each
//   command succeeds, and the state and the service agree.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { RunningEmulator, startEmulator } from "../../emulator";
import {
  CLI_BUILD_TIMEOUT_MS,
  cleanup,
  EngineStack,
  engineCli,
  localStack,
  spawnUp,
  stackState,
} from "../support/engine";
import { emulatorEnv, MANIFEST_BUCKET, SAMPLE_MANIFEST } from "../support/emulatorFixture";
import { jobIdsInEmulator } from "../support/census";

const JOB_TYPE = "pulumi-nodejs:dynamic/panorama:PackageImportJob";
const TIMING = {
  importJob: { mode: "manual" as const },
  packageVersion: { mode: "timed" as const, durationMs: 300 },
};

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { PackageImportJob } from "pulumi-panorama";
const config = new pulumi.Config();
const job = new PackageImportJob("sample-code", {
  inputConfig: { packageVersionInputConfig: { s3Location: { bucketName: config.require("manifestBucket"), objectKey: config.require("manifestKey") } } },
  outputConfig: { packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion: "1.0", markLatest: true } },
  waitOptions: { minDelaySeconds: 0.1, maxDelaySeconds: 0.5, timeoutSeconds: 600 },
  deregisterOnDelete: true,
});
export const jobId = job.jobId;
export const status = job.status;
export const packageId = job.packageId;
export const patchVersion = job.patchVersion;
`;

/** Every process below `pid`, with its command line (Linux /proc). */
function descendants(pid: number): { pid: number; cmdline: string }[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" }).split(
    "\n",
  )) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    if (p) children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const out: number[] = [];
  for (let queue = [pid]; queue.length;)
    for (const c of children.get(queue.shift()!) ?? []) (out.push(c), queue.push(c));
  return out.map((p) => ({ pid: p, cmdline: cmdlineOf(p) })).filter((p) => p.cmdline !== "");
}

function cmdlineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function until(what: string, ok: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!ok()) {
    if (Date.now() - started > timeoutMs) assert.fail(`${what} not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

describe("the real engine when its counterpart goes away", function () {
  this.timeout(300_000); // engine start-up alone took 80 s on a loaded 2-core machine
  let dir: string;
  let emu: RunningEmulator;
  let s: EngineStack;
  let jobId: string;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "panorama-engine-loss-"));
    emu = await startEmulator({ port: 0, stateFile: path.join(dir, "state.json"), timing: TIMING });
    emu.control.putObject(
      MANIFEST_BUCKET,
      "loss/package.json",
      SAMPLE_MANIFEST.replace("Quickstart", "Engine loss"),
    );
    s = await localStack({
      files: { "index.ts": PROGRAM },
      env: emulatorEnv(emu),
      config: { manifestBucket: MANIFEST_BUCKET, manifestKey: "loss/package.json" },
    });
  });
  after(async () => {
    if (s) await cleanup(s, { destroy: false }).catch(() => undefined);
    await emu?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Stops the emulator and starts it again on the same port and state file. */
  async function restartEmulator(downMs: number): Promise<void> {
    const port = emu.port;
    await emu.stop(); // flushes the state file; connections still open are cut
    await new Promise((r) => setTimeout(r, downMs));
    emu = await startEmulator({ port, stateFile: path.join(dir, "state.json"), timing: TIMING });
  }

  const requests = (operation: string) =>
    emu.control.requestCounts().byOperation[`panorama:${operation}`] ?? 0;

  it("kill -9 of `pulumi up` mid-wait: the provider process exits within seconds, and the next up adopts the job", async () => {
    const up = spawnUp(s);
    await until("CreatePackageImportJob", () => requests("CreatePackageImportJob") > 0, 90_000);
    let provider: { pid: number; cmdline: string } | undefined;
    await until(
      "the provider plugin",
      () =>
        !!(provider = descendants(up.pid).find((p) =>
          /dynamic-provider[\\/]index\.js/.test(p.cmdline),
        )),
      30_000,
    );
    const tree = descendants(up.pid);
    const checksBefore = requests("DescribePackageImportJob") + requests("ListPackageImportJobs");
    await until(
      "a status check",
      () => requests("DescribePackageImportJob") + requests("ListPackageImportJobs") > checksBefore,
      30_000,
    );

    process.kill(up.pid, "SIGKILL"); // the CLI only, not its process group, nor the plugins' groups
    await up.exited;
    try {
      const tookMs = await until(
        `exit of the orphaned provider process ${provider!.pid}`,
        () => !alive(provider!.pid),
        10_000,
      );
      assert.ok(tookMs < 10_000);
      const checks = requests("DescribePackageImportJob") + requests("ListPackageImportJobs");
      await new Promise((r) => setTimeout(r, 1500));
      assert.strictEqual(
        requests("DescribePackageImportJob") + requests("ListPackageImportJobs"),
        checks,
        "no status check after the exit",
      );
    } finally {
      // The language host and the program, orphans of their own, are not this provider's to end.
      for (const p of tree)
        if (alive(p.pid) && cmdlineOf(p.pid) === p.cmdline) process.kill(p.pid, "SIGKILL");
    }

    await s.stack.cancel().catch(() => undefined);
    const jobs = jobIdsInEmulator(emu);
    assert.strictEqual(jobs.length, 1, "one job was started");
    [jobId] = jobs;
    emu.control.completeImportJob(jobId);
    const again = await s.stack.up();
    assert.strictEqual(again.outputs.jobId.value, jobId, "the next up adopted the job");
    assert.strictEqual(again.outputs.status.value, "SUCCEEDED");
    await s.stack.refresh({ clearPendingCreates: true });
    assert.deepStrictEqual(jobIdsInEmulator(emu), [jobId]);
  });

  it("emulator restart while `pulumi refresh` has a request in flight: the refresh succeeds and changes nothing", async () => {
    assert.ok(jobId, "needs the job of the first cell");
    const before = (await stackState(s)).resources.filter((r) => r.type === JOB_TYPE);
    emu.control.addFault({ operation: "DescribePackageImportJob", action: "hang", count: 1 });
    const refresh = s.stack.refresh();
    await until(
      "the refresh's DescribePackageImportJob",
      () => emu.control.faults()[0].hits > 0,
      60_000,
    );
    await restartEmulator(700);

    const result = await refresh;
    assert.strictEqual(result.summary.result, "succeeded");
    const after = (await stackState(s)).resources.filter((r) => r.type === JOB_TYPE);
    assert.deepStrictEqual(
      after.map((r) => [r.id, r.outputs?.status]),
      before.map((r) => [r.id, "SUCCEEDED"]),
    );
    assert.deepStrictEqual((await stackState(s)).pendingOperations, []);
    assert.deepStrictEqual(jobIdsInEmulator(emu), [jobId], "nothing lost across the restart");
  });

  it("emulator restart while `pulumi destroy` has its DeregisterPackageVersion in flight: the destroy succeeds and the patch is gone", async () => {
    assert.ok(jobId, "needs the job of the first cell");
    const [job] = (await stackState(s)).resources.filter((r) => r.type === JOB_TYPE);
    const { packageId, patchVersion } = job.outputs as { packageId: string; patchVersion: string };
    emu.control.addFault({ operation: "DeregisterPackageVersion", action: "hang", count: 1 });
    const destroy = s.stack.destroy();
    await until(
      "the destroy's DeregisterPackageVersion",
      () => emu.control.faults()[0].hits > 0,
      60_000,
    );
    await restartEmulator(700);

    const result = await destroy;
    assert.strictEqual(result.summary.result, "succeeded");
    assert.deepStrictEqual(
      (await stackState(s)).resources.filter((r) => r.type === JOB_TYPE),
      [],
    );
    const patches = Object.values(
      emu.control.state().patches as Record<
        string,
        { packageId: string; patchVersion: string; status?: string }
      >,
    );
    assert.ok(
      !patches.some((p) => p.packageId === packageId && p.patchVersion === patchVersion),
      `the patch was deregistered: ${JSON.stringify(patches)}`,
    );
  });
});
