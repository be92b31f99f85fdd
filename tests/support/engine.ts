// End-to-end harness: drives the real Pulumi CLI and engine through the Automation API, against a
// `file://` backend in a throwaway directory, fully offline.
//
//   const cli = await engineCli();                        // in `before`; may build the CLI once
//   await withStack(inlineStack({ program }), async ({ stack }) => { await stack.up(); … });
//   await withStack(localStack({ programDir }), async (s) => { const up = spawnUp(s); … up.kill(); });
//
// Inline programs run inside the test process (the CLI is started with --client); local programs
// run through the CLI's language host for their runtime (Node.js, or YAML, built on first use). Either way the dynamic-provider plugin is a separate
// process whose working directory must reach node_modules/@pulumi/pulumi: inline projects point
// `main` at the repository root, local programs are copied into the sandbox next to a
// `node_modules` link to the repository's.
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  ConfigMap,
  Deployment,
  LocalWorkspace,
  PulumiCommand,
  ProjectSettings,
  PulumiFn,
  Stack,
} from "@pulumi/pulumi/automation";
import { ensurePulumi, EnsuredPulumi, PULUMI_VERSION } from "../../scripts/ensure-pulumi";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Passphrase of every sandbox's secrets provider. */
export const TEST_PASSPHRASE = "pulumi-panorama-tests";

/** Generous: a first CLI build took 4.5 min on an idle 2-core machine and 15 min on a loaded one. */
export const CLI_BUILD_TIMEOUT_MS = 30 * 60 * 1000;

export interface EngineCli extends EnsuredPulumi {
  /** Pass as `pulumiCommand` to workspaces; every harness workspace already does. */
  command: PulumiCommand;
}

export interface EngineCliOptions {
  /** Language hosts beyond Node.js to have beside `pulumi`, e.g. ["yaml"] (see ensure-pulumi.js). */
  languages?: string[];
}

const cliPromises = new Map<string, Promise<EngineCli>>();

/** Finds or builds the CLI once per test process and set of languages (scripts/ensure-pulumi.js). */
export function engineCli(options: EngineCliOptions = {}): Promise<EngineCli> {
  const languages = [...new Set(options.languages ?? [])].sort();
  const key = languages.join(",");
  let promise = cliPromises.get(key);
  if (!promise) {
    promise = (async () => {
      const cli = await ensurePulumi({
        languages,
        log: (line) => console.log(`      [ensure-pulumi] ${line}`),
      });
      // PulumiCommand wants a SemVer from the semver copy it uses itself.
      const semverPath = require.resolve("semver", {
        paths: [require.resolve("@pulumi/pulumi/package.json")],
      });
      const { SemVer } = require(semverPath);
      const command = await PulumiCommand.get({
        root: cli.root,
        version: new SemVer(PULUMI_VERSION),
      });
      return { ...cli, command };
    })();
    cliPromises.set(key, promise);
    promise.catch(() => cliPromises.delete(key));
  }
  return promise;
}

/** A throwaway directory holding one test's backend state, PULUMI_HOME and program copies. */
export interface Sandbox {
  dir: string;
  backendUrl: string;
  pulumiHome: string;
  /** The variables every CLI run in this sandbox gets, merged over the caller's. */
  env: Record<string, string>;
  /** Removes the directory. */
  dispose(): void;
}

export function createSandbox(env: Record<string, string> = {}): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-panorama-engine-"));
  const stateDir = path.join(dir, "state");
  const pulumiHome = path.join(dir, "home");
  fs.mkdirSync(stateDir);
  fs.mkdirSync(pulumiHome);
  const backendUrl = `file://${stateDir}`;
  return {
    dir,
    backendUrl,
    pulumiHome,
    env: {
      ...env,
      PULUMI_BACKEND_URL: backendUrl,
      PULUMI_HOME: pulumiHome,
      PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Stack config; plain strings are not secret. */
export type StackConfig = Record<string, string | { value: string; secret?: boolean }>;

interface CommonStackOptions {
  /** @default "test" */
  stackName?: string;
  config?: StackConfig;
  /** Extra environment for the CLI and the provider plugins (e.g. AWS_ENDPOINT_URL_PANORAMA). */
  env?: Record<string, string>;
  /** Shares a backend between stacks; by default each stack gets (and cleans up) its own. */
  sandbox?: Sandbox;
  /**
   * Provider plugins found by path (Pulumi.yaml `plugins: providers:`), e.g. this package's
   * `pulumi-resource-panorama`; no download, no `pulumi plugin install`.
   */
  providerPlugins?: ProviderPlugin[];
}

/** A provider plugin in a directory holding its `pulumi-resource-<name>` executable. */
export interface ProviderPlugin {
  name: string;
  path: string;
}

/** The `plugins:` section of a Pulumi.yaml for these plugins (empty without any). */
function pluginsYaml(plugins: ProviderPlugin[] | undefined): string {
  if (!plugins?.length) return "";
  return (
    "plugins:\n  providers:\n" +
    plugins.map((p) => `    - name: ${p.name}\n      path: ${JSON.stringify(p.path)}\n`).join("")
  );
}

export interface InlineStackOptions extends CommonStackOptions {
  program: PulumiFn;
  /** @default "engine-test" */
  projectName?: string;
}

export interface LocalStackOptions extends CommonStackOptions {
  /** A project directory (with Pulumi.yaml) copied into the sandbox; node_modules is not copied. */
  programDir?: string;
  /** Files written into the copy after programDir, e.g. `{ "index.ts": source }`. Without a
   * Pulumi.yaml, one for a TypeScript project with `main: index.ts` named "engine-test" is written. */
  files?: Record<string, string>;
}

export interface EngineStack {
  stack: Stack;
  workspace: LocalWorkspace;
  sandbox: Sandbox;
  cli: EngineCli;
  stackName: string;
  /** The program's directory (local stacks), or the repository root (inline stacks). */
  programDir: string;
  kind: "inline" | "local";
  /** Environment for running the CLI by hand in this stack's sandbox (PATH includes the CLI). */
  env: Record<string, string>;
  /** Processes started with spawnPulumi; cleanup kills any still running. */
  spawned: SpawnedPulumi[];
  /** False when the caller passed its own sandbox; cleanup then leaves it in place. */
  ownsSandbox: boolean;
}

/** An Automation API stack whose program is a function in this process. */
export async function inlineStack(options: InlineStackOptions): Promise<EngineStack> {
  const cli = await engineCli();
  const sandbox = options.sandbox ?? createSandbox();
  const projectName = options.projectName ?? "engine-test";
  const stackName = options.stackName ?? "test";
  const env = { ...sandbox.env, ...options.env };
  const workDir = fs.mkdtempSync(path.join(sandbox.dir, `${projectName}-`));
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, projectName, program: options.program },
    {
      workDir,
      pulumiHome: sandbox.pulumiHome,
      pulumiCommand: cli.command,
      envVars: env,
      projectSettings: {
        name: projectName,
        runtime: "nodejs",
        // The engine starts the dynamic-provider shim here; it resolves @pulumi/pulumi from it.
        main: REPO_ROOT,
        backend: { url: sandbox.backendUrl },
        // Not in the SDK's ProjectSettings type; written to Pulumi.yaml as given.
        ...(options.providerPlugins?.length
          ? { plugins: { providers: options.providerPlugins } }
          : {}),
      } as ProjectSettings,
    },
  );
  await setConfig(stack, options.config);
  return engineStack(stack, sandbox, !options.sandbox, cli, stackName, REPO_ROOT, "inline", env);
}

/** An Automation API stack over a project directory, run by the CLI's Node.js language host. */
export async function localStack(options: LocalStackOptions): Promise<EngineStack> {
  const sandbox = options.sandbox ?? createSandbox();
  const stackName = options.stackName ?? "test";
  const env = { ...sandbox.env, ...options.env };
  const programDir = fs.mkdtempSync(path.join(sandbox.dir, "program-"));
  if (options.programDir) {
    fs.cpSync(options.programDir, programDir, {
      recursive: true,
      filter: (src) =>
        path.basename(src) !== "node_modules" && !/^Pulumi\..+\.yaml$/.test(path.basename(src)),
    });
  }
  for (const [name, text] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(programDir, name)), { recursive: true });
    fs.writeFileSync(path.join(programDir, name), text);
  }
  const projectFile = path.join(programDir, "Pulumi.yaml");
  if (!fs.existsSync(projectFile)) {
    fs.writeFileSync(projectFile, "name: engine-test\nruntime: nodejs\nmain: index.ts\n");
  }
  if (options.providerPlugins?.length) {
    if (/^plugins:/m.test(fs.readFileSync(projectFile, "utf8")))
      throw new Error(
        `${projectFile} has a plugins section already; pass providerPlugins or keep it`,
      );
    fs.appendFileSync(projectFile, pluginsYaml(options.providerPlugins));
  }
  const cli = await engineCli({ languages: languagesOf(programDir) }).catch((err) => {
    if (!options.sandbox) sandbox.dispose();
    throw err;
  });
  // The program, ts-node and the dynamic-provider shim all resolve packages from here.
  fs.symlinkSync(
    path.join(REPO_ROOT, "node_modules"),
    path.join(programDir, "node_modules"),
    "dir",
  );
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir: programDir },
    { pulumiHome: sandbox.pulumiHome, pulumiCommand: cli.command, envVars: env },
  );
  await setConfig(stack, options.config);
  return engineStack(stack, sandbox, !options.sandbox, cli, stackName, programDir, "local", env);
}

/** The language hosts beyond Node.js a project needs: ["yaml"] for `runtime: yaml`. */
function languagesOf(programDir: string): string[] {
  const project = fs.readFileSync(path.join(programDir, "Pulumi.yaml"), "utf8");
  // `runtime: yaml` or `runtime:\n  name: yaml`
  return /^runtime:\s*(?:\n\s+name:\s*)?["']?yaml["']?\s*$/m.test(project) ? ["yaml"] : [];
}

function engineStack(
  stack: Stack,
  sandbox: Sandbox,
  ownsSandbox: boolean,
  cli: EngineCli,
  stackName: string,
  programDir: string,
  kind: "inline" | "local",
  env: Record<string, string>,
): EngineStack {
  return {
    stack,
    workspace: stack.workspace as LocalWorkspace,
    sandbox,
    cli,
    stackName,
    programDir,
    kind,
    env: { ...env, PATH: `${cli.binDir}${path.delimiter}${process.env.PATH ?? ""}` },
    spawned: [],
    ownsSandbox,
  };
}

async function setConfig(stack: Stack, config: StackConfig | undefined): Promise<void> {
  if (!config || Object.keys(config).length === 0) return;
  const map: ConfigMap = {};
  for (const [key, value] of Object.entries(config)) {
    map[key] =
      typeof value === "string" ? { value } : { value: value.value, secret: value.secret ?? false };
  }
  await stack.setAllConfig(map);
}

export interface CleanupOptions {
  /** Run `pulumi destroy` first. @default true */
  destroy?: boolean;
}

/**
 * Kills processes the test spawned, clears locks they left, destroys the stack's resources,
 * removes the stack and deletes the sandbox (unless the caller passed a shared one). A failed
 * destroy is rethrown after everything else is cleaned, so a test cannot hide leftovers.
 */
export async function cleanup(s: EngineStack, options: CleanupOptions = {}): Promise<void> {
  let destroyError: unknown;
  try {
    s.spawned.forEach((p) => p.kill());
    await Promise.all(s.spawned.map((p) => p.exited));
    // A killed CLI leaves the stack locked; `pulumi cancel` removes the lock files.
    if (s.spawned.length > 0) await s.stack.cancel();
    if (options.destroy !== false) {
      try {
        await s.stack.destroy();
      } catch (err) {
        destroyError = err;
      }
    }
    await s.workspace.removeStack(s.stackName, { force: true });
  } finally {
    fs.rmSync(s.workspace.workDir, { recursive: true, force: true }); // always inside the sandbox
    if (s.ownsSandbox) s.sandbox.dispose();
  }
  if (destroyError) throw destroyError;
}

/**
 * Runs `fn` with a fresh stack and always cleans up afterwards. An error from `fn` wins over one
 * from cleanup (which is then only logged).
 */
export async function withStack<T>(
  create: Promise<EngineStack> | (() => Promise<EngineStack>),
  fn: (s: EngineStack) => Promise<T>,
  options: CleanupOptions = {},
): Promise<T> {
  const s = await (typeof create === "function" ? create() : create);
  let result: T;
  try {
    result = await fn(s);
  } catch (err) {
    await cleanup(s, options).catch((cleanupErr) =>
      console.error("cleanup after a failed test also failed:", cleanupErr),
    );
    throw err;
  }
  await cleanup(s, options);
  return result;
}

/** A resource as recorded in the checkpoint (`pulumi stack export`). */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  inputs?: Record<string, any>;
  outputs?: Record<string, any>;
  initErrors?: string[];
  [field: string]: unknown;
}

export interface StackState {
  deployment: Deployment;
  resources: StateResource[];
  /** Operations the engine started but never saw finish (e.g. a killed `pulumi up`). */
  pendingOperations: { type: string; resource: StateResource }[];
}

/** Exports the stack's checkpoint. */
export async function stackState(s: EngineStack | Stack): Promise<StackState> {
  const stack = "stack" in s ? s.stack : s;
  const deployment = await stack.exportStack();
  return {
    deployment,
    resources: deployment.deployment?.resources ?? [],
    pendingOperations: deployment.deployment?.pending_operations ?? [],
  };
}

/** The resources of one type (e.g. "pulumi-nodejs:dynamic:Resource") in the checkpoint. */
export async function resourcesOfType(
  s: EngineStack | Stack,
  type: string,
): Promise<StateResource[]> {
  return (await stackState(s)).resources.filter((r) => r.type === type);
}

export const DYNAMIC_RESOURCE_TYPE = "pulumi-nodejs:dynamic:Resource";

export interface SpawnedPulumi {
  child: ChildProcess;
  pid: number;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves (never rejects) when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
  /** Resolves once the output matches; rejects on exit or timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /**
   * SIGKILLs the CLI and every process descended from it, as a crash of the machine would. The
   * engine starts each plugin in a process group of its own and the dynamic-provider plugin does not
   * notice the engine dying, so killing only the CLI's group would leave the provider running.
   * Returns false if the CLI had already exited.
   */
  kill(): boolean;
  /** SIGINT to the CLI's process group, as Ctrl-C in a terminal would (plugins are not in it). */
  interrupt(): void;
}

/**
 * Runs `pulumi <args> --stack <stack> --non-interactive` as a separate OS process in its own
 * process group, in a local stack's program directory. Inline stacks cannot be used: their program
 * lives in the test process.
 */
export function spawnPulumi(s: EngineStack, args: string[]): SpawnedPulumi {
  if (s.kind !== "local") {
    throw new Error(
      "spawnPulumi needs a local stack (localStack): an inline program runs inside the test process",
    );
  }
  const child = spawn(s.cli.pulumiPath, [...args, "--stack", s.stackName, "--non-interactive"], {
    cwd: s.programDir,
    env: { ...process.env, ...s.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  let running = true;
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    output: string;
  }>((resolve) =>
    child.on("close", (code, signal) => {
      running = false;
      listeners.forEach((l) => l());
      resolve({ code, signal, output });
    }),
  );
  const spawned: SpawnedPulumi = {
    child,
    pid: child.pid!,
    output: () => output,
    exited,
    waitForOutput(pattern, timeoutMs = 60000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) return done(() => resolve(match));
          if (!running)
            return done(() =>
              reject(new Error(`pulumi exited before printing ${pattern}:\n${output}`)),
            );
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(new Error(`no ${pattern} from pulumi within ${timeoutMs} ms:\n${output}`)),
            ),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    kill() {
      if (!running) return false;
      killProcessTree(child.pid!);
      return true;
    },
    interrupt() {
      if (running) trySignal(-child.pid!, "SIGINT");
    },
  };
  s.spawned.push(spawned);
  return spawned;
}

/** `pulumi up --yes --skip-preview` as a separate process (see spawnPulumi). */
export function spawnUp(s: EngineStack, extraArgs: string[] = []): SpawnedPulumi {
  return spawnPulumi(s, ["up", "--yes", "--skip-preview", ...extraArgs]);
}

/**
 * SIGKILLs a process, all its descendants and their process groups. Everything is stopped first,
 * so nothing can fork or react while the tree is collected.
 */
export function killProcessTree(rootPid: number): void {
  const stopped = new Set<number>();
  for (let changed = true; changed;) {
    changed = false;
    for (const pid of descendantsOf(rootPid)) {
      if (stopped.has(pid)) continue;
      trySignal(pid, "SIGSTOP");
      stopped.add(pid);
      changed = true;
    }
  }
  const ownGroup = processGroupOf(process.pid);
  const groups = new Set<number>();
  for (const pid of stopped) {
    const group = processGroupOf(pid);
    if (group && group !== ownGroup) groups.add(group);
    trySignal(pid, "SIGKILL");
  }
  for (const group of groups) trySignal(-group, "SIGKILL");
}

/** Processes whose working directory is inside `dir` (Linux /proc), e.g. plugins a test left behind. */
export function processesUnder(dir: string): { pid: number; cmdline: string }[] {
  const root = fs.realpathSync(dir);
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === root || cwd.startsWith(root + path.sep)) {
        const cmdline = fs
          .readFileSync(`/proc/${entry}/cmdline`, "utf8")
          .split("\0")
          .join(" ")
          .trim();
        found.push({ pid: Number(entry), cmdline });
      }
    } catch {
      /* gone, or not ours to inspect */
    }
  }
  return found;
}
function descendantsOf(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  const out = execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" });
  for (const line of out.split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (!pid) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const result = [rootPid];
  for (let i = 0; i < result.length; i++) result.push(...(children.get(result[i]) ?? []));
  return result;
}

function processGroupOf(pid: number): number | undefined {
  try {
    const out = execFileSync("ps", ["-o", "pgid=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return out ? Number(out) : undefined;
  } catch {
    return undefined;
  }
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}
