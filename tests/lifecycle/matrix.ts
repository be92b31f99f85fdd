// The lifecycle matrix: every resource walked through its whole life in one stack, through the real
// Pulumi CLI and engine (a local program, so `pulumi up` can be SIGKILLed) against one emulator.
// A resource is one LifecycleEntry (program, config changes, out-of-band mutators, expectations);
// describeLifecycle turns it into the cells, in order:
//
//   create → update in place → replace → refresh after each out-of-band change (then up) →
//   destroy → up again with the service's history kept → SIGKILL of `pulumi up` mid-wait, then up →
//   destroy
//
// After every cell the stack state and the emulator agree (agree()): the same ids of every
// Panorama resource, nothing duplicated or orphaned, the same statuses and outputs read back
// through the real SDK, and no secret in plaintext in the checkpoint files, the exported state or
// anything the engine printed.
import * as assert from "assert";
import {
  DescribeApplicationInstanceCommand,
  DescribeDeviceJobCommand,
  DescribePackageCommand,
  DescribePackageImportJobCommand,
  DescribePackageVersionCommand,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { RunningEmulator, startEmulator } from "../../emulator";
import type { Lifecycle, TimingPatch } from "../../emulator/state/timing";
import { census, Census, patchName } from "../support/census";
import { blankSecrets, revealSecrets, secretsOnDisk } from "../support/checkpoint";
import {
  CLI_BUILD_TIMEOUT_MS,
  cleanup,
  EngineStack,
  engineCli,
  localStack,
  spawnUp,
  StackConfig,
  stackState,
  StateResource,
} from "../support/engine";
import { emulatorEnv, MANIFEST_BUCKET } from "../support/emulatorFixture";

export const TYPES = {
  Package: "pulumi-nodejs:dynamic/panorama:Package",
  PackageImportJob: "pulumi-nodejs:dynamic/panorama:PackageImportJob",
  PackageVersion: "pulumi-nodejs:dynamic/panorama:PackageVersion",
  ApplicationInstance: "pulumi-nodejs:dynamic/panorama:ApplicationInstance",
  DeviceJob: "pulumi-nodejs:dynamic/panorama:DeviceJob",
} as const;
export type ResourceKind = keyof typeof TYPES;

/** The tag the ApplicationInstance provider marks its instances with (not a user tag). */
const DEPLOYMENT_KEY_TAG = "pulumi-panorama:deploymentKey";

export const CREDENTIALS = {
  accessKeyId: "AKIDLIFECYCLE",
  secretAccessKey: "lifecycle-Secret-Key-8d2b41c7",
};

/** Every transition settles at once unless a cell holds one on purpose. */
const IMMEDIATE: TimingPatch = {
  importJob: { mode: "immediate" },
  deployment: { mode: "immediate" },
  removal: { mode: "immediate" },
  packageVersion: { mode: "immediate" },
  deviceUpdate: { mode: "immediate" },
  deviceReboot: { mode: "immediate" },
};

/** A stack resource with its secrets shown (inputs and outputs as the program and provider see them). */
export interface Resource {
  urn: string;
  type: string;
  id: string;
  inputs: Record<string, any>;
  outputs: Record<string, any>;
  initErrors?: string[];
}

/** What every cell can reach. */
export interface World {
  emu: RunningEmulator;
  panorama: PanoramaClient;
  s3: S3Client;
  s: EngineStack;
  /** The stack's Panorama resources of one kind. */
  resources(kind: ResourceKind): Promise<Resource[]>;
  /** The entry's own resource, or undefined when the stack holds none. */
  subject(): Promise<Resource | undefined>;
  census(): Census;
  /** POST to the emulator's control API, as a test in another process would. */
  control(path: string, body?: unknown): Promise<any>;
}

export interface OutOfBandChange {
  /** What is changed behind the stack's back, for the test's title. */
  what: string;
  /** Makes the change directly on the emulator (through the real SDK where the API allows it). */
  mutate(w: World, subject: Resource): Promise<void>;
  /** What `pulumi refresh` must have recorded. */
  afterRefresh(w: World, before: Resource, refreshed: Resource | undefined): Promise<void> | void;
  /** What the next `pulumi up` must have done. */
  afterUp?(w: World, before: Resource, now: Resource, jobsBefore: string[]): Promise<void> | void;
  /** False when a refresh cannot see the change in any output (a job's patch deregistered). */
  patchesAgreeAfterRefresh?: boolean;
  /** Undoes a change no `up` is meant to repair (the service's glitch passes); a refresh follows. */
  restore?(w: World, subject: Resource): Promise<void>;
}

export const OUT_OF_BAND_KINDS = [
  "deleted",
  "statusChanged",
  "tagsChanged",
  "patchDeregistered",
] as const;
export type OutOfBandKind = (typeof OUT_OF_BAND_KINDS)[number];

export interface ConfigChange {
  /** Stack config set before `pulumi up`. */
  config: Record<string, string>;
  expect?(w: World, before: Resource, now: Resource): Promise<void> | void;
}

export interface LifecycleEntry {
  kind: ResourceKind;
  /** The program (index.ts of a local project); it reads the config below. */
  program: string;
  config: StackConfig;
  /**
   * Runs against the fresh emulator before the first `up`, and again before each `up` that follows a
   * destroy (uploads manifests: a package deleted with forceDelete takes its storage with it).
   */
  prepare?(w: World): Promise<void>;
  /** Plaintext values that must never be stored or printed, by what they are. */
  secrets: Record<string, string>;
  /** The import jobs' client tokens are derived from secret inputs, so they are secrets too. */
  secretClientTokens?: boolean;
  /** Import jobs a create of the whole program starts (the matrix checks no more are started). */
  jobsPerCreate: number;
  created?(w: World, subject: Resource): Promise<void> | void;
  /** An option change: the resource is updated in place. */
  update: ConfigChange;
  /** A parameter change: the resource is replaced. */
  replace: ConfigChange;
  /** Each out-of-band change, or why it does not apply to this resource. */
  outOfBand: Record<OutOfBandKind, OutOfBandChange | { notApplicable: string }>;
  /** After destroy, what the service keeps of the last resource (e.g. a removed instance). */
  destroyed?(w: World, last: Resource): Promise<void> | void;
  /** After `up` again on the service's history: what must be new. */
  recreated?(w: World, last: Resource, now: Resource, jobsBefore: string[]): Promise<void> | void;
  /** How `pulumi up` is caught mid-wait: the transition held, or the request slowed. */
  kill: { hold: Lifecycle; operation: string } | { slow: string; latencyMs: number };
}

const applicable = (c: OutOfBandChange | { notApplicable: string }): c is OutOfBandChange =>
  !("notApplicable" in c);

/** The cells of one entry, as one mocha suite sharing an emulator and a stack. */
export function describeLifecycle(entry: LifecycleEntry): void {
  describe(`${entry.kind} lifecycle through the real engine`, function () {
    this.timeout(180_000);
    let w: World;
    /** Everything the engine printed, failures included. */
    let printed = "";
    let last: Resource | undefined;

    before(async function () {
      this.timeout(CLI_BUILD_TIMEOUT_MS);
      await engineCli();
      const emu = await startEmulator({ port: 0, credentials: CREDENTIALS, timing: IMMEDIATE });
      const env = emulatorEnv(emu, CREDENTIALS);
      const clientConfig = { region: emu.region, endpoint: emu.url, credentials: CREDENTIALS };
      const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: MANIFEST_BUCKET }));
      const s = await localStack({
        files: { "index.ts": entry.program },
        env,
        config: entry.config,
      });
      w = world(entry, emu, new PanoramaClient(clientConfig), s3, s);
      await entry.prepare?.(w);
    });
    after(async function () {
      if (!w) return;
      this.timeout(120_000);
      try {
        await cleanup(w.s);
      } finally {
        w.panorama.destroy();
        w.s3.destroy();
        await w.emu.stop();
      }
    });

    /** Runs an Automation API operation, keeping what the engine printed (and a failure's text). */
    async function engine<T>(op: (onOutput: (out: string) => void) => Promise<T>): Promise<T> {
      try {
        return await op((out) => (printed += out));
      } catch (e) {
        printed += String((e as Error).message);
        throw e;
      }
    }
    const up = () => engine((onOutput) => w.s.stack.up({ onOutput }));
    const refresh = () => engine((onOutput) => w.s.stack.refresh({ onOutput }));
    const destroy = () => engine((onOutput) => w.s.stack.destroy({ onOutput }));
    const setConfig = async (config: Record<string, string>) => {
      for (const [key, value] of Object.entries(config)) await w.s.stack.setConfig(key, { value });
    };
    const subject = async () => {
      const found = await w.subject();
      assert.ok(found, `the stack holds no ${entry.kind}`);
      return found;
    };
    const check = (options?: AgreeOptions) => agree(w, entry, printed, options);

    it("the table names every out-of-band change, or why it does not apply", () => {
      for (const kind of OUT_OF_BAND_KINDS) {
        const change = entry.outOfBand[kind];
        assert.ok(
          applicable(change) ? change.what : change.notApplicable.length > 10,
          `${entry.kind}: ${kind}`,
        );
      }
    });

    it("create", async () => {
      const result = await up();
      assert.ok(
        (result.summary.resourceChanges?.create ?? 0) >= 1,
        JSON.stringify(result.summary.resourceChanges),
      );
      last = await subject();
      assert.strictEqual(
        w.census().jobs.length,
        entry.jobsPerCreate,
        "import jobs started by the first up",
      );
      await entry.created?.(w, last);
      await check();
    });

    it("update in place (an option change): the same resource, nothing started", async () => {
      const before = await subject();
      const jobs = w.census().jobs;
      await setConfig(entry.update.config);
      const result = await up();
      const changes = result.summary.resourceChanges ?? {};
      assert.ok(
        (changes.update ?? 0) >= 1 && !changes.replace && !changes.create,
        JSON.stringify(changes),
      );
      last = await subject();
      assert.strictEqual(last.id, before.id, "updated in place");
      assert.deepStrictEqual(w.census().jobs, jobs, "an option change starts no import job");
      await entry.update.expect?.(w, before, last);
      await check();
    });

    it("replace (a parameter change): a new resource, the old one gone", async () => {
      const before = await subject();
      await setConfig(entry.replace.config);
      const result = await up();
      assert.ok(
        (result.summary.resourceChanges?.replace ?? 0) >= 1,
        JSON.stringify(result.summary.resourceChanges),
      );
      last = await subject();
      assert.notStrictEqual(last.id, before.id, "replaced by a new one");
      await entry.replace.expect?.(w, before, last);
      await check();
    });

    for (const kind of OUT_OF_BAND_KINDS) {
      const change = entry.outOfBand[kind];
      if (!applicable(change)) continue;
      it(`refresh after an out-of-band change (${kind}: ${change.what}), then up`, async () => {
        const before = await subject();
        await change.mutate(w, before);
        await refresh();
        await change.afterRefresh(w, before, await w.subject());
        await check({ patches: change.patchesAgreeAfterRefresh !== false });
        if (change.restore) {
          await change.restore(w, before);
          await refresh();
        }

        const jobsBefore = w.census().jobs;
        await up();
        last = await subject();
        await change.afterUp?.(w, before, last, jobsBefore);
        await check();
      });
    }

    it("destroy: nothing left but history", async () => {
      last = await subject();
      await destroy();
      assert.strictEqual(await w.subject(), undefined);
      const left = w.census();
      assert.deepStrictEqual(
        [left.packages, left.patches, left.instances],
        [[], [], []],
        "no package, patch or instance left",
      );
      await entry.destroyed?.(w, last);
      await check();
    });

    it("destroy, then up again while the service keeps its history", async () => {
      const jobsBefore = w.census().jobs;
      await entry.prepare?.(w);
      await up();
      const now = await subject();
      assert.strictEqual(
        w.census().jobs.length,
        jobsBefore.length + entry.jobsPerCreate,
        "one new job per import, no more",
      );
      await entry.recreated?.(w, last!, now, jobsBefore);
      last = now;
      await check();
    });

    it("SIGKILL of pulumi up mid-wait, then up: one of each, recorded once", async () => {
      await destroy();
      await check();
      await entry.prepare?.(w);
      const jobsBefore = w.census().jobs;
      const operation = "hold" in entry.kill ? entry.kill.operation : entry.kill.slow;
      if ("hold" in entry.kill) w.emu.control.setTiming({ [entry.kill.hold]: { mode: "manual" } });
      else w.emu.control.addFault({ operation, latencyMs: entry.kill.latencyMs, count: 1 });
      const calls = () => w.emu.control.requestCounts().byOperation[`panorama:${operation}`] ?? 0;
      try {
        const callsBefore = calls();
        const killed = spawnUp(w.s);
        for (const deadline = Date.now() + 90_000; calls() === callsBefore; await sleep(25))
          assert.ok(
            Date.now() < deadline,
            `pulumi up never called ${operation}:\n${killed.output()}`,
          );
        await sleep(400); // into the wait (or the slow request)
        assert.ok(killed.kill(), `pulumi up ended before it could be killed:\n${killed.output()}`);
        await killed.exited;
        printed += killed.output();
        await w.s.stack.cancel().catch(() => undefined);
        if ("slow" in entry.kill) await sleep(entry.kill.latencyMs); // the slow request lands after the kill
      } finally {
        w.emu.control.clearFaults();
        w.emu.control.setTiming(IMMEDIATE);
      }
      settlePending(w.emu);

      await up();
      // The killed run's create stays pending in the checkpoint until a refresh clears it.
      await engine((onOutput) => w.s.stack.refresh({ onOutput, clearPendingCreates: true }));
      last = await subject();
      assert.strictEqual(
        w.census().jobs.length,
        jobsBefore.length + entry.jobsPerCreate,
        "no duplicate import job",
      );
      await check();
    });

    it("destroy at the end leaves nothing behind", async () => {
      await destroy();
      const left = w.census();
      assert.deepStrictEqual([left.packages, left.patches, left.instances], [[], [], []]);
      await check();
    });
  });
}

function world(
  entry: LifecycleEntry,
  emu: RunningEmulator,
  panorama: PanoramaClient,
  s3: S3Client,
  s: EngineStack,
): World {
  const resources = async (kind: ResourceKind): Promise<Resource[]> =>
    (await stackState(s)).resources.filter((r) => r.type === TYPES[kind]).map(reveal);
  return {
    emu,
    panorama,
    s3,
    s,
    resources,
    async subject() {
      const found = await resources(entry.kind);
      assert.ok(found.length <= 1, `${found.length} ${entry.kind} resources in the stack`);
      return found[0];
    },
    census: () => census(emu),
    async control(path, body = {}) {
      const res = await fetch(`${emu.url}/_emulator/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      assert.ok(res.ok, `emulator control POST ${path}: HTTP ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
  };
}

function reveal(r: StateResource): Resource {
  return {
    urn: r.urn,
    type: r.type,
    id: r.id ?? "",
    inputs: revealSecrets(r.inputs ?? {}),
    outputs: revealSecrets(r.outputs ?? {}),
    initErrors: r.initErrors,
  };
}

/** Ends every transition a killed run left in flight, as the service eventually would. */
function settlePending(emu: RunningEmulator): void {
  const state = emu.control.state() as Record<string, Record<string, any>>;
  for (const job of Object.values(state.importJobs))
    if (job.transition) emu.control.completeImportJob(job.jobId);
  for (const app of Object.values(state.applicationInstances))
    if (app.transition) emu.control.completeApplicationInstance(app.applicationInstanceId);
  for (const p of Object.values(state.patches))
    if (p.transition)
      emu.control.completePackageVersion(p.packageId, p.packageVersion, p.patchVersion);
  for (const job of Object.values(state.deviceJobs))
    if (job.transition) emu.control.completeDeviceJob(job.jobId);
}

interface AgreeOptions {
  /** Compare the patches the stack's jobs name with the emulator's registered ones. @default true */
  patches?: boolean;
}

/**
 * The stack and the emulator agree: the same ids for every kind of Panorama resource (nothing
 * duplicated, nothing orphaned), each resource's outputs match what the real SDK reads back,
 * nothing is pending or failed in the checkpoint, and no secret is in plaintext anywhere.
 */
export async function agree(
  w: World,
  entry: LifecycleEntry,
  printed: string,
  options: AgreeOptions = {},
): Promise<void> {
  const state = await stackState(w.s);
  assert.deepStrictEqual(
    state.pendingOperations.map((o) => `${o.type} ${o.resource.urn}`),
    [],
    "no operation left pending",
  );
  const ours: Resource[] = state.resources
    .filter((r) => Object.values<string>(TYPES).includes(r.type))
    .map(reveal);
  for (const r of ours) assert.deepStrictEqual(r.initErrors ?? [], [], `${r.urn} has init errors`);
  const ids = (kind: ResourceKind) =>
    ours
      .filter((r) => r.type === TYPES[kind])
      .map((r) => r.id)
      .sort();
  const live = w.census();

  assert.deepStrictEqual(
    ids("Package"),
    live.packages,
    "the stack's packages are exactly the emulator's",
  );
  assert.deepStrictEqual(
    ids("ApplicationInstance"),
    live.instances,
    "the stack's instances are exactly those not removed",
  );
  for (const job of ids("PackageImportJob"))
    assert.ok(live.jobs.includes(job), `import job ${job} is not in the emulator`);
  if (options.patches !== false) {
    const named = ours
      .filter(
        (r) =>
          (r.type === TYPES.PackageImportJob || r.type === TYPES.PackageVersion) &&
          r.outputs.patchVersion,
      )
      .map((r) => patchName(r.outputs.packageId, r.outputs.packageVersion, r.outputs.patchVersion));
    assert.deepStrictEqual(
      [...new Set(named)].sort(),
      live.patches,
      "the patches the stack names are exactly the registered ones",
    );
  }
  for (const r of ours) await agreesWithService(w.panorama, r);

  const secrets: Record<string, string> = {
    "the secret access key": CREDENTIALS.secretAccessKey,
    ...entry.secrets,
  };
  if (entry.secretClientTokens)
    live.clientTokens.forEach(
      (token, i) => (secrets[`client token ${i + 1} (derived from a secret)`] = token),
    );
  assert.deepStrictEqual(
    secretsOnDisk(w.s.sandbox, secrets),
    [],
    "secrets in plaintext in a checkpoint or history file",
  );
  const exported = JSON.stringify(blankSecrets(state.deployment));
  assert.deepStrictEqual(
    Object.keys(secrets).filter((k) => exported.includes(secrets[k])),
    [],
    "secrets outside a secret in the state",
  );
  assert.deepStrictEqual(
    Object.keys(secrets).filter((k) => printed.includes(secrets[k])),
    [],
    "secrets in what the engine printed",
  );
}

/** One stack resource against the service's own answer, through the real SDK. */
async function agreesWithService(panorama: PanoramaClient, r: Resource): Promise<void> {
  const o = r.outputs;
  const where = `${r.urn} (${r.id})`;
  switch (r.type) {
    case TYPES.Package: {
      const d = await panorama.send(new DescribePackageCommand({ PackageId: r.id }));
      assert.deepStrictEqual(
        [o.packageId, o.packageName, o.arn],
        [d.PackageId, d.PackageName, d.Arn],
        where,
      );
      ownTagsAgree(where, r, d.Tags ?? {});
      break;
    }
    case TYPES.PackageImportJob: {
      const d = await panorama.send(new DescribePackageImportJobCommand({ JobId: r.id }));
      assert.deepStrictEqual(
        [o.jobId, o.status, o.packageId, o.packageVersion, o.patchVersion],
        [d.JobId, d.Status, d.Output?.PackageId, d.Output?.PackageVersion, d.Output?.PatchVersion],
        where,
      );
      break;
    }
    case TYPES.PackageVersion: {
      const d = await panorama.send(
        new DescribePackageVersionCommand({
          PackageId: o.packageId,
          PackageVersion: o.packageVersion,
          PatchVersion: o.patchVersion,
        }),
      );
      assert.deepStrictEqual(
        [o.status, o.isLatestPatch, o.packageArn],
        [d.Status, d.IsLatestPatch, d.PackageArn],
        where,
      );
      assert.strictEqual(
        Date.parse(o.registeredTime),
        d.RegisteredTime?.getTime(),
        `${where}: registeredTime`,
      );
      break;
    }
    case TYPES.ApplicationInstance: {
      const d = await panorama.send(
        new DescribeApplicationInstanceCommand({ ApplicationInstanceId: r.id }),
      );
      assert.deepStrictEqual(
        [o.applicationInstanceId, o.status, o.healthStatus, o.arn],
        [d.ApplicationInstanceId, d.Status, d.HealthStatus, d.Arn],
        where,
      );
      ownTagsAgree(where, r, d.Tags ?? {});
      break;
    }
    case TYPES.DeviceJob: {
      const d = await panorama.send(new DescribeDeviceJobCommand({ JobId: r.id }));
      assert.deepStrictEqual(
        [o.jobId, o.status, o.deviceId, o.jobType, o.imageVersion],
        [d.JobId, d.Status, d.DeviceId, d.JobType, d.ImageVersion],
        where,
      );
      break;
    }
  }
}

/** A resource records only the tag keys its program declares, with the values the service holds. */
function ownTagsAgree(where: string, r: Resource, serviceTags: Record<string, string>): void {
  const declared = Object.keys(r.inputs.tags ?? {})
    .filter((k) => k !== DEPLOYMENT_KEY_TAG)
    .sort();
  const recorded = r.outputs.tags ?? {};
  assert.deepStrictEqual(
    Object.keys(recorded).sort(),
    declared,
    `${where}: the state records exactly the declared tag keys`,
  );
  for (const key of declared)
    assert.strictEqual(recorded[key], serviceTags[key], `${where}: tag ${key}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
