// The control surface of the emulator, in process (`emu.control`) and over HTTP under
// `/_emulator/` (controlHttp.ts; who may call it: admission.ts). Both call the same functions,
// one file per concern: reset.ts, timing.ts, stateDump.ts, requestCounts.ts, faults.ts,
// rateLimits.ts, and the forced outcomes per service area (importJobs.ts, applicationInstances.ts,
// packageVersions.ts, devices.ts); createControl.ts puts them together.
import type {
  ApplicationInstanceStatus,
  DeviceEvent,
  DeviceJobStatus,
  DeviceFault,
  HealthStatus,
} from "../state/deviceRecords";
import type { TemplateJobStatus } from "../state/nodeRecords";
import type { ImportJobStatus } from "../state/records";
import type { TimingPatch, TimingSettings } from "../state/timing";
import type { FaultRule, FaultRuleInput } from "./faultRules";

/** Rate limits like the service's (rateLimits.ts applies them). */
export interface RateLimits {
  enabled: boolean;
  /** Panorama requests per second for the whole account. @default 5 */
  overallPerSecond: number;
  /** Requests per second for each Create*, Register*, Deregister*, Delete* and Remove* operation. @default 1 */
  createPerSecond: number;
}

/** `true` turns the limits on with the service's rates; an object also changes the rates. */
export type RateLimitsInput = boolean | Partial<RateLimits>;

/** How many requests the emulator answered (requestCounts.ts counts them). */
export interface RequestCounts {
  total: number;
  byOperation: Record<string, number>;
  /** Requests refused with 429 by the emulated rate limits (also counted under their operation). */
  throttled: number;
  /** Requests a fault rule affected (also counted under their operation). */
  faults: number;
}

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
  /** Ends a pending camera-node template job now with its natural outcome. */
  completeTemplateJob(jobId: string): Record<string, unknown>;
  /** Ends a pending template job now as FAILED with this StatusMessage. */
  failTemplateJob(jobId: string, message?: string): Record<string, unknown>;
  setTemplateJobStatus(
    jobId: string,
    status: TemplateJobStatus,
    statusMessage?: string,
  ): Record<string, unknown>;
  /** For each given template parameter, whether it is the value the job was created with. */
  templateJobParametersMatch(
    jobId: string,
    values: Record<string, string>,
  ): Record<string, boolean>;
  /** Ends the pending deployment or removal of an instance now with its natural outcome. */
  completeApplicationInstance(applicationInstanceId: string): Record<string, unknown>;
  /** Ends the pending deployment (DEPLOYMENT_FAILED) or removal (REMOVAL_FAILED) with this description. */
  failApplicationInstance(applicationInstanceId: string, message?: string): Record<string, unknown>;
  setApplicationInstanceStatus(
    applicationInstanceId: string,
    change: ApplicationInstanceStatusChange,
  ): Record<string, unknown>;
  /** Applies every PAUSE / RESUME still pending for the instance now; answers its node instances. */
  applyNodeSignals(applicationInstanceId: string): Record<string, unknown>;
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
  /** Ends a running OTA or REBOOT job now, COMPLETED (an OTA installs its image). */
  completeDeviceJob(jobId: string): Record<string, unknown>;
  /** Ends a running device job now, FAILED (the message goes to the log). */
  failDeviceJob(jobId: string, message?: string): Record<string, unknown>;
  /** Sets a device job's Status directly, without side effects (refresh tests). */
  setDeviceJobStatus(jobId: string, status: DeviceJobStatus): Record<string, unknown>;
  /** A provisioned device's appliance has booted: ProvisioningStatus SUCCEEDED, ONLINE. */
  connectDevice(deviceId: string): Record<string, unknown>;
  /**
   * From now on, every deployment on the device that settles ends DEPLOYMENT_FAILED
   * (`deployment: "FAILED"`), or succeeds with health ERROR (`health: "ERROR"`, also applied at
   * once to what runs there), or every OTA or REBOOT job there that settles ends FAILED
   * (`deviceJob: "FAILED"`); `message` is the StatusDescription. Undefined clears it.
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
  /** Adds a fault rule (faultRules.ts) and returns it with its id; later rules are tried after earlier ones. */
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
