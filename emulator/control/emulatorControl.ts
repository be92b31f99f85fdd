// The control surface of the emulator, in process (`emu.control`) and over HTTP under
// `/_emulator/` (unsigned JSON; who may call it: controlAdmission.ts). Both call the same functions.
import { describeApplicationInstance } from "../panorama/applicationInstances";
import {
  forceApplicationInstanceStatus,
  settleApplicationInstance,
} from "../panorama/applicationInstanceStatus";
import { arrangeDeviceFault } from "../panorama/deviceFaults";
import { connectDevice, describeDevice, findDevice, seedDevices } from "../panorama/devices";
import { describePackageImportJob, findImportJob } from "../panorama/importJobs";
import { forceImportJobStatus, settleImportJob } from "../panorama/importJobOutcome";
import { settleDueTransitions } from "../panorama/dueTransitions";
import { describePackageVersion, settlePatch } from "../panorama/packageVersions";
import { FaultInjector, FaultRule, FaultRuleError, FaultRuleInput } from "./faults";
import { RateLimiter, RateLimitError, RateLimits, RateLimitsInput } from "./rateLimits";
import { RequestCounter, RequestCounts } from "./requestCounts";
import { Runtime } from "../state/runtime";
import { ensureBucket, putObject } from "../s3/store";
import { PACKAGE_IMPORT_JOB_STATUSES } from "../../model/panoramaTypes";
import {
  ApplicationInstanceStatus,
  DeviceEvent,
  DeviceFault,
  HealthStatus,
} from "../state/deviceRecords";
import { ImportJobStatus } from "../state/records";
import { EmulatorState, patchKey } from "../state/state";
import { ensureStorageBucket } from "../panorama/storage";
import { mergeTiming, TimingPatch, TimingSettings } from "../state/timing";

export interface ApplicationInstanceStatusChange {
  status: ApplicationInstanceStatus;
  healthStatus?: HealthStatus;
  statusDescription?: string;
}

export interface EmulatorControl {
  /** Back to the start-up condition: empty state, seeded devices, start-up timing, zero counts. */
  reset(): void;
  getTiming(): TimingSettings;
  /** Changes the timing of transitions started from now on. */
  setTiming(patch: TimingPatch): TimingSettings;
  /** Moves emulator time forward, settling everything that falls due. */
  advanceClock(ms: number): void;
  /** Ends a pending import job now with its natural outcome (manual mode, or early). */
  completeImportJob(jobId: string): Record<string, unknown>;
  /** Ends a pending import job now as FAILED with this StatusMessage. */
  failImportJob(jobId: string, message?: string): Record<string, unknown>;
  /** Sets a job's Status/StatusMessage directly, without side effects (refresh tests). */
  setImportJobStatus(
    jobId: string,
    status: ImportJobStatus,
    statusMessage?: string,
  ): Record<string, unknown>;
  /** Ends the pending deployment or removal of an instance now with its natural outcome. */
  completeApplicationInstance(applicationInstanceId: string): Record<string, unknown>;
  /** Ends the pending deployment (DEPLOYMENT_FAILED) or removal (REMOVAL_FAILED) with this description. */
  failApplicationInstance(applicationInstanceId: string, message?: string): Record<string, unknown>;
  setApplicationInstanceStatus(
    applicationInstanceId: string,
    change: ApplicationInstanceStatusChange,
  ): Record<string, unknown>;
  /** Ends a pending registration/deregistration of a patch now. */
  completePackageVersion(
    packageId: string,
    packageVersion: string,
    patchVersion: string,
  ): Record<string, unknown> | undefined;
  failPackageVersion(
    packageId: string,
    packageVersion: string,
    patchVersion: string,
    message?: string,
  ): Record<string, unknown>;
  /** A provisioned device's appliance has booted: ProvisioningStatus SUCCEEDED, ONLINE. */
  connectDevice(deviceId: string): Record<string, unknown>;
  /**
   * From now on, every deployment on the device that settles ends DEPLOYMENT_FAILED
   * (`deployment: "FAILED"`), or succeeds with health ERROR (`health: "ERROR"`, also applied at
   * once to what runs there); `message` is the StatusDescription. Undefined clears it.
   */
  setDeviceFault(
    deviceId: string,
    fault: Partial<DeviceFault> | undefined,
  ): Record<string, unknown>;
  /** What happened to application instances on the device, oldest first. */
  deviceHistory(deviceId: string): DeviceEvent[];
  requestCounts(): RequestCounts;
  resetRequestCounts(): void;
  /** The whole state as JSON-ready data (S3 bodies shown by size and ETag only). */
  state(): Record<string, unknown>;
  /** Writes an object straight into the emulator's S3 (creating the bucket), bypassing HTTP. */
  putObject(bucket: string, key: string, body: string | Buffer, contentType?: string): void;
  /** Adds a fault rule (faults.ts) and returns it with its id; later rules are tried after earlier ones. */
  addFault(rule: FaultRuleInput): FaultRule;
  /** The fault rules, with how often each matched and hit. */
  faults(): FaultRule[];
  /** Removes one fault rule (404 if there is none with this id). */
  removeFault(id: string): void;
  clearFaults(): void;
  getRateLimits(): RateLimits;
  /** `true`/`false` switches the service's rate limits on/off; an object also changes the rates. */
  setRateLimits(limits: RateLimitsInput): RateLimits;
}

/** The request hooks the control API manages. */
export interface ControlledHooks {
  faults: FaultInjector;
  rateLimiter: RateLimiter;
}

/** Thrown for control calls that cannot apply; the HTTP surface maps it to its status. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createControl(
  rt: Runtime,
  counter: RequestCounter,
  freshState: () => EmulatorState,
  changed: () => void,
  hooks: ControlledHooks,
): EmulatorControl {
  const settleFirst = <T>(f: () => T): T => {
    settleDueTransitions(rt);
    const out = f();
    rt.dirty = true;
    changed();
    return out;
  };
  const job = (id: string) => {
    const j = rt.state.importJobs[id];
    if (!j) throw new ControlError(404, `No import job ${id}.`);
    return j;
  };
  const pendingJob = (id: string) => {
    const j = job(id);
    if (!j.transition)
      throw new ControlError(409, `Import job ${id} is not pending (status ${j.status}).`);
    return j;
  };
  const app = (id: string) => {
    const a = rt.state.applicationInstances[id];
    if (!a) throw new ControlError(404, `No application instance ${id}.`);
    return a;
  };
  const pendingApp = (id: string) => {
    const a = app(id);
    if (!a.transition)
      throw new ControlError(
        409,
        `Application instance ${id} has no pending deployment or removal (status ${a.status}).`,
      );
    return a;
  };
  const pendingPatch = (packageId: string, version: string, patch: string) => {
    const p = rt.state.patches[patchKey(packageId, version, patch)];
    if (!p) throw new ControlError(404, `No patch ${patch} of ${packageId} ${version}.`);
    if (!p.transition)
      throw new ControlError(
        409,
        `Patch ${patch} of ${packageId} ${version} is not pending (status ${p.status}).`,
      );
    return p;
  };
  const device = (id: string) => {
    try {
      return findDevice(rt, id);
    } catch {
      throw new ControlError(404, `No device ${id}.`);
    }
  };
  const describeApp = (id: string) =>
    describeApplicationInstance(rt, { ApplicationInstanceId: id });

  return {
    reset() {
      rt.state = freshState();
      rt.timing = structuredClone(rt.options.timing);
      hooks.faults.reset();
      hooks.rateLimiter.reset();
      counter.reset();
      rt.dirty = true;
      changed();
    },
    getTiming: () => structuredClone(rt.timing),
    setTiming(patch) {
      try {
        rt.timing = mergeTiming(rt.timing, patch);
      } catch (e) {
        throw new ControlError(400, (e as Error).message);
      }
      return structuredClone(rt.timing);
    },
    advanceClock(ms) {
      try {
        rt.clock.advance(ms);
      } catch (e) {
        throw new ControlError(400, (e as Error).message);
      }
      settleFirst(() => undefined);
    },
    completeImportJob: (id) =>
      settleFirst(() => {
        settleImportJob(rt, pendingJob(id), rt.clock.now());
        return describePackageImportJob(rt, { JobId: id });
      }),
    failImportJob: (id, message) =>
      settleFirst(() => {
        settleImportJob(
          rt,
          pendingJob(id),
          rt.clock.now(),
          message || "The import job was failed by the emulator control API.",
        );
        return describePackageImportJob(rt, { JobId: id });
      }),
    setImportJobStatus: (id, status, statusMessage) =>
      settleFirst(() => {
        if (!PACKAGE_IMPORT_JOB_STATUSES.includes(status))
          throw new ControlError(
            400,
            `status must be one of ${PACKAGE_IMPORT_JOB_STATUSES.join(", ")}, got ${status}.`,
          );
        forceImportJobStatus(rt, findJobOr404(id), status, statusMessage);
        return describePackageImportJob(rt, { JobId: id });
      }),
    completeApplicationInstance: (id) =>
      settleFirst(() => {
        settleApplicationInstance(rt, pendingApp(id), rt.clock.now());
        return describeApp(id);
      }),
    failApplicationInstance: (id, message) =>
      settleFirst(() => {
        settleApplicationInstance(
          rt,
          pendingApp(id),
          rt.clock.now(),
          message || "The operation was failed by the emulator control API.",
        );
        return describeApp(id);
      }),
    setApplicationInstanceStatus: (id, change) =>
      settleFirst(() => {
        forceApplicationInstanceStatus(
          rt,
          app(id),
          change.status,
          change.healthStatus,
          change.statusDescription,
        );
        return describeApp(id);
      }),
    completePackageVersion: (packageId, version, patch) =>
      settleFirst(() => {
        const p = pendingPatch(packageId, version, patch);
        settlePatch(rt, p, rt.clock.now());
        return rt.state.patches[patchKey(packageId, version, patch)]
          ? describePackageVersion(rt, {
              PackageId: packageId,
              PackageVersion: version,
              PatchVersion: patch,
            })
          : undefined;
      }),
    failPackageVersion: (packageId, version, patch, message) =>
      settleFirst(() => {
        const p = pendingPatch(packageId, version, patch);
        if (p.transition?.kind !== "register")
          throw new ControlError(409, "Only a pending registration can be failed.");
        settlePatch(
          rt,
          p,
          rt.clock.now(),
          message || "The registration was failed by the emulator control API.",
        );
        return describePackageVersion(rt, {
          PackageId: packageId,
          PackageVersion: version,
          PatchVersion: patch,
        });
      }),
    connectDevice: (id) =>
      settleFirst(() => {
        connectDevice(rt, device(id));
        return describeDevice(rt, { DeviceId: id });
      }),
    setDeviceFault: (id, fault) =>
      settleFirst(() => {
        arrangeDeviceFault(rt, device(id), fault && checkedDeviceFault(fault));
        return { deviceId: id, fault: device(id).fault ?? null };
      }),
    deviceHistory: (id) => {
      settleDueTransitions(rt);
      return structuredClone(device(id).history);
    },
    requestCounts: () => counter.snapshot(),
    resetRequestCounts: () => counter.reset(),
    state() {
      settleDueTransitions(rt);
      return dumpState(rt.state, rt);
    },
    putObject(bucket, key, body, contentType) {
      ensureBucket(rt.state, bucket, rt.clock.now());
      putObject(rt, bucket, key, {
        data: Buffer.isBuffer(body) ? body : Buffer.from(body),
        contentType,
      });
      rt.dirty = true;
      changed();
    },
    addFault(rule) {
      try {
        return hooks.faults.add(rule);
      } catch (e) {
        if (e instanceof FaultRuleError) throw new ControlError(400, e.message);
        throw e;
      }
    },
    faults: () => hooks.faults.list(),
    removeFault(id) {
      if (!hooks.faults.remove(id)) throw new ControlError(404, `No fault rule ${id}.`);
    },
    clearFaults: () => hooks.faults.clear(),
    getRateLimits: () => hooks.rateLimiter.get(),
    setRateLimits(limits) {
      try {
        return hooks.rateLimiter.set(limits);
      } catch (e) {
        if (e instanceof RateLimitError) throw new ControlError(400, e.message);
        throw e;
      }
    },
  };

  function findJobOr404(id: string) {
    try {
      return findImportJob(rt, id);
    } catch {
      throw new ControlError(404, `No import job ${id}.`);
    }
  }
}

function checkedDeviceFault(f: Partial<DeviceFault>): DeviceFault {
  if (f.deployment !== undefined && f.deployment !== "FAILED")
    throw new ControlError(
      400,
      `deployment must be "FAILED", got ${JSON.stringify(f.deployment)}.`,
    );
  if (f.health !== undefined && f.health !== "ERROR")
    throw new ControlError(400, `health must be "ERROR", got ${JSON.stringify(f.health)}.`);
  if (!f.deployment === !f.health)
    throw new ControlError(400, 'Give exactly one of deployment: "FAILED" or health: "ERROR".');
  const message =
    f.message ||
    (f.deployment
      ? "The deployment was failed by the emulator control API."
      : "The application reported an error to the emulator control API.");
  return {
    ...(f.deployment && { deployment: f.deployment }),
    ...(f.health && { health: f.health }),
    message,
  };
}

/** A fresh state: seeded devices and the package storage bucket. */
export function initialState(rt: Runtime, empty: () => EmulatorState): EmulatorState {
  const previous = rt.state;
  rt.state = empty();
  seedDevices(rt);
  ensureStorageBucket(rt);
  const fresh = rt.state;
  rt.state = previous;
  return fresh;
}

function dumpState(state: EmulatorState, rt: Runtime): Record<string, unknown> {
  return {
    accountId: rt.options.accountId,
    region: rt.options.region,
    now: rt.clock.now(),
    clockOffsetMs: rt.clock.offsetMs(),
    timing: rt.timing,
    ...state,
    buckets: Object.fromEntries(
      Object.entries(state.buckets).map(([name, b]) => [
        name,
        {
          createdAt: b.createdAt,
          objects: Object.fromEntries(
            Object.entries(b.objects).map(([key, o]) => [
              key,
              {
                size: o.size,
                sha256: o.sha256,
                etag: o.etag,
                contentType: o.contentType,
                lastModified: o.lastModified,
              },
            ]),
          ),
        },
      ]),
    ),
  };
}

// ---- HTTP surface -------------------------------------------------------------------------

export interface ControlHttpResponse {
  status: number;
  body: unknown;
}

/** Routes `/_emulator/...` requests to the control functions. */
export function handleControlHttp(
  control: EmulatorControl,
  method: string,
  segments: string[],
  body: Buffer,
): ControlHttpResponse {
  let input: any = {};
  if (body.length) {
    try {
      input = JSON.parse(body.toString("utf8"));
    } catch {
      return { status: 400, body: { error: "The control request body must be JSON." } };
    }
  }
  const ok = (b: unknown = { ok: true }) => ({ status: 200, body: b ?? { ok: true } });
  const [area, id, ...rest] = segments;
  const action = rest.join("/");
  try {
    if (method === "GET" && area === "health" && !id) return ok({ ok: true });
    if (method === "POST" && area === "reset" && !id) return (control.reset(), ok());
    if (area === "timing" && !id)
      return method === "GET"
        ? ok(control.getTiming())
        : method === "POST"
          ? ok(control.setTiming(input))
          : notAllowed();
    if (method === "GET" && area === "requests" && !id) return ok(control.requestCounts());
    if (method === "POST" && area === "requests" && id === "reset")
      return (control.resetRequestCounts(), ok());
    if (method === "GET" && area === "state" && !id) return ok(control.state());
    if (method === "POST" && area === "clock" && id === "advance")
      return (control.advanceClock(Number(input.ms)), ok());
    if (area === "faults" && rest.length === 0) {
      if (method === "GET" && !id) return ok({ faults: control.faults() });
      if (method === "POST" && !id) return ok(control.addFault(input));
      if (method === "DELETE") return (id ? control.removeFault(id) : control.clearFaults(), ok());
      return notAllowed("GET, POST or DELETE");
    }
    if (area === "rate-limits" && !id) {
      if (method === "GET") return ok(control.getRateLimits());
      if (method === "POST") return ok(control.setRateLimits(input));
      if (method === "DELETE") return ok(control.setRateLimits(false));
      return notAllowed("GET, POST or DELETE");
    }
    if (method === "POST" && area === "import-jobs" && id) {
      if (action === "complete") return ok(control.completeImportJob(id));
      if (action === "fail") return ok(control.failImportJob(id, input.message));
      if (action === "status")
        return ok(control.setImportJobStatus(id, input.status, input.statusMessage));
    }
    if (method === "POST" && area === "application-instances" && id) {
      if (action === "complete") return ok(control.completeApplicationInstance(id));
      if (action === "fail") return ok(control.failApplicationInstance(id, input.message));
      if (action === "status") return ok(control.setApplicationInstanceStatus(id, input));
    }
    if (area === "devices" && id) {
      if (method === "POST" && action === "connect") return ok(control.connectDevice(id));
      if (action === "fault" && method === "POST") return ok(control.setDeviceFault(id, input));
      if (action === "fault" && method === "DELETE")
        return ok(control.setDeviceFault(id, undefined));
      if (action === "history" && method === "GET")
        return ok({ history: control.deviceHistory(id) });
    }
    if (method === "POST" && area === "package-versions" && id && rest.length === 3) {
      const [version, patch, verb] = rest;
      if (verb === "complete") return ok(control.completePackageVersion(id, version, patch));
      if (verb === "fail") return ok(control.failPackageVersion(id, version, patch, input.message));
    }
    return {
      status: 404,
      body: { error: `No control endpoint ${method} /_emulator/${segments.join("/")}.` },
    };
  } catch (e) {
    if (e instanceof ControlError) return { status: e.status, body: { error: e.message } };
    throw e;
  }
}

function notAllowed(methods = "GET or POST"): ControlHttpResponse {
  return { status: 405, body: { error: `Use ${methods}.` } };
}
