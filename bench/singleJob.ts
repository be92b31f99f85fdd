// One child process of scenario 1: starts import jobs against an emulator with one strategy and
// reports, per job, when it finished (the job's LastUpdatedTime, stamped by the emulator at its due
// time), when the strategy noticed, and the Panorama calls it spent.
//
// Strategies:
//   provider   this package's PackageImportJob provider (create(): create, wait, package details),
//              one job per process, so its process-wide scheduler sees a lone job as in a real stack
//   previous   the provider as it was before the scheduler (replayed here with its constants):
//              Create, Describe at once, then checks after 0.5 s growing ×1.2 per check with up to
//              20% random shortening, capped at 60 s, then DescribePackageVersion
//   fixed      Create, Describe at once, then one Describe every `intervalS` seconds
//              (panorama-cli: 30 s; CloudFormation's stabilisation loop: 5 s)
//
// Protocol: prints READY once loaded, starts its jobs on a GO line on stdin (so process start-up
// never competes with a measurement), prints one RESULT line per job, then exits.
import * as readline from "readline";
import {
  CreatePackageImportJobCommand,
  DescribePackageImportJobCommand,
  DescribePackageVersionCommand,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import * as path from "path";
import {
  CallCounts,
  countCalls,
  emitResult,
  MANIFEST_BUCKET,
  REGION,
  REPO_ROOT,
  sleep,
} from "./common";

export interface SingleJobRun {
  run: number;
  packageName: string;
  objectKey: string;
  clientToken: string;
  /** Start this long after GO, to keep runs off a common grid. */
  startDelayMs: number;
}

export interface SingleJobSpec {
  strategy: "provider" | "previous" | "fixed";
  intervalS?: number;
  label: string;
  durationS: number;
  env: Record<string, string>;
  runs: SingleJobRun[];
}

export interface SingleJobResult {
  label: string;
  strategy: string;
  durationS: number;
  run: number;
  jobId: string;
  /** The job's real duration (emulator: due time − creation). */
  actualS: number;
  /** Job finished → the strategy returned. */
  lagMs: number;
  calls: CallCounts;
  error?: string;
}

const spec: SingleJobSpec = JSON.parse(process.argv[2]);
Object.assign(process.env, spec.env);

function jobInputs(r: SingleJobRun) {
  return {
    JobType: "NODE_PACKAGE_VERSION",
    ClientToken: r.clientToken,
    InputConfig: {
      PackageVersionInputConfig: {
        S3Location: { BucketName: MANIFEST_BUCKET, ObjectKey: r.objectKey },
      },
    },
    OutputConfig: {
      PackageVersionOutputConfig: {
        PackageName: r.packageName,
        PackageVersion: "1.0",
        MarkLatest: true,
      },
    },
  } as const;
}

async function viaProvider(
  r: SingleJobRun,
): Promise<Omit<SingleJobResult, "label" | "strategy" | "durationS" | "run">> {
  // Loaded by package name, as the serialized shim does in Pulumi's provider process.
  const impl = require("pulumi-panorama/dist/provider/resources/registry.js").implementation(
    "PackageImportJob",
  );
  // Internal, so by path (the package does not export it); from the repository root, since this runs transpiled in bench/.tmp.
  const { panoramaClient } = require(
    path.join(REPO_ROOT, "dist", "provider", "calls", "awsClients.js"),
  );
  const calls = countCalls(panoramaClient(REGION));
  const { id, outs } = await impl.create({
    __provider: "bench",
    jobType: "NODE_PACKAGE_VERSION",
    inputConfig: {
      packageVersionInputConfig: {
        s3Location: { bucketName: MANIFEST_BUCKET, objectKey: r.objectKey },
      },
    },
    outputConfig: {
      packageVersionOutputConfig: {
        packageName: r.packageName,
        packageVersion: "1.0",
        markLatest: true,
      },
    },
    clientToken: r.clientToken,
  });
  const returnedAt = Date.now();
  const done = Date.parse(outs.lastUpdatedTime);
  return {
    jobId: id,
    actualS: (done - Date.parse(outs.createdTime)) / 1000,
    lagMs: returnedAt - done,
    calls,
  };
}

/** The provider's wait before the status scheduler, with its constants of the time. */
async function viaPrevious(r: SingleJobRun) {
  const client = new PanoramaClient({ region: REGION, maxAttempts: 6 });
  const calls = countCalls(client);
  const { JobId } = await client.send(new CreatePackageImportJobCommand(jobInputs(r) as any));
  let job = await client.send(new DescribePackageImportJobCommand({ JobId }));
  let delay = 500;
  while (job.Status === "PENDING") {
    await sleep(Math.min(delay * (1 - 0.2 * Math.random()), 60_000));
    job = await client.send(new DescribePackageImportJobCommand({ JobId }));
    delay = Math.min(delay * 1.2, 60_000);
  }
  const out = job.Output!;
  await client.send(
    new DescribePackageVersionCommand({
      PackageId: out.PackageId,
      PackageVersion: out.PackageVersion,
      PatchVersion: out.PatchVersion,
    }),
  );
  const returnedAt = Date.now();
  client.destroy();
  return {
    jobId: JobId!,
    actualS: (job.LastUpdatedTime!.getTime() - job.CreatedTime!.getTime()) / 1000,
    lagMs: returnedAt - job.LastUpdatedTime!.getTime(),
    calls,
  };
}

async function viaFixedInterval(r: SingleJobRun, intervalS: number) {
  const client = new PanoramaClient({ region: REGION, maxAttempts: 6 });
  const calls = countCalls(client);
  const { JobId } = await client.send(new CreatePackageImportJobCommand(jobInputs(r) as any));
  let job = await client.send(new DescribePackageImportJobCommand({ JobId }));
  while (job.Status === "PENDING") {
    await sleep(intervalS * 1000);
    job = await client.send(new DescribePackageImportJobCommand({ JobId }));
  }
  const returnedAt = Date.now();
  client.destroy();
  return {
    jobId: JobId!,
    actualS: (job.LastUpdatedTime!.getTime() - job.CreatedTime!.getTime()) / 1000,
    lagMs: returnedAt - job.LastUpdatedTime!.getTime(),
    calls,
  };
}

async function one(r: SingleJobRun): Promise<void> {
  await sleep(r.startDelayMs);
  const base = {
    label: spec.label,
    strategy: spec.strategy,
    durationS: spec.durationS,
    run: r.run,
  };
  try {
    const m =
      spec.strategy === "provider"
        ? await viaProvider(r)
        : spec.strategy === "previous"
          ? await viaPrevious(r)
          : await viaFixedInterval(r, spec.intervalS!);
    emitResult({ ...base, ...m } satisfies SingleJobResult);
  } catch (e) {
    emitResult({
      ...base,
      jobId: "",
      actualS: NaN,
      lagMs: NaN,
      calls: { total: 0, byOperation: {} },
      error: String((e as Error).message ?? e),
    });
  }
}

async function main(): Promise<void> {
  // Load the SDK (and the provider) before GO, so start-up costs never land inside a measurement.
  if (spec.strategy === "provider") require("pulumi-panorama/dist/provider/resources/registry.js");
  new PanoramaClient({ region: REGION }).destroy();
  process.stdout.write("READY\n");
  const rl = readline.createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => rl.on("line", (line) => line.trim() === "GO" && resolve()));
  rl.close();
  await Promise.all(spec.runs.map(one));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
