// The emulator of one scenario-2 case, in a process of its own: the service should not share an
// event loop with the Pulumi program, or a busy program would bunch requests together before the
// emulator's rate limiter sees them. Records when each accepted Panorama request arrived.
//
// Protocol: argv[2] is the spec; prints `READY {url, credentials}`; on stdin `RESET` zeroes the
// counts and the timeline, `DUMP` prints `RESULT {counts, timeline, resetAt, devices?, deviceJobs?}`,
// `STOP` exits. `startEmulatorProcess` is the parent's side of it.
import { spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import { RateLimitsInput, RequestCounts, startEmulator } from "../emulator";
import type { DeviceSeed } from "../emulator/state/settings";
import type { TimingPatch } from "../emulator/state/timing";
import { emitResult, manifest, MANIFEST_BUCKET, REPO_ROOT } from "./common";

export interface EmulatorProcessSpec {
  rateLimits: RateLimitsInput;
  importJobMs: number;
  jitter: number;
  manifests: { objectKey: string; packageName: string; packageVersion: string }[];
  /** Other lifecycles' timing (deployments, device jobs), over importJobMs. @default the emulator's */
  timing?: TimingPatch;
  /** @default the emulator's one device */
  devices?: DeviceSeed[];
  /** DUMP also returns each device's history and the device jobs (fleet rollouts). @default false */
  dumpDevices?: boolean;
}

/** What DUMP returns; times of `devices` and `deviceJobs` are the emulator's clock, `resetAt` on it. */
export interface EmulatorDump {
  counts: RequestCounts;
  timeline: [number, string][];
  resetAt: number;
  devices?: Record<string, { name: string; currentSoftware?: string; history: any[] }>;
  deviceJobs?: Record<string, any>;
}

async function main(spec: EmulatorProcessSpec): Promise<void> {
  let t0 = performance.now();
  let resetAt = Date.now();
  const timeline: [number, string][] = [];
  const emu = await startEmulator({
    rateLimits: spec.rateLimits,
    timing: {
      ...spec.timing,
      importJob: { mode: "timed", durationMs: spec.importJobMs, jitter: spec.jitter },
    },
    quotas: { packages: 1000, patchesPerPackage: 1000 },
    devices: spec.devices,
    hooks: [
      {
        onRequest: (ctx) =>
          void (
            ctx.service === "panorama" &&
            timeline.push([Math.round(performance.now() - t0) / 1000, ctx.operation])
          ),
      },
    ],
  });
  for (const m of spec.manifests)
    emu.control.putObject(
      MANIFEST_BUCKET,
      m.objectKey,
      manifest(m.packageName, m.packageVersion),
      "application/json",
    );
  process.stdout.write(`READY ${JSON.stringify({ url: emu.url, credentials: emu.credentials })}\n`);
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const command = line.trim();
    if (command === "RESET") {
      emu.control.resetRequestCounts();
      timeline.length = 0;
      t0 = performance.now();
      resetAt = (emu.control.state() as { now: number }).now;
      process.stdout.write("OK\n");
    } else if (command === "DUMP") {
      const dump: EmulatorDump = { counts: emu.control.requestCounts(), timeline, resetAt };
      if (spec.dumpDevices) {
        const state = emu.control.state() as { devices: any; deviceJobs: any };
        dump.devices = state.devices;
        dump.deviceJobs = state.deviceJobs;
      }
      emitResult(dump);
    } else if (command === "STOP") break;
  }
  await emu.stop();
}

/** Starts an emulator process for `spec` (with this process's ts-node, if any) and drives it. */
export async function startEmulatorProcess(spec: EmulatorProcessSpec) {
  const proc = spawn(
    process.execPath,
    [
      ...process.execArgv,
      path.join(REPO_ROOT, "bench", "emulatorProcess.ts"),
      JSON.stringify(spec),
    ],
    { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"] },
  );
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
    async dump(): Promise<EmulatorDump> {
      proc.stdin!.write("DUMP\n");
      return JSON.parse(await nextLine("RESULT "));
    },
    stop(): void {
      proc.stdin!.end("STOP\n");
    },
  };
}

if (require.main === module)
  main(JSON.parse(process.argv[2])).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
