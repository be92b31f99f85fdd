// One child process of scenarios 2-4: N PackageImportJob resources in one `pulumi up` through the
// real engine (Automation API, inline program, file:// backend), against an emulator of its own
// that enforces the service's request rates. Reports wall time, Panorama calls, throttled calls,
// the request rate over time, peak memory of the dynamic-provider process, and optionally the
// steady state (preview, no-change up, refresh) and the state's size per resource.
// With `processes` > 1 (scenario 5, one account shared): that many stacks, each `pulumi up` in a
// worker process of its own (so a provider process of its own), started together against one
// emulator; the wall time runs until the last of them ends.
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as readline from "readline";
import * as pulumi from "@pulumi/pulumi";
import { PackageImportJob } from "pulumi-panorama";
import { inlineStack, stackState, withStack } from "../tests/support/engine";
import { PANORAMA_PLUGIN, pluginResource } from "../tests/support/pluginDoor";
import { emitResult, emulatorEnv, MANIFEST_BUCKET, REGION, REPO_ROOT } from "./common";
import { EmulatorProcessSpec, startEmulatorProcess } from "./emulatorProcess";

export interface ManyJobsSpec {
  label: string;
  n: number;
  durationS: number;
  /** Job duration spread, as a fraction. @default 0 */
  jitter?: number;
  /** `pulumi up --parallel`; absent: the CLI's default (4 × cores). */
  parallel?: number;
  /** Emulator limits: the service's (5/s, 1/s per create operation) or without the per-operation one. */
  limits: "service" | "account-only";
  /** Extra environment of the provider process (budget, coalescing switches). */
  env?: Record<string, string>;
  /** Jobs per package: N jobs import versions 1.0… of ceil(N / perPackage) packages. @default 10 */
  versionsPerPackage?: number;
  steadyState?: boolean;
  /** Stacks deploying at once into one account, each with `n` jobs in its own `pulumi up` process. @default 1 */
  processes?: number;
  /** The front door: dynamic resources, or the provider plugin (`panorama:index:*`). @default "dynamic" */
  door?: "dynamic" | "plugin";
  /** Plugin door: explicit providers of the same account in the stack, the jobs dealt out among them (a plugin process each). */
  providers?: number;
  /** Set by the coordinator of a shared-account case for each of its workers. */
  worker?: {
    index: number;
    url: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
}

export interface ManyJobsResult {
  label: string;
  spec: ManyJobsSpec;
  wallS: number;
  succeeded: number;
  failed: number;
  error?: string;
  panoramaCalls: Record<string, number>;
  panoramaTotal: number;
  throttled: number;
  /** Requests the emulator accepted, as [seconds since up started, operation]. */
  timeline: [number, string][];
  /** Most requests accepted in any one-second window. */
  peakPerSecond: number;
  providerPeakRssMB?: number;
  providerCpuS?: number;
  /** Shared-account cases: each stack's `pulumi up` wall time. */
  perProcessWallS?: number[];
  /** The machine's 1-minute load average when the case ended (other work may share the cores). */
  loadAverage?: number;
  /** Rows measured after the run that produced the rest of the file (`npm run bench -- --rows shared-account`). */
  commit?: string;
  steady?: { command: string; wallS: number; calls: number; summary: unknown }[];
  state?: {
    resourceBytes: number[];
    providerInputBytes: number;
    providerOutputBytes: number;
    providerText: string;
    checkpointBytes: number;
  };
}

const spec: ManyJobsSpec = JSON.parse(process.argv[2]);

/** The jobs of one stack; each stack of a shared account imports packages of its own. */
function jobsOf(stack: number) {
  const perPackage = spec.versionsPerPackage ?? 10;
  return Array.from({ length: spec.n }, (_, i) => {
    const packageName = `BENCH_${stack ? `S${stack}_` : ""}${Math.floor(i / perPackage)}`;
    const packageVersion = `1.${i % perPackage}`;
    return {
      name: `job-${i}`,
      packageName,
      packageVersion,
      objectKey: `${packageName}/${packageVersion}/package.json`,
    };
  });
}

function programOf(jobs: ReturnType<typeof jobsOf>, endpoint: string) {
  return async () => {
    // Explicit providers as a program writes them (`new panorama.Provider(…)`), one account.
    const providers = Array.from(
      { length: spec.providers ?? 0 },
      (_, i) =>
        new (pulumi.ProviderResource as any)("panorama", `account-${i}`, {
          region: REGION,
          endpoints: { panorama: endpoint, s3: endpoint },
        }) as pulumi.ProviderResource,
    );
    jobs.forEach((j, i) => {
      const inputs = {
        inputConfig: {
          packageVersionInputConfig: {
            s3Location: { bucketName: MANIFEST_BUCKET, objectKey: j.objectKey },
          },
        },
        outputConfig: {
          packageVersionOutputConfig: {
            packageName: j.packageName,
            packageVersion: j.packageVersion,
          },
        },
      };
      if (spec.door !== "plugin") new PackageImportJob(j.name, inputs);
      else
        pluginResource("PackageImportJob", j.name, inputs, {
          provider: providers.length ? providers[i % providers.length] : undefined,
        });
    });
    return {};
  };
}

/** The stack of one case (and worker) through its door. */
function stackOf(
  jobs: ReturnType<typeof jobsOf>,
  endpoint: string,
  env: Record<string, string>,
  stackName: string,
) {
  return inlineStack({
    program: programOf(jobs, endpoint),
    env,
    projectName: "bench",
    stackName,
    providerPlugins: spec.door === "plugin" ? [PANORAMA_PLUGIN] : undefined,
  });
}

/**
 * `pulumi up` until the engine's summary: what the command takes. The Automation API's `up` then
 * runs `pulumi stack output` and `pulumi stack history` of its own (two more CLI starts, seconds
 * on a loaded machine), which no `pulumi up` a user types waits for.
 */
async function timedUp(
  s: { stack: { up(opts: any): Promise<unknown> } },
  t0: number,
): Promise<{ wallS: number; error?: string }> {
  let summaryAt: number | undefined;
  let error: string | undefined;
  try {
    await s.stack.up({
      parallel: spec.parallel,
      onEvent: (e: { summaryEvent?: unknown }) => {
        if (e.summaryEvent) summaryAt = performance.now();
      },
    });
  } catch (e) {
    error = String((e as Error).message ?? e).slice(-2000);
  }
  return { wallS: ((summaryAt ?? performance.now()) - t0) / 1000, error };
}

const emulatorSpec = (manifests: EmulatorProcessSpec["manifests"]): EmulatorProcessSpec => ({
  rateLimits: spec.limits === "service" ? true : { overallPerSecond: 5, createPerSecond: 5 },
  importJobMs: spec.durationS * 1000,
  jitter: spec.jitter ?? 0,
  manifests,
});

function emptyResult(): ManyJobsResult {
  return {
    label: spec.label,
    spec,
    wallS: NaN,
    succeeded: 0,
    failed: 0,
    panoramaCalls: {},
    panoramaTotal: 0,
    throttled: 0,
    timeline: [],
    peakPerSecond: 0,
  };
}

/** What the emulator counted since its last reset, into the result. */
async function countInto(
  result: ManyJobsResult,
  emu: Awaited<ReturnType<typeof startEmulatorProcess>>,
): Promise<void> {
  const { counts, timeline } = await emu.dump();
  result.throttled = counts.throttled;
  for (const [k, v] of Object.entries(counts.byOperation))
    if (k.startsWith("panorama:")) result.panoramaCalls[k.slice("panorama:".length)] = v;
  result.panoramaTotal = Object.values(result.panoramaCalls).reduce((a, b) => a + b, 0);
  result.timeline = timeline;
  result.peakPerSecond = peakInWindow(
    timeline.map(([t]) => t),
    1,
  );
}

async function succeededJobs(s: Parameters<typeof stackState>[0]): Promise<number> {
  const resources = (await stackState(s)).resources.filter(
    (r) => r.type !== "pulumi:pulumi:Stack" && r.type.includes("PackageImportJob"),
  );
  return resources.filter((r) => r.outputs?.status === "SUCCEEDED" && !r.initErrors).length;
}

/** Coordinator of a shared-account case: one emulator, `processes` workers, one GO for all. */
async function sharedAccount(): Promise<ManyJobsResult> {
  const stacks = Array.from({ length: spec.processes! }, (_, i) => i + 1);
  const emu = await startEmulatorProcess(emulatorSpec(stacks.flatMap(jobsOf)));
  const result = emptyResult();
  try {
    const workers = stacks.map((index) =>
      startWorker({ ...spec, worker: { index, url: emu.url, credentials: emu.credentials } }),
    );
    await Promise.all(workers.map((w) => w.ready));
    await emu.reset();
    const t0 = performance.now();
    for (const w of workers) w.proc.stdin!.write("GO\n");
    const outcomes = await Promise.all(workers.map((w) => w.result));
    // Until the last stack's `pulumi up` ended (timedUp), each timed from the GO it got.
    const walls = outcomes.map((o) => o.wallS);
    result.wallS = walls.every(Number.isFinite)
      ? Math.max(...walls)
      : (performance.now() - t0) / 1000;
    await countInto(result, emu);
    result.perProcessWallS = outcomes.map((o) => o.wallS);
    result.succeeded = outcomes.reduce((a, o) => a + (o.succeeded ?? 0), 0);
    result.failed = spec.n * stacks.length - result.succeeded;
    const errors = outcomes.filter((o) => o.error).map((o) => `stack ${o.stack}: ${o.error}`);
    if (errors.length) result.error = errors.join("\n").slice(-2000);
  } finally {
    emu.stop();
  }
  return result;
}

/** One stack of a shared-account case; says READY once its stack exists and starts `up` on GO. */
async function worker(
  w: NonNullable<ManyJobsSpec["worker"]>,
): Promise<{ stack: number; wallS: number; succeeded: number; error?: string }> {
  const env = { ...emulatorEnv(w.url, w.credentials), ...spec.env };
  const out: { stack: number; wallS: number; succeeded: number; error?: string } = {
    stack: w.index,
    wallS: NaN,
    succeeded: 0,
  };
  const stackName = `${spec.label}-${w.index}`.replace(/[^a-zA-Z0-9-]/g, "-");
  await withStack(
    stackOf(jobsOf(w.index), w.url, env, stackName),
    async (s) => {
      process.stdout.write("READY\n");
      const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
      while ((await lines.next()).value?.trim() !== "GO");
      const up = await timedUp(s, performance.now());
      out.wallS = up.wallS;
      if (up.error) out.error = up.error.slice(-1000);
      out.succeeded = await succeededJobs(s);
    },
    { destroy: false },
  );
  return out;
}

function startWorker(workerSpec: ManyJobsSpec): {
  proc: ChildProcess;
  ready: Promise<void>;
  result: Promise<any>;
} {
  const proc = spawn(
    process.execPath,
    [...process.execArgv, __filename, JSON.stringify(workerSpec)],
    { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = readline.createInterface({ input: proc.stdout! });
  let ready!: () => void;
  let result!: (r: any) => void;
  const out = {
    proc,
    ready: new Promise<void>((r) => (ready = r)),
    result: new Promise<any>((r) => (result = r)),
  };
  lines.on("line", (line) => {
    if (line === "READY") ready();
    else if (line.startsWith("RESULT ")) result(JSON.parse(line.slice(7)));
  });
  proc.on("close", (code) =>
    result({
      stack: workerSpec.worker!.index,
      wallS: NaN,
      succeeded: 0,
      error: `worker exited with ${code}`,
    }),
  );
  return out;
}

async function main(): Promise<unknown> {
  if (spec.worker) return worker(spec.worker);
  if ((spec.processes ?? 1) > 1) return sharedAccount();
  const jobs = jobsOf(0);
  const emu = await startEmulatorProcess(emulatorSpec(jobs));
  const env = { ...emulatorEnv(emu.url, emu.credentials), ...spec.env };
  const result = emptyResult();
  const sampler = new ProviderSampler();
  try {
    await withStack(
      stackOf(jobs, emu.url, env, spec.label.replace(/[^a-zA-Z0-9-]/g, "-")),
      async (s) => {
        await emu.reset();
        const t0 = performance.now();
        sampler.start();
        const up = await timedUp(s, t0);
        result.wallS = up.wallS;
        if (up.error) result.error = up.error;
        await sampler.stop();
        result.providerPeakRssMB = sampler.peakRssMB;
        result.providerCpuS = sampler.cpuS;
        await countInto(result, emu);
        result.succeeded = await succeededJobs(s);
        result.failed = spec.n - result.succeeded;

        if (spec.steadyState && !result.error) {
          result.steady = [];
          const measure = async (
            command: string,
            run: () => Promise<{ summary?: unknown; changeSummary?: unknown }>,
          ) => {
            await emu.reset();
            const started = performance.now();
            const out = await run();
            const wallS = (performance.now() - started) / 1000;
            const calls = Object.entries((await emu.dump()).counts.byOperation)
              .filter(([k]) => k.startsWith("panorama:"))
              .reduce((a, [, v]) => a + v, 0);
            const summary = (out as any).changeSummary ?? (out as any).summary?.resourceChanges;
            result.steady!.push({ command, wallS, calls, summary });
          };
          await measure("pulumi preview", () => s.stack.preview());
          await measure("pulumi up (no changes)", () => s.stack.up());
          await measure("pulumi refresh", () => s.stack.refresh());
          const state = await stackState(s);
          const jobsInState = state.resources.filter((r) => r.type.includes("PackageImportJob"));
          const provider = String(jobsInState[0]?.inputs?.__provider ?? "");
          result.state = {
            resourceBytes: jobsInState.map((r) => JSON.stringify(r).length),
            providerInputBytes: provider.length,
            providerOutputBytes: String(jobsInState[0]?.outputs?.__provider ?? "").length,
            providerText: provider,
            checkpointBytes: JSON.stringify(state.deployment).length,
          };
        }
      },
      { destroy: false },
    );
  } finally {
    await sampler.stop();
    emu.stop();
  }
  return result;
}

function peakInWindow(times: number[], windowS: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= windowS) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/**
 * Samples the provider processes (node …/@pulumi/pulumi/cmd/dynamic-provider/index.js, or the
 * plugin bin/pulumi-resource-panorama; descendants of this process through the CLI) every 250 ms:
 * VmHWM is the kernel's peak RSS (the most of any one process), CPU is summed over them.
 */
class ProviderSampler {
  peakRssMB?: number;
  cpuS?: number;
  private timer?: NodeJS.Timeout;
  private readonly seen = new Map<number, { hwmKB: number; cpuTicks: number }>();

  start(): void {
    this.timer = setInterval(() => this.sample(), 250);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const all = [...this.seen.values()];
    if (all.length) {
      this.peakRssMB = Math.max(...all.map((x) => x.hwmKB)) / 1024;
      this.cpuS = all.reduce((a, x) => a + x.cpuTicks, 0) / 100;
    }
  }

  private sample(): void {
    let ps: string;
    try {
      ps = execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" });
    } catch {
      return;
    }
    const children = new Map<number, number[]>();
    for (const line of ps.split("\n")) {
      const [pid, ppid] = line.trim().split(/\s+/).map(Number);
      if (pid) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    }
    const tree = [process.pid];
    for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
    for (const pid of tree) {
      try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (!/dynamic-provider\/index\.js|pulumi-resource-panorama/.test(cmdline)) continue;
        const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        const cpuTicks = Number(stat[11]) + Number(stat[12]); // utime + stime
        if (hwm) this.seen.set(pid, { hwmKB: Number(hwm[1]), cpuTicks });
      } catch {
        /* gone */
      }
    }
  }
}

main().then(
  (r) => {
    if (!spec.worker) (r as ManyJobsResult).loadAverage = os.loadavg()[0];
    emitResult(r);
    process.exit(0);
  },
  (e) => {
    console.error(e);
    emitResult({ label: spec.label, spec, error: String(e?.stack ?? e) });
    process.exit(1);
  },
);
