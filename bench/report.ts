// Turns bench results into bench/RESULTS.md and its charts. Also runnable on its own:
//   node -r ts-node/register/transpile-only bench/report.ts bench/results.json
import * as fs from "fs";
import * as path from "path";
import { max, median, REPO_ROOT } from "./common";
import { fleetSection } from "./fleetReport";
import { persistenceSection } from "./persistence";
import type { ManyJobsResult } from "./manyJobs";
import type { BenchResults } from "./run";
import type { SingleJobResult } from "./singleJob";
import { lineChart, Series } from "./svg";

const COLORS = ["#1f77b4", "#9467bd", "#d62728", "#ff7f0e", "#2ca02c", "#8c564b"];
const lagTarget = (d: number) => Math.max(0.5, 0.25 * d);
const callTarget = (d: number) => 4 + Math.log(d / 0.5) / Math.log(1.25);
const s = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "–");
const ok = (pass: boolean) => (pass ? "met" : "**missed**");

export function writeReport(r: BenchResults, dir: string): void {
  const strategies = [...new Set(r.single.map((x) => x.label))];
  const durations = [...new Set(r.single.map((x) => x.durationS))].sort((a, b) => a - b);
  const pick = (label: string, d: number) =>
    r.single.filter((x) => x.label === label && x.durationS === d && !x.error);
  const provider = strategies[0];

  fs.writeFileSync(
    path.join(dir, "single-job-lag.svg"),
    singleChart(r, strategies, durations, "lag"),
  );
  fs.writeFileSync(
    path.join(dir, "single-job-calls.svg"),
    singleChart(r, strategies, durations, "calls"),
  );
  const rateChart = requestRateChart(r.many);
  if (rateChart) fs.writeFileSync(path.join(dir, "many-jobs-rate.svg"), rateChart);

  const L: string[] = [];
  const p = (line = "") => L.push(line);
  p("# Benchmarks");
  p();
  p(
    `Produced by \`npm run bench\` (bench/run.ts) on ${r.startedAt.slice(0, 10)} at commit ${r.machine.commit}: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memGB} GB, Node ${r.machine.node}.`,
  );
  p(
    `The whole run took **${(r.runtimeS / 60).toFixed(1)} minutes**, in real time (no scaled clock): the 600 s job runs in the`,
  );
  p(
    "background from the start while everything else runs. Raw numbers: `bench/results.json`. Everything runs against the",
  );
  p(
    "emulator with timed import jobs, through the real AWS SDK over HTTP; scenarios 2–4 through the real Pulumi CLI and engine.",
  );
  p(
    "Read ratios between columns of one table, measured side by side in this one run; absolute times are context.",
  );
  p(
    "`npm run bench -- --quick` is a one-minute smoke run of the harness (results in bench/.tmp/).",
  );
  if (r.quick) p("\n> **Quick run** (`--quick`): a smoke test of the harness, not the benchmark.");
  p();

  p("## What is measured");
  p();
  p(
    "The provider under test (provider/statusScheduler.ts, requestBudget.ts, wait.ts): every dynamic resource of a stack runs",
  );
  p(
    "in one provider process, which now (a) keeps all its Panorama requests within a budget, at most 4 in any second and one",
  );
  p(
    "create per 1.25 s per create operation (80% of the service's 5/s and 1/s), status polls yielding to the calls that start",
  );
  p(
    "and finish resources; (b) checks many pending jobs with one `ListPackageImportJobs` page (25 jobs, newest first) and",
  );
  p(
    "describes a job once, when the page shows it finished; package ARN and owner are read once per package; (c) checks a",
  );
  p(
    "lone job on its own, every 0.5 s for 2 s and then after 24% of the time waited (×1.24 per check, at most 60 s apart).",
  );
  p();
  // ---- headline
  p("## Headline");
  p();
  const head = headline(r, provider, durations, pick);
  for (const h of head) p(`- ${h}`);
  p();

  // ---- scenario 1
  p("## 1. One job: detection lag and calls against job duration");
  p();
  p(
    "Each job's duration is D ± 10% (uniform), started at a random offset, so no poll grid lines up with it. Lag is the",
  );
  p(
    "time from the job's `SUCCEEDED` (its `LastUpdatedTime`, which the emulator stamps with the due time) until the",
  );
  p(
    "strategy returned; for the provider that includes reading the package details. Calls are every Panorama request",
  );
  p(
    `for the job, Create included. ${RUNS(r)} runs per cell; worst case over the runs, median in brackets. The targets`,
  );
  p(
    "columns show the bounds at the nominal D; the *Targets* section judges every run against its actual duration.",
  );
  p();
  p(
    "Strategies: **this provider** (`create()` of the PackageImportJob provider, one process per job as in a stack of one);",
  );
  p(
    "**provider before** (the wait this change replaced, replayed with its constants: a Describe right after Create, checks",
  );
  p(
    "after 0.5 s growing ×1.2 with up to 20% random shortening, 60 s cap, DescribePackageVersion); **fixed 30 s** (panorama-cli's",
  );
  p(
    "`time.sleep(30)` loop); **fixed 5 s** (a CloudFormation-style stabilisation loop). The fixed pollers check once right after Create.",
  );
  p();
  p(
    `| D | ${strategies.map((x) => `${x}: lag s`).join(" | ")} | lag target | ${strategies.map((x) => `${x}: calls`).join(" | ")} | calls target |`,
  );
  p(
    `|---|${strategies.map(() => "---:").join("|")}|---:|${strategies.map(() => "---:").join("|")}|---:|`,
  );
  for (const d of durations) {
    const lag = strategies.map((st) => {
      const v = pick(st, d).map((x) => x.lagMs / 1000);
      return `${s(max(v), 2)} (${s(median(v), 2)})`;
    });
    const calls = strategies.map((st) => {
      const v = pick(st, d).map((x) => x.calls.total);
      return `${max(v)} (${median(v)})`;
    });
    p(
      `| ${d} s | ${lag.join(" | ")} | ${s(lagTarget(d), 2)} | ${calls.join(" | ")} | ${s(callTarget(d))} |`,
    );
  }
  p();
  p("Ratios to this provider (medians; > 1 means the other strategy is worse):");
  p();
  p(
    `| D | ${strategies
      .slice(1)
      .map((x) => `${x}: lag ×`)
      .join(" | ")} | ${strategies
      .slice(1)
      .map((x) => `${x}: calls ×`)
      .join(" | ")} |`,
  );
  p(
    `|---|${strategies
      .slice(1)
      .map(() => "---:")
      .join("|")}|${strategies
      .slice(1)
      .map(() => "---:")
      .join("|")}|`,
  );
  for (const d of durations) {
    const base = pick(provider, d);
    const bl = median(base.map((x) => x.lagMs));
    const bc = median(base.map((x) => x.calls.total));
    const lr = strategies.slice(1).map((st) => s(median(pick(st, d).map((x) => x.lagMs)) / bl, 1));
    const cr = strategies
      .slice(1)
      .map((st) => s(median(pick(st, d).map((x) => x.calls.total)) / bc, 2));
    p(`| ${d} s | ${lr.join(" | ")} | ${cr.join(" | ")} |`);
  }
  p();
  p("![Worst detection lag against job duration](single-job-lag.svg)");
  p();
  p("![Worst Panorama calls per job against job duration](single-job-calls.svg)");
  p();
  const errors = r.single.filter((x) => x.error);
  if (errors.length)
    p(
      `Errors in scenario 1: ${errors.map((e) => `${e.label} D=${e.durationS}: ${e.error}`).join("; ")}`,
    );

  // ---- scenario 2
  const many = r.many.filter((x) => x.spec);
  p("## 2. Many jobs in one `pulumi up`");
  p();
  p(
    "An inline program with N PackageImportJob resources (N/10 packages, ten versions each), `pulumi up` through the real",
  );
  p(
    "engine. Every case has an emulator process of its own enforcing the service's documented rates (5 requests/s per",
  );
  p(
    "account and 1 request/s for each create/modify operation, 429 `ThrottlingException` beyond) unless the case says",
  );
  p(
    "otherwise. Three cases run at a time on this 2-core machine, next to scenario 1's long jobs, so overheads include CPU",
  );
  p(
    "contention. *Busiest 5 s* is the most requests the emulator accepted in any five-second window, per second; *max in",
  );
  p(
    "1 s* the most in any one-second window. Both are arrival times at the emulator: the provider lets at most 4 requests",
  );
  p(
    "leave in any second (tests/provider/requestBudget.test.ts), but a loaded machine delays some more than others and",
  );
  p(
    "bunches them; the service's bucket holds 5, so bunching is what it is built to absorb. Throttling is the verdict.",
  );
  p(
    "*Floor* is the least wall time the quotas allow: the last of N creates cannot start before (N − 1) / rate, plus D",
  );
  p(
    "(with default parallelism: ⌈N / 8⌉ waves of D). *Calls/job* counts every Panorama request, Create included.",
  );
  p();
  p(
    "| case | wall s | wall − D s | per resource ms | floor s | wall − floor s | calls (per job) | by operation | throttled | busiest 5 s, req/s | max in 1 s | provider peak RSS MB | provider CPU s | failed |",
  );
  p("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|");
  for (const m of many) {
    const f = floor(m.spec);
    const ops = Object.entries(m.panoramaCalls ?? {})
      .map(([k, v]) => `${abbrev(k)} ${v}`)
      .join(", ");
    p(
      `| ${m.label}${m.commit ? ` (${m.commit})` : ""} | ${s(m.wallS)} | ${s(m.wallS - m.spec.durationS)} | ${s(((m.wallS - m.spec.durationS) / jobsIn(m.spec)) * 1000, 0)} | ${s(f)} | ${s(m.wallS - f)} | ${m.panoramaTotal} (${s(m.panoramaTotal / jobsIn(m.spec), 2)}) | ${ops} | ${m.throttled} | ${s(busiest(m, 5), 1)} | ${m.peakPerSecond} | ${s(m.providerPeakRssMB ?? NaN, 0)} | ${s(m.providerCpuS ?? NaN)} | ${m.failed}${m.error ? " (error)" : ""} |`,
    );
  }
  p();
  p(
    "Operations: C = CreatePackageImportJob, D = DescribePackageImportJob, L = ListPackageImportJobs, V = DescribePackageVersion.",
  );
  p(
    "A commit after a case's name: the row was measured later, on that commit (`npm run bench -- --rows shared-account`); the other rows come from the full run.",
  );
  p();
  if (rateChart) {
    p(
      "![Accepted Panorama requests per second during N = 100, --parallel 100](many-jobs-rate.svg)",
    );
    p();
  }
  for (const m of many.filter((x) => x.error))
    p(
      `- ${m.label}: \`${m.error!.split("\n").filter(Boolean).slice(-3).join(" / ").slice(0, 400)}\``,
    );
  p();
  sideBySide(many, p);

  // ---- scenario 3
  const steady = many.find((m) => m.steady);
  p("## 3. Steady state on N = 100");
  p();
  if (steady?.steady) {
    p("After the `N=100 --parallel 100` up above, on the same stack and emulator:");
    p();
    p("| command | wall s | Panorama calls | changes |");
    p("|---|---:|---:|---|");
    for (const x of steady.steady)
      p(`| \`${x.command}\` | ${s(x.wallS)} | ${x.calls} | ${JSON.stringify(x.summary)} |`);
    p();
  } else p("(not measured in this run)\n");

  // ---- scenario 4
  p("## 4. State cost");
  p();
  if (steady?.state) {
    const st = steady.state;
    const perResource = st.providerInputBytes + st.providerOutputBytes;
    p(
      `- Serialized provider (\`__provider\`): **${st.providerInputBytes} bytes**, stored twice per resource (inputs and outputs): **${perResource} bytes of provider text per resource** (target ≤ 8 KB: ${ok(perResource <= 8192)}).`,
    );
    p(
      `- Whole resource in the exported state: median ${median(st.resourceBytes)} bytes (max ${max(st.resourceBytes)}); checkpoint of the 100-job stack ${st.checkpointBytes} bytes.`,
    );
    p(
      "- What the provider text is: a shim with one small function per provider method, each of which `require`s the",
    );
    p(
      "  implementation by package name (`pulumi-panorama/dist/provider/…`) at call time. No SDK, no data, no credentials are",
    );
    p("  captured; refresh and destroy run the installed implementation. The first lines:");
    p();
    p("```js");
    p(st.providerText.split("\n").slice(0, 14).join("\n"));
    p("```");
  } else p("(not measured in this run)");
  p();

  // ---- scenario 5
  sharedAccount(r, p);
  for (const line of persistenceSection()) p(line);
  for (const line of fleetSection()) p(line);

  // ---- targets
  p("## Targets");
  p();
  for (const t of targets(r, provider, durations, pick)) p(`- ${t}`);
  p();
  p("## What to set");
  p();
  p(recommendation(many));
  p();
  fs.writeFileSync(path.join(dir, "RESULTS.md"), L.join("\n"));
}

const RUNS = (r: BenchResults) => Math.max(...r.single.map((x) => x.run)) + 1;

/** With and without list pages, and without the request budget, on the same N = 100 stack. */
function sideBySide(many: ManyJobsResult[], p: (line?: string) => void): void {
  const get = (re: RegExp) => many.find((m) => re.test(m.label));
  const lists = get(/^N=100 --parallel 100$/);
  const noLists = get(/no list pages/);
  const noBudget = get(/no request budget/);
  if (!lists || !noLists) return;
  const use = (m: ManyJobsResult) => m.panoramaTotal / (4 * m.wallS);
  const polls = (m: ManyJobsResult) =>
    (m.panoramaCalls.DescribePackageImportJob ?? 0) + (m.panoramaCalls.ListPackageImportJobs ?? 0);
  p(
    "### Side by side: list pages and the request budget (N = 100, --parallel 100, service limits)",
  );
  p();
  p("| | wall s | calls | status checks | share of the 4 req/s budget used | throttled | failed |");
  p("|---|---:|---:|---:|---:|---:|---:|");
  for (const [name, m] of [
    ["with list pages (default)", lists],
    ["one Describe per check", noLists],
    ["no request budget", noBudget],
  ] as const)
    if (m)
      p(
        `| ${name} | ${s(m.wallS)} | ${m.panoramaTotal} | ${polls(m)} | ${m === noBudget ? "–" : `${s(use(m) * 100, 0)}%`} | ${m.throttled} | ${m.failed} |`,
      );
  p();
  p(
    `Creates decide the wall time here (one per 1.25 s), so both waits finish together. Checking each job on its own spends ` +
      `${s(polls(noLists) / polls(lists), 1)}× the status checks, and would spend more: it ran at the budget's ceiling, so the ` +
      `budget stretched the checks instead of letting them be throttled (the chart's flat line at 4/s), and other resources of the ` +
      `stack would have queued behind them. With list pages the provider used ${s(use(lists) * 100, 0)}% of its budget. ` +
      (noBudget
        ? `Without the budget, the ${noBudget.spec.n} simultaneous creates met the service's 1/s create limit: ${noBudget.throttled} requests were throttled, ` +
          `the SDK's retries ran out and ${noBudget.failed} resources failed.`
        : ""),
  );
  p();
}

/** Scenario 5's rows: stacks sharing an account, one process at the quota, and the plugin door's rows. */
const inScenario5 = (m: ManyJobsResult) =>
  !!m.spec &&
  ((m.spec.processes ?? 1) > 1 ||
    m.spec.door === "plugin" ||
    /creates at the quota$/.test(m.label));

/** The one-process rows of 100 imports at the service's rates, by door. */
const isOneProcess = (m: ManyJobsResult) =>
  (m.spec.processes ?? 1) === 1 && !m.spec.providers && m.spec.n === 100;

/** Scenario 5: stacks deploying at once into one account, one process at the same rates, both doors. */
function sharedAccount(r: BenchResults, p: (line?: string) => void): void {
  const rows = r.many.filter(inScenario5);
  p("## 5. Many stacks, one account");
  p();
  if (!rows.length) return p("(not measured in this run)\n");
  p(
    "Three stacks of 40 one-minute imports, each `pulumi up --parallel 40` in a process of its own, started together against",
  );
  p(
    "one emulator enforcing the service's rates (one account); one process with 100 imports at the same rates; and one stack",
  );
  p(
    "of 100 imports dealt out to two explicit providers of the same account (`new panorama.Provider(…)`: a plugin process each).",
  );
  p(
    "Each case through the dynamic door and through the provider plugin (`panorama:index:PackageImportJob`), one after the other.",
  );
  p(
    "The provider processes of one account, region and endpoint share its quotas through time slots in a directory",
  );
  p(
    "(provider/calls/quotaSlots.ts): each create takes the next free slot of its operation's quota (1031 ms) and leaves at",
  );
  p(
    "least a second after the answer to the create before it, every other request takes a place in the account's slots;",
  );
  p("first come, first served across the processes. *Floor*: all creates share the account's 1");
  p("request/s quota, so the last of M creates cannot start before (M − 1) s, plus D.");
  p();
  p(
    "*Wall* ends at the engine's summary of the last `pulumi up` (the Automation API's own `stack output` and `stack history`",
  );
  p(
    "afterwards are not counted: no `pulumi up` a user types waits for them). *First create* is when the first",
  );
  p(
    "CreatePackageImportJob reached the emulator after `pulumi up` started: engine, program and plugin start-up, which the",
  );
  p(
    "quota does not cause; *creates took* is the span from the first create to the last (at best M − 1 seconds); *after the",
  );
  p(
    "last job* is the wall time left after the last job's D: seeing it finished, reading its package, the engine's end. The",
  );
  p("three and D add up to the wall time; the floor counts only the creates' span and D.");
  p();
  p(
    "| case | wall s | floor s | wall / floor | first create s | creates took s | after the last job s | slowest stack s | fastest stack s | slowest stack / floor | calls | CreatePackageImportJob calls | throttled | failed |",
  );
  p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const m of rows) {
    const walls = m.perProcessWallS ?? [m.wallS];
    const creates = (m.timeline ?? [])
      .filter(([, op]) => op === "CreatePackageImportJob")
      .map(([t]) => t);
    p(
      `| ${m.label}${m.commit ? ` (${m.commit})` : ""} | ${s(m.wallS)} | ${s(floor(m.spec))} | ${s(m.wallS / floor(m.spec), 2)} | ${s(creates[0])} | ${s(max(creates) - creates[0])} | ${s(m.wallS - max(creates) - m.spec.durationS)} | ${s(max(walls))} | ${s(Math.min(...walls))} | ${s(max(walls) / floor(m.spec), 2)} | ${m.panoramaTotal} | ${m.panoramaCalls.CreatePackageImportJob ?? 0} | ${m.throttled} | ${m.failed}${m.error ? " (error)" : ""} |`,
    );
  }
  p();
  for (const m of rows.filter((x) => x.error))
    p(
      `- ${m.label}: \`${m.error!.split("\n").filter(Boolean).slice(-3).join(" / ").slice(0, 400)}\``,
    );
  const load = rows.find((m) => m.loadAverage)?.loadAverage;
  if (load)
    p(
      `Load average of the machine while these rows ran (1 min, at each row's end): ${rows.map((m) => s(m.loadAverage ?? NaN, 1)).join(", ")}; other work shared its 2 cores.`,
    );
  p();
}

function sharedAccountTargets(r: BenchResults): string[] {
  const out: string[] = [];
  const door = (m: ManyJobsResult) => (m.spec.door === "plugin" ? "plugin" : "dynamic resources");
  for (const m of r.many.filter(inScenario5)) {
    const f = floor(m.spec);
    const ratio = m.wallS / f;
    const clean = `${m.throttled} throttled, ${m.failed} failed`;
    // Start-up grows with the machine's load; the quota does not cause it.
    const first = (m.timeline ?? []).find(([, op]) => op === "CreatePackageImportJob")?.[0] ?? 0;
    const afterStart = `${s((m.wallS - first) / f, 2)}× counted from the first create, ${s(first, 1)} s after \`pulumi up\` started`;
    if ((m.spec.processes ?? 1) > 1) {
      const slowest = max(m.perProcessWallS ?? [m.wallS]);
      out.push(
        `5. ${m.spec.processes} stacks × ${m.spec.n} imports in one account (${door(m)}): wall ${s(m.wallS)} s within 1.10 × the ${s(f, 0)} s floor: ${ok(ratio <= 1.1)} (${s(ratio, 2)}×; ${afterStart}); ` +
          `every stack within 1.15 ×: ${ok(slowest <= 1.15 * f)} (slowest ${s(slowest)} s, ${s(slowest / f, 2)}×); 0 failed: ${ok(m.failed === 0 && !m.error)} (${clean}).`,
      );
    } else if (m.spec.providers)
      out.push(
        `5. ${m.spec.providers} explicit providers of one account in one stack, ${m.spec.n / m.spec.providers} imports each: 0 throttled: ${ok(m.throttled === 0)} (${clean}); wall ${s(m.wallS)} s, ${s(ratio, 2)}× the ${s(f, 0)} s floor.`,
      );
    else if (isOneProcess(m))
      out.push(
        `5. One process, ${m.spec.n} imports (${door(m)}): wall ${s(m.wallS)} s within 1.05 × the ${s(f, 0)} s floor: ${ok(ratio <= 1.05)} (${s(ratio, 2)}×; ${afterStart}), ${clean}.`,
      );
  }
  // The plugin door against the dynamic one, case by case.
  const rows = r.many.filter(inScenario5);
  for (const plugin of rows.filter((m) => m.spec.door === "plugin" && !m.spec.providers)) {
    const dynamic = rows.find(
      (m) =>
        m.spec.door !== "plugin" &&
        m.spec.n === plugin.spec.n &&
        (m.spec.processes ?? 1) === (plugin.spec.processes ?? 1),
    );
    if (dynamic)
      out.push(
        `5. The plugin no slower than the dynamic door (${plugin.label.replace(/, plugin$/, "")}): ${ok(plugin.wallS <= dynamic.wallS * 1.02)} (${s(plugin.wallS)} s vs ${s(dynamic.wallS)} s).`,
      );
  }
  return out;
}

/** The most requests accepted in any window of `seconds`, per second. */
function busiest(m: ManyJobsResult, seconds: number): number {
  const t = (m.timeline ?? []).map(([x]) => x).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= seconds) j++;
    most = Math.max(most, i - j + 1);
  }
  return most / seconds;
}

function abbrev(op: string): string {
  return (
    (
      {
        CreatePackageImportJob: "C",
        DescribePackageImportJob: "D",
        ListPackageImportJobs: "L",
        DescribePackageVersion: "V",
      } as Record<string, string>
    )[op] ?? op
  );
}

/** Import jobs in the whole case: N per stack, times the stacks sharing the account. */
const jobsIn = (spec: ManyJobsResult["spec"]) => spec.n * (spec.processes ?? 1);

/** The least wall time the service's quotas and the engine's parallelism allow (all stacks' creates share the account's quota). */
function floor(spec: ManyJobsResult["spec"]): number {
  const parallel = spec.parallel ?? 8;
  if (parallel < spec.n) return Math.ceil(spec.n / parallel) * spec.durationS;
  const createRate = spec.limits === "service" ? 1 : 5;
  return (jobsIn(spec) - 1) / createRate + spec.durationS;
}

function headline(
  r: BenchResults,
  provider: string,
  durations: number[],
  pick: (l: string, d: number) => SingleJobResult[],
): string[] {
  const out: string[] = [];
  const d600 = durations[durations.length - 1];
  const prov = pick(provider, d600);
  const five = r.single.filter(
    (x) => x.durationS === d600 && /^fixed 5 s/.test(x.label) && !x.error,
  );
  const thirty = r.single.filter(
    (x) => x.durationS === d600 && /^fixed 30 s/.test(x.label) && !x.error,
  );
  if (prov.length && five.length)
    out.push(
      `One ${d600} s import: **${median(prov.map((x) => x.calls.total))} Panorama calls** (worst ${max(prov.map((x) => x.calls.total))}) vs ${median(five.map((x) => x.calls.total))} for 5 s polling, detected within **${s(max(prov.map((x) => x.lagMs / 1000)), 1)} s** (5 s polling: ${s(max(five.map((x) => x.lagMs / 1000)), 1)} s, 30 s polling: ${s(max(thirty.map((x) => x.lagMs / 1000)), 1)} s).`,
    );
  const short = pick(provider, durations[0]);
  if (short.length)
    out.push(
      `A ${durations[0]} s import is seen finished within ${s(max(short.map((x) => x.lagMs / 1000)), 2)} s (30 s polling: up to 30 s).`,
    );
  const n100 = r.many.find((m) => m.label === "N=100 --parallel 100");
  const noList = r.many.find((m) => /no list pages/.test(m.label));
  if (n100 && noList)
    out.push(
      `100 one-minute imports in one \`pulumi up --parallel 100\` under the service's rate limits: **${s(n100.wallS, 0)} s**, ${n100.panoramaTotal} Panorama calls (${s(n100.panoramaTotal / 100, 1)} per job; without list pages ${noList.panoramaTotal}), **${n100.throttled} throttled, ${n100.failed} failed**; the floor set by the 1 request/s create quota is ${s(floor(n100.spec), 0)} s.`,
    );
  const noBudget = r.many.find((m) => /no request budget/.test(m.label));
  if (noBudget)
    out.push(
      `Without the request budget the same stack gets ${noBudget.throttled} throttled requests and ${noBudget.failed} failed resources in ${s(noBudget.wallS, 0)} s.`,
    );
  const n300 = r.many.find((m) => m.spec?.n === 300);
  if (n300)
    out.push(
      `300 imports, --parallel 300: ${s(n300.wallS, 0)} s (floor ${s(floor(n300.spec), 0)} s), ${n300.panoramaTotal} calls, ${n300.throttled} throttled, ${n300.failed} failed, provider peak RSS ${s(n300.providerPeakRssMB ?? NaN, 0)} MB.`,
    );
  return out;
}

function targets(
  r: BenchResults,
  provider: string,
  durations: number[],
  pick: (l: string, d: number) => SingleJobResult[],
): string[] {
  const out: string[] = [];
  for (const d of durations) {
    const v = pick(provider, d);
    // Each run against its own job's actual duration (D ± 10%).
    const lagOver = max(v.map((x) => x.lagMs / 1000 - lagTarget(x.actualS)));
    const lagRatio = max(v.map((x) => x.lagMs / 1000 / lagTarget(x.actualS)));
    const callsOver = max(v.map((x) => x.calls.total - callTarget(x.actualS)));
    const calls = max(v.map((x) => x.calls.total));
    out.push(
      `1. D = ${d} s (${v.length} runs): worst lag ${s(max(v.map((x) => x.lagMs / 1000)), 2)} s, at most ${s(lagRatio * 100, 0)}% of max(0.5 s, 25% of the job's duration): ${ok(lagOver <= 0)}` +
        (lagOver > 0 ? ` (by ${s(lagOver * 1000, 0)} ms)` : "") +
        `; worst calls ${calls}, bound 4 + log₁.₂₅(duration / 0.5 s) ≈ ${s(callTarget(d))}: ${ok(callsOver <= 0)}` +
        (callsOver > 0 ? ` (by ${s(callsOver)})` : ""),
    );
  }
  // Stacks sharing an account are throttled by each other by design; scenario 5 has their targets.
  const budgeted = r.many.filter(
    (m) => m.spec && !/no request budget/.test(m.label) && !((m.spec.processes ?? 1) > 1),
  );
  const failed = budgeted.reduce((a, m) => a + (m.failed ?? 0), 0);
  out.push(
    `2. Zero failed resources (every case with the budget): ${ok(failed === 0)} (${failed} failed).`,
  );
  const throttled = budgeted.reduce((a, m) => a + (m.throttled ?? 0), 0);
  const peak = Math.max(...budgeted.map((m) => m.peakPerSecond ?? 0));
  const peak5 = Math.max(...budgeted.map((m) => busiest(m, 5)));
  out.push(
    `2. Request rate under the limit (with the budget): ${ok(throttled === 0 && peak5 <= 5)}: ${throttled} throttled requests in all ${budgeted.length} cases; ` +
      `at most ${s(peak5, 1)} requests/s in any five seconds (${peak} arrived within one second at most, bunched by the loaded machine; the provider sends at most 4 in any second).`,
  );
  const n100 = r.many.find((m) => m.label === "N=100 --parallel 100");
  if (n100) {
    const target = 1.25 * n100.spec.durationS + 10;
    out.push(
      `2. N = 100, --parallel 100 within 1.25 × D + 10 s = ${target} s: ${ok(n100.wallS <= target)} (${s(n100.wallS)} s). ` +
        `Under the documented 1 request/s create quota no client can: the 100th create cannot start before 99 s, so the floor is ${s(floor(n100.spec), 0)} s; ` +
        `this run is ${s(n100.wallS - floor(n100.spec))} s above it.`,
    );
    const relaxed = r.many.find((m) => /not limited per operation/.test(m.label));
    if (relaxed)
      out.push(
        `2. The same stack when creates are limited only by the account's 5/s (emulator \`createPerSecond: 5\`, \`PULUMI_PANORAMA_MAX_CREATE_RPS=4\`): ${s(relaxed.wallS)} s vs the ${target} s target: ${ok(relaxed.wallS <= target)}; floor at our 4 requests/s budget ${s(99 / 4 + 60)} s.`,
      );
  }
  out.push(...sharedAccountTargets(r));
  const steady = r.many.find((m) => m.steady);
  if (steady?.steady) {
    const [preview, up, refresh] = steady.steady;
    out.push(
      `3. \`pulumi preview\` and a no-change \`pulumi up\` make zero Panorama calls: ${ok(preview.calls === 0 && up.calls === 0)} (${preview.calls}, ${up.calls}); \`pulumi refresh\` at most N = 100: ${ok(refresh.calls <= 100)} (${refresh.calls}).`,
    );
  }
  if (steady?.state) {
    const per = steady.state.providerInputBytes + steady.state.providerOutputBytes;
    out.push(`4. ≤ 8 KB of provider text per resource: ${ok(per <= 8192)} (${per} bytes).`);
  }
  return out;
}

function recommendation(many: ManyJobsResult[]): string {
  const get = (re: RegExp) => many.find((m) => re.test(m.label));
  const d10 = get(/^N=10 default/);
  const p10 = get(/^N=10 --parallel 10$/);
  const d100 = get(/^N=100 default parallelism/);
  const waves = (m: ManyJobsResult) => Math.ceil(m.spec.n / 8);
  const lines = [
    "Run `pulumi up --parallel N` with N at least the number of import jobs in the stack (or set `PULUMI_PARALLEL`).",
    "Pulumi's default is 4 × CPU cores (8 here): import jobs then run in waves of 8, each as long as a job.",
  ];
  if (d10 && p10)
    lines.push(
      `Measured: 10 one-minute jobs took ${s(d10.wallS, 0)} s with the default and ${s(p10.wallS, 0)} s with \`--parallel 10\`.`,
    );
  if (d100)
    lines.push(
      `100 jobs of ${d100.spec.durationS} s with the default took ${s(d100.wallS, 0)} s (⌈100 / 8⌉ = ${waves(d100)} waves); with one-minute jobs that is about ${waves(d100)} minutes, against ${s(get(/^N=100 --parallel 100$/)?.wallS ?? NaN, 0)} s with \`--parallel 100\`.`,
    );
  lines.push(
    "High parallelism is safe: the provider process paces all of its Panorama requests under the account's quotas and shares",
    "status checks between jobs, so more parallel jobs cost fewer calls per job, not throttling. Lower `PULUMI_PANORAMA_MAX_RPS`",
    "when other tools use the same account and region at the same time.",
  );
  return lines.join("\n");
}

function singleChart(
  r: BenchResults,
  strategies: string[],
  durations: number[],
  what: "lag" | "calls",
): string {
  const series: Series[] = strategies.map((label, i) => ({
    name: label.split(" (")[0],
    color: COLORS[i],
    markers: true,
    points: durations.map((d) => {
      const v = r.single.filter((x) => x.label === label && x.durationS === d && !x.error);
      return [
        d,
        what === "lag"
          ? Math.max(0.01, max(v.map((x) => x.lagMs / 1000)))
          : max(v.map((x) => x.calls.total)),
      ] as [number, number];
    }),
  }));
  const grid = Array.from({ length: 60 }, (_, i) => 0.5 * Math.pow(1000 / 0.5, i / 59));
  series.push({
    name: what === "lag" ? "target: max(0.5 s, 25% D)" : "target: 4 + log1.25(D / 0.5 s)",
    color: "#555",
    dash: "6 4",
    points: grid.map((d) => [d, what === "lag" ? lagTarget(d) : callTarget(d)] as [number, number]),
  });
  return lineChart({
    title:
      what === "lag" ? "Worst detection lag, one job" : "Worst Panorama calls per job, one job",
    xLabel: "job duration D (s, log)",
    yLabel: what === "lag" ? "job finished → create returned (s, log)" : "calls per job (log)",
    xLog: true,
    yLog: true,
    xRange: [0.5, 1000],
    yRange: what === "lag" ? [0.01, 100] : [1, 200],
    xTicks: [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    yTicks:
      what === "lag" ? [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100] : [1, 2, 5, 10, 20, 50, 100, 200],
    series,
  });
}

function requestRateChart(many: ManyJobsResult[]): string | undefined {
  const cases = many.filter(
    (m) => m.spec?.n === 100 && m.spec.parallel === 100 && m.timeline?.length,
  );
  if (!cases.length) return undefined;
  const bin = 5;
  const end = Math.max(...cases.map((m) => m.wallS));
  const series: Series[] = cases.map((m, i) => {
    const counts = new Array(Math.ceil(end / bin) + 1).fill(0);
    for (const [t] of m.timeline) counts[Math.floor(t / bin)]++;
    const name =
      m.label
        .replace("N=100 --parallel 100", "")
        .replace(/^, /, "")
        .replace("creates not limited per operation", "no 1/s create limit") || "with list pages";
    return {
      name,
      color: COLORS[i],
      points: counts.map((c, k) => [k * bin + bin / 2, c / bin] as [number, number]),
    };
  });
  series.push({
    name: "service limit, 5/s",
    color: "#555",
    dash: "6 4",
    points: [
      [0, 5],
      [end, 5],
    ],
  });
  return lineChart({
    title: "Accepted Panorama requests/s, N = 100, --parallel 100 (5 s bins)",
    xLabel: "seconds since pulumi up started",
    yLabel: "requests per second",
    xRange: [0, Math.ceil(end / 30) * 30],
    yRange: [0, 6],
    xTicks: Array.from({ length: Math.ceil(end / 30) + 1 }, (_, i) => i * 30),
    yTicks: [0, 1, 2, 3, 4, 5, 6],
    series,
    width: 900,
  });
}

if (require.main === module) {
  const file = process.argv[2] ?? path.join(REPO_ROOT, "bench", "results.json");
  writeReport(JSON.parse(fs.readFileSync(file, "utf8")), path.dirname(path.resolve(file)));
  console.log(`wrote ${path.join(path.dirname(file), "RESULTS.md")}`);
}
