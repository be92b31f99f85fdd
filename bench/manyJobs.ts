// One child process of scenarios 2-4: N PackageImportJob resources in one `pulumi up` through the
// real engine (Automation API, inline program, file:// backend), against an emulator of its own
// that enforces the service's request rates. Reports wall time, Panorama calls, throttled calls,
// the request rate over time, peak memory of the dynamic-provider process, and optionally the
// steady state (preview, no-change up, refresh) and the state's size per resource.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import { PackageImportJob } from "pulumi-panorama";
import type { RequestCounts } from "../emulator";
import { inlineStack, stackState, withStack } from "../tests/support/engine";
import { emitResult, emulatorEnv, MANIFEST_BUCKET, REPO_ROOT } from "./common";
import type { EmulatorProcessSpec } from "./emulatorProcess";

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
  steady?: { command: string; wallS: number; calls: number; summary: unknown }[];
  state?: { resourceBytes: number[]; providerInputBytes: number; providerOutputBytes: number; providerText: string; checkpointBytes: number };
}

const spec: ManyJobsSpec = JSON.parse(process.argv[2]);

/** The case's emulator in its own process (emulatorProcess.ts), driven over stdin/stdout. */
async function startEmulatorProcess(s: EmulatorProcessSpec) {
  const proc = spawn(process.execPath, [...process.execArgv, path.join(REPO_ROOT, "bench", "emulatorProcess.ts"), JSON.stringify(s)], {
    cwd: REPO_ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = readline.createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const nextLine = async (prefix: string) => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error("the emulator process ended");
      if (value.startsWith(prefix)) return value.slice(prefix.length);
    }
  };
  const ready = JSON.parse(await nextLine("READY "));
  return {
    url: ready.url as string,
    credentials: ready.credentials as { accessKeyId: string; secretAccessKey: string },
    async reset(): Promise<void> {
      proc.stdin!.write("RESET\n");
      await nextLine("OK");
    },
    async dump(): Promise<{ counts: RequestCounts; timeline: [number, string][] }> {
      proc.stdin!.write("DUMP\n");
      return JSON.parse(await nextLine("RESULT "));
    },
    stop(): void {
      proc.stdin!.end("STOP\n");
    },
  };
}

async function main(): Promise<ManyJobsResult> {
  const perPackage = spec.versionsPerPackage ?? 10;
  const jobs = Array.from({ length: spec.n }, (_, i) => {
    const packageName = `BENCH_${Math.floor(i / perPackage)}`;
    const packageVersion = `1.${i % perPackage}`;
    return { name: `job-${i}`, packageName, packageVersion, objectKey: `${packageName}/${packageVersion}/package.json` };
  });
  const emu = await startEmulatorProcess({
    rateLimits: spec.limits === "service" ? true : { overallPerSecond: 5, createPerSecond: 5 },
    importJobMs: spec.durationS * 1000,
    jitter: spec.jitter ?? 0,
    manifests: jobs,
  });
  const program = async () => {
    for (const j of jobs)
      new PackageImportJob(j.name, {
        inputConfig: { packageVersionInputConfig: { s3Location: { bucketName: MANIFEST_BUCKET, objectKey: j.objectKey } } },
        outputConfig: { packageVersionOutputConfig: { packageName: j.packageName, packageVersion: j.packageVersion } },
      });
    return {};
  };
  const env = { ...emulatorEnv(emu.url, emu.credentials), ...spec.env };
  const result: ManyJobsResult = {
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
  const sampler = new ProviderSampler();
  try {
    await withStack(
      inlineStack({ program, env, projectName: "bench", stackName: spec.label.replace(/[^a-zA-Z0-9-]/g, "-") }),
      async (s) => {
        await emu.reset();
        const t0 = performance.now();
        sampler.start();
        try {
          await s.stack.up({ parallel: spec.parallel });
        } catch (e) {
          result.error = String((e as Error).message ?? e).slice(-2000);
        }
        result.wallS = (performance.now() - t0) / 1000;
        await sampler.stop();
        result.providerPeakRssMB = sampler.peakRssMB;
        result.providerCpuS = sampler.cpuS;
        const { counts, timeline } = await emu.dump();
        result.throttled = counts.throttled;
        for (const [k, v] of Object.entries(counts.byOperation))
          if (k.startsWith("panorama:")) result.panoramaCalls[k.slice("panorama:".length)] = v;
        result.panoramaTotal = Object.values(result.panoramaCalls).reduce((a, b) => a + b, 0);
        result.timeline = timeline;
        result.peakPerSecond = peakInWindow(timeline.map(([t]) => t), 1);
        const resources = (await stackState(s)).resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && r.type.includes("PackageImportJob"));
        result.succeeded = resources.filter((r) => r.outputs?.status === "SUCCEEDED" && !r.initErrors).length;
        result.failed = spec.n - result.succeeded;

        if (spec.steadyState && !result.error) {
          result.steady = [];
          const measure = async (command: string, run: () => Promise<{ summary?: unknown; changeSummary?: unknown }>) => {
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
 * Samples the dynamic-provider process (node …/@pulumi/pulumi/cmd/dynamic-provider/index.js, a
 * descendant of this process through the CLI) every 250 ms: VmHWM is the kernel's peak RSS.
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
        if (!/dynamic-provider\/index\.js/.test(cmdline)) continue;
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
    emitResult(r);
    process.exit(0);
  },
  (e) => {
    console.error(e);
    emitResult({ label: spec.label, spec, error: String(e?.stack ?? e) });
    process.exit(1);
  },
);
