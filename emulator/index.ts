// Public entry point of the emulator: `startEmulator(options)` starts a local Panorama + S3
// server that unmodified AWS SDK clients reach with only an endpoint override.
import * as path from "path";
import { createServiceClock } from "./state/serviceClock";
import { createControl } from "./control/createControl";
import { EmulatorControl } from "./control/emulatorControl";
import { initialState } from "./control/reset";
import { FaultInjector } from "./control/faults";
import { RateLimiter } from "./control/rateLimits";
import { EmulatorOptions, resolveOptions } from "./options";
import { MemoryBlobStore } from "./state/blobs";
import { openStateFile, StatePathError, StateSaver } from "./state/persistence";
import { RequestCounter } from "./control/requestCounts";
import { Runtime } from "./state/runtime";
import { SecretBox } from "./state/secrets";
import { listen } from "./server/httpServer";
import { createRequestListener } from "./server/pipeline";
import { emptyState, liveBodies } from "./state/state";
import { ensureStorageBucket, storageBucketName } from "./panorama/storage";

export interface RunningEmulator {
  /** Base URL for SDK clients' `endpoint` (Panorama and S3 share it; S3 needs `forcePathStyle`). */
  url: string;
  port: number;
  accountId: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Whether any other access key id is accepted too (options.acceptAnyAccessKey). */
  acceptAnyAccessKey: boolean;
  /** The S3 bucket holding every package's storage location. */
  storageBucket: string;
  control: EmulatorControl;
  /** The bearer token the `/_emulator/` HTTP API requires, when one is set (options.controlToken). */
  controlToken?: string;
  /** Closes the server (and open connections) and writes the state file, if any. */
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const startedAt = Date.now();
  const stored = resolved.stateFile ? openStateFile(resolved.stateFile) : undefined;
  const rt: Runtime = {
    state: emptyState(),
    blobs: stored?.blobs ?? new MemoryBlobStore(() => liveBodies(rt.state)),
    secrets: stored?.secrets ?? SecretBox.inMemory(),
    options: resolved,
    timing: structuredClone(resolved.timing),
    clock: resolved.frozenClock ? createServiceClock(() => startedAt) : createServiceClock(),
    random: Math.random,
    log: resolved.log,
    dirty: false,
  };
  const fresh = () => initialState(rt, emptyState);
  rt.state = stored?.state ?? fresh();
  ensureStorageBucket(rt);
  // Bodies no saved state refers to (left by a reset, a delete or an interrupted save) go now.
  stored?.blobs.collect(liveBodies(rt.state));

  const saver = resolved.stateFile
    ? new StateSaver(path.resolve(resolved.stateFile), () => rt.state, resolved.logError)
    : undefined;
  // The first save proves the path writable before the emulator answers anyone.
  await saver?.save().catch((e) => {
    throw new StatePathError(`stateFile ${saver.file} is not writable: ${(e as Error).message}`);
  });
  const persist = () => saver?.save() ?? Promise.resolve();
  const settled = () => saver?.settled() ?? Promise.resolve();
  // In-process control calls have no reply to hold back; a failed save is logged and retried with the next change.
  const changed = () => void persist().catch(() => undefined);
  const counter = new RequestCounter();
  const faults = new FaultInjector(resolved.faults, () => counter.recordFault());
  const rateLimiter = new RateLimiter(resolved.rateLimits, () => counter.recordThrottled());
  const control = createControl({
    rt,
    counter,
    faults,
    rateLimiter,
    freshState: fresh,
    changed,
  });
  const server = await listen(
    createRequestListener({
      rt,
      // Throttling happens at the front door, before a fault rule (or a caller's hook) sees the request.
      settings: { ...resolved, hooks: [rateLimiter, faults, ...resolved.hooks] },
      counter,
      control,
      persist,
      settled,
    }),
    { host: resolved.host, port: resolved.port, timeouts: resolved.serverTimeouts },
  );
  const { port, url } = server;
  rt.log(
    `Panorama + S3 emulator listening on ${url} (account ${resolved.accountId}, region ${resolved.region})`,
  );
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    accountId: resolved.accountId,
    region: resolved.region,
    credentials: { ...resolved.credentials },
    acceptAnyAccessKey: resolved.acceptAnyAccessKey,
    storageBucket: storageBucketName(resolved.accountId),
    control,
    controlToken: resolved.controlToken,
    stop() {
      stopped ??= server.close().then(async () => {
        if (!saver) return;
        await saver.save();
        stored!.blobs.collect(liveBodies(rt.state));
      });
      return stopped;
    },
  };
}

export type { EmulatorOptions } from "./options";
export type { ServerTimeouts } from "./server/httpServer";
export type { DeviceSeed, Quotas } from "./state/settings";
export type { BodyLimits } from "./server/pipelineDeps";
export {
  DEFAULT_CREDENTIALS,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  DEFAULT_QUOTAS,
  DEFAULT_DEVICES,
} from "./options";
export { DEFAULT_SERVER_TIMEOUTS } from "./server/httpServer";
export type { FaultAction, FaultRule, FaultRuleInput } from "./control/faultRules";
export type { RateLimits, RateLimitsInput } from "./control/emulatorControl";
export { SERVICE_RATE_LIMITS } from "./control/rateLimits";
export type { EmulatorControl, ApplicationInstanceStatusChange } from "./control/emulatorControl";
export type {
  Lifecycle,
  LifecycleTiming,
  TimingPatch,
  TimingSettings,
  TransitionMode,
} from "./state/timing";
export { DEFAULT_TIMING, LIFECYCLES, TRANSITION_MODES } from "./state/timing";
export type { RequestCounts } from "./control/emulatorControl";
export type { RequestHook, HookContext, HookDecision } from "./control/requestHooks";
export { storageBucketName, storageLocation } from "./panorama/storage";
// Types the API above names, so users can name them too.
export { FAULT_ACTIONS } from "./control/faultRules";
export type { Credentials } from "./protocol/sigv4";
export type { StorageLocation } from "./state/records";
export type {
  DeviceEvent,
  DeviceEventKind,
  DeviceFault,
  DeviceJobStatus,
} from "./state/deviceRecords";
export type { TemplateJobStatus } from "./state/nodeRecords";
