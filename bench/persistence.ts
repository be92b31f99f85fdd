// The cost of durable persistence: CreatePackage (and a 64 KiB S3 PutObject) requests per second
// through real SDK clients, in memory and with a state file (every change fsynced before its
// reply; concurrent changes share one save). Runs on its own, not in `npm run bench`:
//   node -r ts-node/register/transpile-only bench/persistence.ts   (writes bench/persistence-results.json)
// bench/report.ts renders the saved numbers as a section of RESULTS.md.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreatePackageCommand, PanoramaClient } from "@aws-sdk/client-panorama";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startEmulator } from "../emulator";
import { median, REPO_ROOT } from "./common";

export interface PersistenceRow {
  operation: "CreatePackage" | "PutObject 64 KiB";
  concurrency: number;
  requests: number;
  memoryRps: number;
  stateFileRps: number;
  /** Median latency of one request, milliseconds. */
  memoryP50Ms: number;
  stateFileP50Ms: number;
}

export interface PersistenceResults {
  date: string;
  machine: string;
  rows: PersistenceRow[];
}

export const RESULTS_FILE = path.join(REPO_ROOT, "bench", "persistence-results.json");
const REQUESTS = 400;
const BODY = Buffer.alloc(64 * 1024, "x");

async function measure(
  operation: PersistenceRow["operation"],
  concurrency: number,
  stateFile?: string,
): Promise<{ rps: number; p50: number }> {
  const emu = await startEmulator({ port: 0, stateFile, quotas: { packages: REQUESTS + 10 } });
  const config = {
    endpoint: emu.url,
    region: emu.region,
    credentials: emu.credentials,
    maxAttempts: 1,
  };
  const panorama = new PanoramaClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const latencies: number[] = [];
  let next = 0;
  const one = async (i: number) => {
    const t = performance.now();
    if (operation === "CreatePackage")
      await panorama.send(new CreatePackageCommand({ PackageName: `bench_${i}` }));
    // Distinct bodies, so each one is a new file.
    else
      await s3.send(
        new PutObjectCommand({
          Bucket: emu.storageBucket,
          Key: `k${i}`,
          Body: Buffer.concat([Buffer.from(String(i)), BODY]),
        }),
      );
    latencies.push(performance.now() - t);
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < REQUESTS) await one(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  panorama.destroy();
  s3.destroy();
  await emu.stop();
  return { rps: REQUESTS / seconds, p50: median(latencies) };
}

async function main(): Promise<void> {
  const rows: PersistenceRow[] = [];
  for (const operation of ["CreatePackage", "PutObject 64 KiB"] as const)
    for (const concurrency of [1, 16]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "panorama-bench-"));
      try {
        const memory = await measure(operation, concurrency);
        const file = await measure(operation, concurrency, path.join(dir, "state.json"));
        rows.push({
          operation,
          concurrency,
          requests: REQUESTS,
          memoryRps: Math.round(memory.rps),
          stateFileRps: Math.round(file.rps),
          memoryP50Ms: Math.round(memory.p50 * 10) / 10,
          stateFileP50Ms: Math.round(file.p50 * 10) / 10,
        });
        console.log(JSON.stringify(rows[rows.length - 1]));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  const results: PersistenceResults = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores (shared; load average ${os.loadavg()[0].toFixed(1)} at the end), ${os.platform()}`,
    rows,
  };
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 1) + "\n");
  console.log(`wrote ${RESULTS_FILE}`);
}

/** The RESULTS.md section, from the saved numbers (empty when none were measured). */
export function persistenceSection(): string[] {
  if (!fs.existsSync(RESULTS_FILE)) return [];
  const r: PersistenceResults = JSON.parse(fs.readFileSync(RESULTS_FILE, "utf8"));
  return [
    "## 6. Emulator persistence cost",
    "",
    `Requests per second through the real SDK against one emulator, in memory and with \`stateFile\` (each change written, fsynced and renamed before its reply; concurrent changes share one save). ${r.rows[0]?.requests} requests per row; measured ${r.date.slice(0, 10)} on ${r.machine} by \`bench/persistence.ts\`, separately from the other sections.`,
    "",
    "| operation | concurrency | in memory (req/s) | state file (req/s) | p50 in memory (ms) | p50 state file (ms) |",
    "|---|---:|---:|---:|---:|---:|",
    ...r.rows.map(
      (x) =>
        `| ${x.operation} | ${x.concurrency} | ${x.memoryRps} | ${x.stateFileRps} | ${x.memoryP50Ms} | ${x.stateFileP50Ms} |`,
    ),
    "",
  ];
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
