// Start-up options of the emulator, each with its default, and their resolution into the
// settings the server runs with. Impossible combinations are refused here with a message that
// says what to change.
import { isIP } from "net";
import { Credentials } from "./protocol/sigv4";
import { DEFAULT_SERVER_TIMEOUTS, ServerTimeouts } from "./server/httpServer";
import { BodyLimits, DEFAULT_BODY_LIMITS, PipelineSettings } from "./server/pipelineDeps";
import { DeviceSeed, Quotas, ServiceSettings } from "./state/settings";
import { DEFAULT_TIMING, mergeTiming, TimingPatch, TimingSettings } from "./state/timing";
import { RequestHook } from "./control/requestHooks";
import { FaultRuleInput } from "./control/faultRules";
import type { RateLimits, RateLimitsInput } from "./control/emulatorControl";
import { NO_RATE_LIMITS, resolveRateLimits, SERVICE_RATE_LIMITS } from "./control/rateLimits";

/** Test credentials; anything signed with other credentials is refused with 403. */
export const DEFAULT_CREDENTIALS: Credentials = {
  accessKeyId: "AKIDEMULATOR",
  secretAccessKey: "emulator-secret",
};
export const DEFAULT_ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "us-east-1";
export const DEFAULT_HOST = "127.0.0.1";
/** Environment variable read when the `controlToken` option is absent. */
export const CONTROL_TOKEN_ENV = "PANORAMA_EMULATOR_CONTROL_TOKEN";
const MIN_CONTROL_TOKEN_LENGTH = 16;

export const DEFAULT_DEVICES: DeviceSeed[] = [
  { name: "emulator-device", description: "Seeded by the Panorama emulator" },
];

/** `count` devices named emulator-device-1 … emulator-device-<count>. */
export function numberedDevices(count: number): DeviceSeed[] {
  if (!Number.isInteger(count) || count < 0 || count > 1000)
    throw new Error(
      `devices must be a whole number from 0 to 1000 or a list of device seeds, got ${count}`,
    );
  return Array.from({ length: count }, (_, i) => ({
    name: `emulator-device-${i + 1}`,
    description: "Seeded by the Panorama emulator",
  }));
}

export const DEFAULT_QUOTAS: Quotas = {
  packages: 50,
  patchesPerPackage: 20,
  applicationInstancesPerDevice: 10,
};

export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. Anything but loopback exposes the emulator to the network. @default "127.0.0.1" */
  host?: string;
  /** The credentials the SigV4 check verifies. @default DEFAULT_CREDENTIALS */
  credentials?: Credentials;
  /**
   * Also accept requests signed with any other access key id (LocalStack's `test`/`test`, say).
   * Their secret is unknown to the emulator, so their signatures are checked for shape, date and
   * scope, not value (see SigV4Policy in protocol/sigv4.ts); `credentials` still verify in full.
   * @default false
   */
  acceptAnyAccessKey?: boolean;
  /** 12 digits; appears in ARNs, storage prefixes and graph.json package names. @default "123456789012" */
  accountId?: string;
  /** Region written into ARNs. @default "us-east-1" */
  region?: string;
  /** Per-lifecycle transition mode and duration. @default DEFAULT_TIMING */
  timing?: TimingPatch;
  /**
   * Emulator time stands still at the start time and moves only with `advanceClock`, so timed
   * transitions never settle by themselves while a slow machine runs a test. SigV4 checks keep
   * using real time. @default false (emulator time follows the wall clock)
   */
  frozenClock?: boolean;
  /**
   * Devices present at start and after every reset; a number seeds that many, named
   * emulator-device-1 … emulator-device-N. @default one device named "emulator-device"
   */
  devices?: DeviceSeed[] | number;
  /** @default DEFAULT_QUOTAS */
  quotas?: Partial<Quotas>;
  /** Request body limits; larger bodies get 413. @default DEFAULT_BODY_LIMITS */
  maxBodyBytes?: Partial<BodyLimits>;
  /**
   * JSON file the state is loaded from at start and saved to before each change is answered; S3
   * bodies go to `<stateFile>.bodies/`. A path the emulator cannot use fails the start. @default none
   */
  stateFile?: string;
  /**
   * Receives one line per request and lifecycle event; false or absent keeps quiet (failed saves
   * then go to stderr). @default false
   */
  log?: ((line: string) => void) | false;
  /**
   * Bearer token for the `/_emulator/` control API, for deliberate use from other hosts: when set,
   * every control request must carry `Authorization: Bearer <token>`, and then any Host is accepted.
   * At least 16 characters. @default process.env.PANORAMA_EMULATOR_CONTROL_TOKEN, else none (loopback only)
   */
  controlToken?: string;
  /** Request pipeline hooks, consulted after the rate limits and the fault rules. @default [] */
  hooks?: RequestHook[];
  /** Fault rules installed at start and again on every reset (see control/faultRules.ts). @default [] */
  faults?: FaultRuleInput[];
  /**
   * The real service's request rate limits (5/s per account, 1/s per create/modify operation),
   * answered with 429 ThrottlingException; an object changes the rates. @default false
   */
  rateLimits?: RateLimitsInput;
  /** How long slow clients may take to send a request. @default DEFAULT_SERVER_TIMEOUTS */
  serverTimeouts?: Partial<ServerTimeouts>;
}

/** The options resolved: what the services run with, what the server reads, and how to start. */
export interface ResolvedOptions extends ServiceSettings, PipelineSettings {
  port: number;
  host: string;
  frozenClock: boolean;
  stateFile?: string;
  log: (line: string) => void;
  /** Where failures the operator must see go: the log, or stderr when there is none. */
  logError: (line: string) => void;
  faults: FaultRuleInput[];
  rateLimits: RateLimits;
  serverTimeouts: ServerTimeouts;
}

export function resolveOptions(o: EmulatorOptions = {}): ResolvedOptions {
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`port must be an integer between 0 and 65535, got ${o.port}`);
  const host = o.host ?? DEFAULT_HOST;
  if (host !== "localhost" && !isIP(host))
    throw new Error(`host must be an IP address or "localhost", got ${JSON.stringify(host)}`);
  const accountId = o.accountId ?? DEFAULT_ACCOUNT_ID;
  if (!/^\d{12}$/.test(accountId))
    throw new Error(`accountId must be 12 digits, got ${JSON.stringify(accountId)}`);
  const region = o.region ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new Error(`region must look like us-east-1, got ${JSON.stringify(region)}`);
  const credentials = o.credentials ?? DEFAULT_CREDENTIALS;
  if (!credentials.accessKeyId || !credentials.secretAccessKey)
    throw new Error("credentials need both accessKeyId and secretAccessKey");
  const devices =
    typeof o.devices === "number" ? numberedDevices(o.devices) : (o.devices ?? DEFAULT_DEVICES);
  const names = new Set<string>();
  for (const d of devices) {
    if (!/^[a-zA-Z0-9\-_]{1,255}$/.test(d.name))
      throw new Error(`device name ${JSON.stringify(d.name)} must match ^[a-zA-Z0-9\\-\\_]+$`);
    for (const key of ["currentSoftware", "latestSoftware"] as const)
      if (d[key] !== undefined && !/^\d+\.\d+\.\d+$/.test(d[key]!))
        throw new Error(
          `device ${d.name}: ${key} must be a version like 6.2.1, got ${JSON.stringify(d[key])}`,
        );
    if (names.has(d.name))
      throw new Error(`device name ${d.name} is seeded twice; device names must be unique`);
    names.add(d.name);
  }
  const quotas = { ...DEFAULT_QUOTAS, ...o.quotas };
  for (const [k, v] of Object.entries(quotas))
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`quotas.${k} must be a positive integer, got ${v}`);
  const controlToken = o.controlToken ?? (process.env[CONTROL_TOKEN_ENV] || undefined);
  if (
    controlToken !== undefined &&
    (typeof controlToken !== "string" ||
      controlToken.length < MIN_CONTROL_TOKEN_LENGTH ||
      /\s/.test(controlToken))
  )
    throw new Error(
      `controlToken (or ${CONTROL_TOKEN_ENV}) must be at least ${MIN_CONTROL_TOKEN_LENGTH} characters without spaces`,
    );
  const serverTimeouts = { ...DEFAULT_SERVER_TIMEOUTS, ...o.serverTimeouts };
  for (const [k, v] of Object.entries(serverTimeouts))
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`serverTimeouts.${k} must be a positive number of milliseconds, got ${v}`);
  if (serverTimeouts.requestMs < serverTimeouts.headersMs)
    throw new Error(
      `serverTimeouts.requestMs (${serverTimeouts.requestMs}) must be at least serverTimeouts.headersMs (${serverTimeouts.headersMs})`,
    );
  return {
    port,
    host,
    acceptAnyAccessKey: o.acceptAnyAccessKey ?? false,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
    },
    accountId,
    region,
    timing: mergeTiming(DEFAULT_TIMING, o.timing),
    frozenClock: o.frozenClock ?? false,
    devices,
    quotas,
    maxBodyBytes: { ...DEFAULT_BODY_LIMITS, ...o.maxBodyBytes },
    stateFile: o.stateFile,
    log: o.log ? o.log : () => {},
    logError: o.log ? o.log : (line) => console.error(`[panorama-emulator] ${line}`),
    controlToken,
    hooks: o.hooks ?? [],
    faults: o.faults ?? [],
    rateLimits: resolveRateLimits(
      o.rateLimits,
      o.rateLimits ? SERVICE_RATE_LIMITS : NO_RATE_LIMITS,
    ),
    serverTimeouts,
  };
}
