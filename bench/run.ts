// `npm run bench`: every scenario in one run, results side by side, then bench/RESULTS.md and its
// charts. Real time throughout, including the 600 s job (it runs in the background from the start
// and bounds the run at about 11 minutes). `--quick` is a two-minute smoke run of the harness.
// `--rows shared-account` runs only scenario 5 (about 18 minutes) and merges its rows into
// bench/results.json, replacing rows of the same label and keeping the rest, then rewrites the report;
// `--rows plugin` runs only its rows through the provider plugin (about 10 minutes).
// `--only fleet` runs only the fleet rollout (bench/fleetRollout.ts, about 8 minutes) into
// bench/fleet-results.json (replacing the row of its label), then rewrites the report.
//
// Phase A (quiet machine): scenario 1 - one job per strategy and run, each provider run in its own
//   process (its scheduler then sees a lone job), durations 0.7-600 s with ±10% spread, all on
//   emulators in this process. The jobs of D ≤ 13 s end within ~45 s.
// Phase B: scenarios 2-4 through the real engine in three lanes of sequential cases, each case in
//   a worker with an emulator process of its own enforcing the service's rates; the 67 s and 600 s
//   jobs of scenario 1 go on meanwhile (their lag targets are seconds, unaffected by load).
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../emulator";
import { emulatorEnv, gitCommit, manifest, MANIFEST_BUCKET, REPO_ROOT, TMP_DIR } from "./common";
import type { ManyJobsResult, ManyJobsSpec } from "./manyJobs";
import { FLEET_RESULTS_FILE } from "./fleetReport";
import { FLEET_ROLLOUT, FleetRolloutResult } from "./fleetRollout";
import { writeReport } from "./report";
import type { SingleJobResult, SingleJobSpec } from "./singleJob";

const QUICK = process.argv.includes("--quick");
const ROWS = process.argv.includes("--rows")
  ? process.argv[process.argv.indexOf("--rows") + 1]
  : undefined;
const ONLY = process.argv.includes("--only")
  ? process.argv[process.argv.indexOf("--only") + 1]
  : undefined;

interface Strategy {
  strategy: SingleJobSpec["strategy"];
  label: string;
  intervalS?: number;
}

export const STRATEGIES: Strategy[] = [
  { strategy: "provider", label: "this provider" },
  { strategy: "previous", label: "provider before (0.5 s ×1.2, 20% jitter)" },
  { strategy: "fixed", label: "fixed 30 s (panorama-cli)", intervalS: 30 },
  { strategy: "fixed", label: "fixed 5 s (CloudFormation)", intervalS: 5 },
];

const DURATIONS = QUICK ? [0.7, 3.3] : [0.7, 3.3, 13, 67, 600];
const RUNS = QUICK ? 2 : 5;

/** Scenario 2-4 cases; lanes run concurrently, cases within a lane one after another. */
const LANES: ManyJobsSpec[][] = QUICK
  ? [
      [
        {
          label: "quick N=5",
          n: 5,
          durationS: 5,
          parallel: 5,
          limits: "service",
          steadyState: true,
        },
      ],
    ]
  : [
      [
        // 300 creates at the 1/s quota alone take 5 minutes: a shorter D would change nothing.
        { label: "N=300 --parallel 300", n: 300, durationS: 60, parallel: 300, limits: "service" },
        { label: "N=1", n: 1, durationS: 60, limits: "service" },
      ],
      [
        {
          label: "N=100 --parallel 100",
          n: 100,
          durationS: 60,
          parallel: 100,
          limits: "service",
          steadyState: true,
        },
        {
          label: "N=100 --parallel 100, no list pages",
          n: 100,
          durationS: 60,
          parallel: 100,
          limits: "service",
          env: { PULUMI_PANORAMA_COALESCE: "false" },
        },
        { label: "N=10 --parallel 10", n: 10, durationS: 60, parallel: 10, limits: "service" },
      ],
      [
        // 13 waves of one-minute jobs would take 13 minutes; waves of 10 s jobs show the same shape.
        { label: "N=100 default parallelism, D=10 s", n: 100, durationS: 10, limits: "service" },
        {
          label: "N=100 --parallel 100, creates not limited per operation",
          n: 100,
          durationS: 60,
          parallel: 100,
          limits: "account-only",
          env: { PULUMI_PANORAMA_MAX_CREATE_RPS: "4" },
        },
        {
          label: "N=100 --parallel 100, no request budget",
          n: 100,
          durationS: 60,
          parallel: 100,
          limits: "service",
          env: { PULUMI_PANORAMA_MAX_RPS: "0", PULUMI_PANORAMA_MAX_CREATE_RPS: "0" },
        },
        { label: "N=10 default parallelism", n: 10, durationS: 60, limits: "service" },
      ],
    ];

/**
 * Scenario 5, many stacks in one account: each stack's `pulumi up` in a process of its own, all
 * against one emulator enforcing the service's rates; then one process at the same rates. One
 * after the other: four engines and four providers at once on two cores would delay the timers
 * that space the creates, and the rows would measure the machine rather than the rates.
 */
export const SHARED_ACCOUNT_LANES: ManyJobsSpec[][] = [
  (["dynamic", "plugin"] as const).flatMap((door): ManyJobsSpec[] => {
    const suffix = door === "plugin" ? ", plugin" : "";
    return [
      {
        label: `3 stacks × N=40 --parallel 40, one account${suffix}`,
        n: 40,
        processes: 3,
        durationS: 60,
        parallel: 40,
        limits: "service",
        door,
      },
      {
        label:
          door === "plugin"
            ? "N=100 --parallel 100, plugin"
            : "N=100 --parallel 100, creates at the quota",
        n: 100,
        durationS: 60,
        parallel: 100,
        limits: "service",
        door,
      },
    ];
  }),
];
// Explicit providers exist only at the plugin door: one stack, two plugin processes, one account.
SHARED_ACCOUNT_LANES[0].push({
  label: "2 explicit providers × N=50 --parallel 100, one stack, plugin",
  n: 100,
  providers: 2,
  durationS: 60,
  parallel: 100,
  limits: "service",
  door: "plugin",
});

export interface BenchResults {
  startedAt: string;
  runtimeS: number;
  quick: boolean;
  machine: { cpus: number; cpuModel: string; memGB: number; node: string; commit: string };
  single: SingleJobResult[];
  many: ManyJobsResult[];
}

/**
 * The scenario-1 child as plain JavaScript: forty processes each loading ts-node and TypeScript
 * would spend half a minute of the run just starting.
 */
function transpileSingleJob(): string {
  const ts = require("typescript") as typeof import("typescript");
  const out = path.join(TMP_DIR, "js");
  fs.mkdirSync(out, { recursive: true });
  for (const name of ["singleJob", "common"]) {
    const source = fs.readFileSync(path.join(REPO_ROOT, "bench", `${name}.ts`), "utf8");
    const js = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    fs.writeFileSync(path.join(out, `${name}.js`), js.outputText);
  }
  return path.join(out, "singleJob.js");
}

/** A child process; resolves its RESULT lines when it exits. A .ts entry runs through ts-node. */
function child(
  script: string,
  spec: unknown,
): { proc: ChildProcess; ready: Promise<void>; results: Promise<any[]>; output: () => string } {
  const entry = script.endsWith(".ts")
    ? ["-r", "ts-node/register/transpile-only", path.join("bench", script)]
    : [script];
  const proc = spawn(process.execPath, [...entry, JSON.stringify(spec)], {
    cwd: REPO_ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  const results: any[] = [];
  let onReady: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  let buffer = "";
  proc.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i; (i = buffer.indexOf("\n")) >= 0;) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (line === "READY") onReady();
      else if (line.startsWith("RESULT ")) results.push(JSON.parse(line.slice(7)));
      else out += line + "\n";
    }
  });
  proc.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const done = new Promise<any[]>((resolve) =>
    proc.on("close", (code) => {
      if (code !== 0) console.error(`[bench] ${script} exited with ${code}:\n${out.slice(-3000)}`);
      resolve(results);
    }),
  );
  return { proc, ready, results: done, output: () => out };
}

async function scenario1(): Promise<{
  short: Promise<SingleJobResult[]>;
  all: Promise<SingleJobResult[]>;
  stop: () => Promise<void>;
}> {
  const emulators = await Promise.all(
    DURATIONS.map((d) =>
      startEmulator({
        timing: { importJob: { mode: "timed", durationMs: d * 1000, jitter: 0.1 } },
        quotas: { packages: 1000, patchesPerPackage: 1000 },
      }),
    ),
  );
  const children: { durationS: number; c: ReturnType<typeof child> }[] = [];
  const script = transpileSingleJob();
  DURATIONS.forEach((durationS, di) => {
    const emu = emulators[di];
    STRATEGIES.forEach((s, si) => {
      const runs = Array.from({ length: RUNS }, (_, run) => {
        const packageName = `S1_${String(durationS).replace(".", "p")}_${si}_${run}`;
        const objectKey = `${packageName}/package.json`;
        emu.control.putObject(
          MANIFEST_BUCKET,
          objectKey,
          manifest(packageName, "1.0"),
          "application/json",
        );
        return {
          run,
          packageName,
          objectKey,
          clientToken: `bench-${packageName}`,
          startDelayMs: Math.round(Math.random() * 3000),
        };
      });
      const base = {
        strategy: s.strategy,
        intervalS: s.intervalS,
        label: s.label,
        durationS,
        env: emulatorEnv(emu.url, emu.credentials),
      };
      // The provider's scheduler is per process: one process per run keeps each job alone.
      const groups = s.strategy === "provider" ? runs.map((r) => [r]) : [runs];
      for (const g of groups)
        children.push({
          durationS,
          c: child(script, { ...base, runs: g } satisfies SingleJobSpec),
        });
    });
  });
  await Promise.all(children.map((x) => x.c.ready));
  log(
    `scenario 1: ${children.length} processes ready; starting ${DURATIONS.length * STRATEGIES.length * RUNS} jobs`,
  );
  for (const x of children) x.c.proc.stdin!.write("GO\n");
  const collect = (cs: typeof children) =>
    Promise.all(cs.map((x) => x.c.results)).then((r) => r.flat() as SingleJobResult[]);
  return {
    short: collect(children.filter((x) => x.durationS <= 13)),
    all: collect(children),
    stop: async () => void (await Promise.all(emulators.map((e) => e.stop()))),
  };
}

async function lane(specs: ManyJobsSpec[]): Promise<ManyJobsResult[]> {
  const out: ManyJobsResult[] = [];
  for (const spec of specs) {
    const started = Date.now();
    log(`scenario 2: ${spec.label} ...`);
    const [r] = await child("manyJobs.ts", spec).results;
    out.push(
      r ?? ({ label: spec.label, spec, error: "the worker produced no result" } as ManyJobsResult),
    );
    log(
      `scenario 2: ${spec.label}: ${r?.error ? "ERROR " : ""}wall ${r?.wallS?.toFixed(1)} s, ${r?.panoramaTotal} calls, ${r?.throttled} throttled, ${r?.failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
  }
  return out;
}

const t0 = Date.now();
function log(line: string): void {
  console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);
}

/** Runs only the rows of `lanes` and merges them into the committed results. */
async function rowsOnly(lanes: ManyJobsSpec[][]): Promise<void> {
  const file = path.join(REPO_ROOT, "bench", "results.json");
  const results: BenchResults = JSON.parse(fs.readFileSync(file, "utf8"));
  const commit = gitCommit();
  const fresh = (await Promise.all(lanes.map(lane))).flat().map((m) => ({ ...m, commit }));
  results.many = [...results.many.filter((m) => !fresh.some((f) => f.label === m.label)), ...fresh];
  fs.writeFileSync(file, JSON.stringify(results, null, 1));
  writeReport(results, path.join(REPO_ROOT, "bench"));
  log(`merged ${fresh.length} rows into ${path.relative(REPO_ROOT, file)} and rewrote the report`);
}

/** The fleet rollout alone, in a process of its own; replaces the row of its label, keeps the others. */
async function fleetOnly(): Promise<void> {
  log(`fleet: ${FLEET_ROLLOUT.label} ...`);
  const [r] = (await child("fleetRollout.ts", FLEET_ROLLOUT).results) as FleetRolloutResult[];
  if (!r?.spec || !Number.isFinite(r.wallS))
    throw new Error(`the fleet rollout failed: ${r?.error ?? "no result"}`);
  const kept: FleetRolloutResult[] = fs.existsSync(FLEET_RESULTS_FILE)
    ? JSON.parse(fs.readFileSync(FLEET_RESULTS_FILE, "utf8")).filter(
        (x: FleetRolloutResult) => x.label !== r.label,
      )
    : [];
  fs.writeFileSync(FLEET_RESULTS_FILE, JSON.stringify([r, ...kept], null, 1) + "\n");
  const file = path.join(REPO_ROOT, "bench", "results.json");
  writeReport(JSON.parse(fs.readFileSync(file, "utf8")), path.join(REPO_ROOT, "bench"));
  log(
    `fleet: wall ${r.wallS.toFixed(1)} s, floor ${r.floorS.toFixed(1)} s (${(r.wallS / r.floorS).toFixed(2)}×), ${r.callsPerDevice.toFixed(1)} calls/device, ${r.throttled} throttled, ${r.failed} failed; wrote ${path.relative(REPO_ROOT, FLEET_RESULTS_FILE)} and the report`,
  );
}

async function main(): Promise<void> {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  if (ONLY === "fleet") return fleetOnly();
  if (ONLY !== undefined) throw new Error(`--only must be "fleet", got ${JSON.stringify(ONLY)}.`);
  if (ROWS === "shared-account") return rowsOnly(SHARED_ACCOUNT_LANES);
  if (ROWS === "plugin")
    return rowsOnly(SHARED_ACCOUNT_LANES.map((l) => l.filter((spec) => spec.door === "plugin")));
  if (ROWS !== undefined)
    throw new Error(`--rows must be "shared-account" or "plugin", got ${JSON.stringify(ROWS)}.`);
  const startedAt = new Date().toISOString();
  const s1 = await scenario1();
  const short = await s1.short;
  log(`scenario 1: jobs of up to 13 s done (${short.length} results)`);
  // Scenario 5 runs only with --rows (8 minutes more); its committed rows, marked with their commit, stay.
  const many = [
    ...(await Promise.all(LANES.map(lane))).flat(),
    ...(QUICK ? [] : committedSharedAccountRows()),
  ];
  log("scenario 2-4 done; waiting for the long single jobs");
  const single = await s1.all;
  await s1.stop();
  const results: BenchResults = {
    startedAt,
    runtimeS: (Date.now() - t0) / 1000,
    quick: QUICK,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "?",
      memGB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      commit: gitCommit(),
    },
    single,
    many,
  };
  const file = QUICK
    ? path.join(TMP_DIR, "results-quick.json")
    : path.join(REPO_ROOT, "bench", "results.json");
  fs.writeFileSync(file, JSON.stringify(results, null, 1));
  writeReport(results, QUICK ? TMP_DIR : path.join(REPO_ROOT, "bench"));
  log(
    `wrote ${path.relative(REPO_ROOT, file)} and the report; total ${(results.runtimeS / 60).toFixed(1)} min`,
  );
}

function committedSharedAccountRows(): ManyJobsResult[] {
  const file = path.join(REPO_ROOT, "bench", "results.json");
  if (!fs.existsSync(file)) return [];
  const labels = new Set(SHARED_ACCOUNT_LANES.flat().map((spec) => spec.label));
  return (JSON.parse(fs.readFileSync(file, "utf8")) as BenchResults).many.filter((m) =>
    labels.has(m.label),
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
