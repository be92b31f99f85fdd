// The fleet rollout bench: one `pulumi up` of a PanoramaApplication across a fleet (canary, then
// batches), through the real engine against an emulator process of its own that enforces the
// service's rates (5 requests/s, 1 request/s per create operation), with the provider's default
// request budget. With `ota`, every other device (the canary first) runs older appliance software
// and the fleet's `deviceSoftware` baseline updates it (an OTA DeviceJob) before its deployment.
// Reports the wall time against the floor those rates and the emulator's durations set, Panorama
// calls per device, throttled and failed; and per wave when it started and ended on the emulator.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PanoramaApplication, PanoramaApplicationArgs } from "pulumi-panorama";
import { inlineStack, stackState, withStack } from "../tests/support/engine";
import { emitResult, emulatorEnv, gitCommit, REPO_ROOT } from "./common";
import { EmulatorDump, startEmulatorProcess } from "./emulatorProcess";

export interface FleetRolloutSpec {
  label: string;
  devices: number;
  canary: number;
  maxParallel: number;
  /** Every other device, the canary first, starts on OLD_SOFTWARE and gets an OTA to NEW_SOFTWARE. */
  ota: boolean;
  importS: number;
  deploymentS: number;
  otaS: number;
  /** `pulumi up --parallel`. */
  parallel: number;
}

export interface FleetWave {
  wave: number;
  devices: number;
  otaDevices: number;
  /** Seconds since `up` started, on the emulator: the wave's first create, its last deployment done. */
  startS: number;
  endS: number;
  /** The floor's start and end of this wave. */
  floorStartS: number;
  floorEndS: number;
  /** The slowest device: its OTA job's end and its deployment's start and end, seconds since `up` started. */
  slowest?: { device: string; otaEndS?: number; deployStartS: number; deployEndS: number };
}

export interface FleetRolloutResult {
  label: string;
  spec: FleetRolloutSpec;
  commit: string;
  date: string;
  machine: string;
  wallS: number;
  floorS: number;
  /** Create requests the rollout needs, by operation (what sets the floor with the durations). */
  creates: Record<string, number>;
  panoramaCalls: Record<string, number>;
  panoramaTotal: number;
  callsPerDevice: number;
  throttled: number;
  /** Devices without a successful deployment, plus device jobs that did not complete. */
  failed: number;
  deployed: number;
  otaJobs: number;
  waves: FleetWave[];
  /** Requests the emulator accepted, as [seconds since up started, operation]. */
  timeline: [number, string][];
  error?: string;
}

export const OLD_SOFTWARE = "6.1.0";
export const NEW_SOFTWARE = "6.2.1";

/** The committed case: 50 devices, canary 1, batches of 10, OTA on half of them. */
export const FLEET_ROLLOUT: FleetRolloutSpec = {
  label: "50 devices, canary 1, batches of 10, OTA on half",
  devices: 50,
  canary: 1,
  maxParallel: 10,
  ota: true,
  importS: 5,
  deploymentS: 20,
  otaS: 40,
  parallel: 100,
};

const deviceName = (i: number) => `site-${String(i + 1).padStart(2, "0")}`;
const behind = (spec: FleetRolloutSpec, i: number) => spec.ota && i % 2 === 0;

/** The waves as the component forms them (rollout.ts): device indexes. */
export function wavesOf(spec: FleetRolloutSpec): number[][] {
  const all = Array.from({ length: spec.devices }, (_, i) => i);
  const waves = spec.canary ? [all.slice(0, spec.canary)] : [];
  for (let i = spec.canary; i < all.length; i += spec.maxParallel)
    waves.push(all.slice(i, i + spec.maxParallel));
  return waves;
}

/**
 * The least time any client could take under the service's quotas: each create operation sends
 * one request a second (the first at 0), the other requests are free and instant, and every job
 * takes exactly its emulator duration. The packages are created and imported first (the graph
 * needs every imported patch); a wave starts when the previous one has deployed; in a wave, the
 * devices that are behind get their OTA job first, and each deployment starts when its device is
 * up to date and the graph is ready.
 */
export function rolloutFloor(
  spec: FleetRolloutSpec,
  packages: number,
): { floorS: number; creates: Record<string, number>; waves: { startS: number; endS: number }[] } {
  const next: Record<string, number> = {};
  const creates: Record<string, number> = {};
  const slot = (operation: string, readyAt: number) => {
    const at = Math.max(readyAt, next[operation] ?? 0);
    next[operation] = at + 1;
    creates[operation] = (creates[operation] ?? 0) + 1;
    return at;
  };
  let graphReady = 0;
  for (let p = 0; p < packages; p++) {
    const created = slot("CreatePackage", 0);
    graphReady = Math.max(graphReady, slot("CreatePackageImportJob", created) + spec.importS);
  }
  const waves: { startS: number; endS: number }[] = [];
  let start = 0;
  for (const wave of wavesOf(spec)) {
    const ready = wave.map((i) =>
      Math.max(
        graphReady,
        behind(spec, i) ? slot("CreateJobForDevices", start) + spec.otaS : start,
      ),
    );
    const end = Math.max(
      ...ready
        .sort((a, b) => a - b)
        .map((r) => slot("CreateApplicationInstance", r) + spec.deploymentS),
    );
    waves.push({ startS: start, endS: end });
    start = end;
  }
  return { floorS: start, creates, waves };
}

/** The bench's panorama-cli project: examples/fleet with one camera package for every device. */
function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-bench-project-"));
  fs.cpSync(path.join(REPO_ROOT, "examples/fleet/project"), dir, { recursive: true });
  for (const other of ["dock_camera", "gate_camera"])
    fs.rmSync(path.join(dir, "packages", `111122223333-${other}-1.0`), { recursive: true });
  return dir;
}

function programOf(spec: FleetRolloutSpec, projectDir: string) {
  return async () => {
    const args: PanoramaApplicationArgs = {
      projectDir,
      devices: Array.from({ length: spec.devices }, (_, i) => ({ name: deviceName(i) })),
      nodeOverrides: { camera_node: { package: "lobby_camera" } },
      rollout: { canary: spec.canary, maxParallel: spec.maxParallel },
      ...(spec.ota ? { deviceSoftware: { imageVersion: NEW_SOFTWARE } } : {}),
    };
    const app = new PanoramaApplication("bench-fleet", args);
    return { deployments: app.deployments };
  };
}

async function run(spec: FleetRolloutSpec): Promise<FleetRolloutResult> {
  const projectDir = projectCopy();
  const packages = fs.readdirSync(path.join(projectDir, "packages")).length;
  const floor = rolloutFloor(spec, packages);
  const emu = await startEmulatorProcess({
    rateLimits: true,
    importJobMs: spec.importS * 1000,
    jitter: 0,
    manifests: [],
    timing: {
      deployment: { mode: "timed", durationMs: spec.deploymentS * 1000 },
      deviceUpdate: { mode: "timed", durationMs: spec.otaS * 1000 },
    },
    devices: Array.from({ length: spec.devices }, (_, i) => ({
      name: deviceName(i),
      currentSoftware: behind(spec, i) ? OLD_SOFTWARE : NEW_SOFTWARE,
      latestSoftware: NEW_SOFTWARE,
    })),
    dumpDevices: true,
  });
  const result: FleetRolloutResult = {
    label: spec.label,
    spec,
    commit: gitCommit(),
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} at the start`,
    wallS: NaN,
    floorS: floor.floorS,
    creates: floor.creates,
    panoramaCalls: {},
    panoramaTotal: 0,
    callsPerDevice: NaN,
    throttled: 0,
    failed: spec.devices,
    deployed: 0,
    otaJobs: 0,
    waves: [],
    timeline: [],
  };
  try {
    await withStack(
      inlineStack({
        program: programOf(spec, projectDir),
        env: emulatorEnv(emu.url, emu.credentials),
        projectName: "bench-fleet",
        stackName: "fleet",
      }),
      async (s) => {
        await emu.reset();
        const t0 = performance.now();
        try {
          await s.stack.up({ parallel: spec.parallel });
        } catch (e) {
          result.error = String((e as Error).message ?? e).slice(-2000);
        }
        result.wallS = (performance.now() - t0) / 1000;
        const dump = await emu.dump();
        countInto(result, dump);
        const deployments = await deployedDevices(s);
        result.deployed = deployments;
        result.waves = wavesFrom(spec, dump, floor.waves);
        const jobs = Object.values(dump.deviceJobs ?? {});
        result.otaJobs = jobs.length;
        result.failed =
          spec.devices - deployments + jobs.filter((j: any) => j.status !== "COMPLETED").length;
      },
      { destroy: false },
    ).catch((e) => {
      // A failed stack removal after the measured `up` leaves the measurement as it is.
      if (Number.isNaN(result.wallS)) throw e;
      console.error(`cleanup after the rollout failed: ${String(e?.message ?? e).slice(0, 500)}`);
    });
  } finally {
    emu.stop();
    fs.rmSync(projectDir, { recursive: true, force: true });
  }
  return result;
}

function countInto(result: FleetRolloutResult, dump: EmulatorDump): void {
  result.throttled = dump.counts.throttled;
  for (const [k, v] of Object.entries(dump.counts.byOperation))
    if (k.startsWith("panorama:")) result.panoramaCalls[k.slice("panorama:".length)] = v;
  result.panoramaTotal = Object.values(result.panoramaCalls).reduce((a, b) => a + b, 0);
  result.callsPerDevice = result.panoramaTotal / result.spec.devices;
  result.timeline = dump.timeline;
}

/** ApplicationInstances in the checkpoint that reached DEPLOYMENT_SUCCEEDED. */
async function deployedDevices(s: Parameters<typeof stackState>[0]): Promise<number> {
  const state = await stackState(s);
  return state.resources.filter(
    (r) =>
      r.type.includes("ApplicationInstance") &&
      r.outputs?.status === "DEPLOYMENT_SUCCEEDED" &&
      !r.initErrors,
  ).length;
}

/** Each wave as the emulator saw it: its first create and its last deployment's end. */
function wavesFrom(
  spec: FleetRolloutSpec,
  dump: EmulatorDump,
  floor: { startS: number; endS: number }[],
): FleetWave[] {
  const byName = new Map(
    Object.entries(dump.devices ?? {}).map(([id, d]) => [d.name, { id, ...d }]),
  );
  const jobs = Object.values(dump.deviceJobs ?? {}) as any[];
  const at = (ms: number) => Math.round(ms - dump.resetAt) / 1000;
  return wavesOf(spec).map((wave, w) => {
    let start = Infinity;
    let end = -Infinity;
    let slowest: FleetWave["slowest"];
    for (const i of wave) {
      const device = byName.get(deviceName(i));
      if (!device) continue;
      const job = jobs.find((j) => j.deviceId === device.id);
      const started = device.history.find((h) => h.event === "DEPLOYMENT_STARTED");
      const done = device.history.find((h) => h.event === "DEPLOYMENT_SUCCEEDED");
      if (job) start = Math.min(start, at(job.createdAt));
      if (started) start = Math.min(start, at(started.at));
      if (done && at(done.at) > end) {
        end = at(done.at);
        slowest = {
          device: deviceName(i),
          otaEndS: job ? at(job.lastUpdatedAt) : undefined,
          deployStartS: at(started!.at),
          deployEndS: at(done.at),
        };
      }
    }
    return {
      wave: w,
      devices: wave.length,
      otaDevices: wave.filter((i) => behind(spec, i)).length,
      startS: start,
      endS: end,
      floorStartS: floor[w].startS,
      floorEndS: floor[w].endS,
      slowest,
    };
  });
}

if (require.main === module) {
  const spec: FleetRolloutSpec = process.argv[2] ? JSON.parse(process.argv[2]) : FLEET_ROLLOUT;
  run(spec).then(
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
}
