// The command line of `pulumi-panorama-emulator`: its flags and environment, the usage text, and
// their translation into emulator options (a bad flag is refused with a message naming it).
import { parseArgs } from "util";
import { DEFAULT_ACCOUNT_ID, DEFAULT_CREDENTIALS, DEFAULT_REGION, EmulatorOptions } from "./index";
import { CONTROL_TOKEN_ENV, numberedDevices } from "./options";
import { DeviceSeed } from "./state/settings";
import { LIFECYCLES, TimingPatch, TRANSITION_MODES, TransitionMode } from "./state/timing";

export const DEFAULT_CLI_PORT = 4566;
/** Read when the matching flag is absent; the flag wins when both are given. */
export const ACCESS_KEY_ID_ENV = "PANORAMA_EMULATOR_ACCESS_KEY_ID";
export const SECRET_ACCESS_KEY_ENV = "PANORAMA_EMULATOR_SECRET_ACCESS_KEY";
/** `1` or `true` turns --accept-any-key on. */
export const ACCEPT_ANY_KEY_ENV = "PANORAMA_EMULATOR_ACCEPT_ANY_KEY";

export const USAGE = `Usage: pulumi-panorama-emulator [options]

  --port <n>                         TCP port (default ${DEFAULT_CLI_PORT}; 0 picks a free one)
  --host <ip>                        interface to listen on (default 127.0.0.1)
  --access-key-id <id>               accepted access key id (default $${ACCESS_KEY_ID_ENV}, else ${DEFAULT_CREDENTIALS.accessKeyId})
  --secret-access-key <secret>       accepted secret (default $${SECRET_ACCESS_KEY_ENV}, else ${DEFAULT_CREDENTIALS.secretAccessKey});
                                     prefer the variable: a flag is visible to every user in the process list
  --accept-any-key                   also accept any other access key id (e.g. test/test): its signature is
                                     checked for shape, date and scope, not value (the secret is unknown)
  --account-id <12 digits>           account in ARNs and storage prefixes (default ${DEFAULT_ACCOUNT_ID})
  --region <region>                  region in ARNs (default ${DEFAULT_REGION})
  --transition-mode <mode>           ${TRANSITION_MODES.join(" | ")} for every lifecycle (default timed)
  --import-job-duration-ms <n>       PENDING → SUCCEEDED/FAILED time of import jobs
  --deployment-duration-ms <n>       application deployment time
  --removal-duration-ms <n>          application removal time
  --package-version-duration-ms <n>  RegisterPackageVersion / DeregisterPackageVersion time
  --template-job-duration-ms <n>     PENDING → SUCCEEDED time of camera-node template jobs
  --device-update-duration-ms <n>    OTA device job time, PENDING → COMPLETED
  --device-reboot-duration-ms <n>    REBOOT device job time, PENDING → COMPLETED
  --node-signal-duration-ms <n>      time until a PAUSE / RESUME shows in the node instance (default 0)
  --devices <n>                      seed n devices named emulator-device-1 … emulator-device-<n> (default: one, emulator-device)
  --device <name>[,id=<device id>][,description=<text>][,software=<version>][,latest=<version>]
                                     seed a device with this name (software installed and offered,
                                     default 6.2.1); repeatable; after the --devices ones
  --state-file <path>                load state from and save it to this JSON file (S3 bodies in <path>.bodies/);
                                     every change is on disk before it is answered
  --rate-limits                      throttle like the service: 5 requests/s, 1/s per create operation (429)
  --fault <json>                     a fault rule, e.g. '{"operation":"CreatePackageImportJob","error":"InternalServerException","count":2}';
                                     repeatable; more with POST /_emulator/faults
  --quiet                            do not log requests
  --version                          print the version and exit
  --help                             show this text

Environment:
  ${ACCESS_KEY_ID_ENV}, ${SECRET_ACCESS_KEY_ENV}
                                     the accepted credentials, when the flags are absent
  ${ACCEPT_ANY_KEY_ENV}=1   as --accept-any-key
  ${CONTROL_TOKEN_ENV}    bearer token the /_emulator/ control API then requires (at least 16
                                     characters); without it the control API answers loopback clients only
`;

const FLAGS = {
  port: { type: "string", default: String(DEFAULT_CLI_PORT) },
  host: { type: "string" },
  "access-key-id": { type: "string" },
  "secret-access-key": { type: "string" },
  "accept-any-key": { type: "boolean", default: false },
  "account-id": { type: "string" },
  region: { type: "string" },
  "transition-mode": { type: "string" },
  "import-job-duration-ms": { type: "string" },
  "deployment-duration-ms": { type: "string" },
  "removal-duration-ms": { type: "string" },
  "package-version-duration-ms": { type: "string" },
  "template-job-duration-ms": { type: "string" },
  "device-update-duration-ms": { type: "string" },
  "device-reboot-duration-ms": { type: "string" },
  "node-signal-duration-ms": { type: "string" },
  devices: { type: "string" },
  device: { type: "string", multiple: true },
  "state-file": { type: "string" },
  "rate-limits": { type: "boolean", default: false },
  fault: { type: "string", multiple: true },
  quiet: { type: "boolean", default: false },
  version: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

/** Where a secret the banner must not print came from. */
export type SecretSource = "default" | "flag" | "env";

export interface CliOptions {
  options: EmulatorOptions;
  secretSource: SecretSource;
}

/** Turns command-line arguments into emulator options; throws with a message naming the bad flag. */
export function parseCliOptions(
  argv: string[],
  log: (line: string) => void = console.log,
  env: NodeJS.ProcessEnv = process.env,
): EmulatorOptions | "help" | "version" {
  const parsed = parseCli(argv, log, env);
  return typeof parsed === "string" ? parsed : parsed.options;
}

/** As parseCliOptions, also saying where the secret came from (for the banner). */
export function parseCli(
  argv: string[],
  log: (line: string) => void = console.log,
  env: NodeJS.ProcessEnv = process.env,
): CliOptions | "help" | "version" {
  const values = readFlags(argv);
  if (values.help) return "help";
  if (values.version) return "version";
  const mode = values["transition-mode"] as TransitionMode | undefined;
  if (mode !== undefined && !TRANSITION_MODES.includes(mode))
    throw new Error(
      `--transition-mode must be one of ${TRANSITION_MODES.join(", ")}, got ${JSON.stringify(mode)}`,
    );
  const durations: Record<(typeof LIFECYCLES)[number], string | undefined> = {
    importJob: values["import-job-duration-ms"],
    deployment: values["deployment-duration-ms"],
    removal: values["removal-duration-ms"],
    packageVersion: values["package-version-duration-ms"],
    templateJob: values["template-job-duration-ms"],
    deviceUpdate: values["device-update-duration-ms"],
    deviceReboot: values["device-reboot-duration-ms"],
    nodeSignal: values["node-signal-duration-ms"],
  };
  const flagOf = (lifecycle: string) =>
    `--${lifecycle.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}-duration-ms`;
  const timing: TimingPatch = {};
  for (const lifecycle of LIFECYCLES) {
    const ms = durations[lifecycle];
    timing[lifecycle] = {
      ...(mode && { mode }),
      ...(ms !== undefined && { durationMs: integer(ms, flagOf(lifecycle)) }),
    };
  }
  const keyId = values["access-key-id"] ?? (env[ACCESS_KEY_ID_ENV] || undefined);
  const secretFlag = values["secret-access-key"];
  const secret = secretFlag ?? (env[SECRET_ACCESS_KEY_ENV] || undefined);
  const secretSource: SecretSource =
    secretFlag !== undefined ? "flag" : secret !== undefined ? "env" : "default";
  const anyKeyEnv = env[ACCEPT_ANY_KEY_ENV];
  if (anyKeyEnv !== undefined && anyKeyEnv !== "" && !/^(1|true|0|false)$/i.test(anyKeyEnv))
    throw new Error(
      `${ACCEPT_ANY_KEY_ENV} must be 1, true, 0 or false, got ${JSON.stringify(anyKeyEnv)}`,
    );
  const options: EmulatorOptions = {
    port: integer(values.port!, "--port"),
    acceptAnyAccessKey: values["accept-any-key"] || /^(1|true)$/i.test(anyKeyEnv ?? ""),
    host: values.host,
    credentials:
      keyId || secret
        ? {
            accessKeyId: keyId ?? DEFAULT_CREDENTIALS.accessKeyId,
            secretAccessKey: secret ?? DEFAULT_CREDENTIALS.secretAccessKey,
          }
        : undefined,
    accountId: values["account-id"],
    region: values.region,
    timing,
    devices: deviceSeeds(values.devices, values.device),
    stateFile: values["state-file"],
    rateLimits: values["rate-limits"],
    faults: (values.fault ?? []).map((text, i) => {
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new Error(`--fault #${i + 1} must be a JSON fault rule: ${(e as Error).message}`);
      }
    }),
    log: values.quiet ? false : (line) => log(`[emulator] ${line}`),
  };
  return { options, secretSource };
}

function readFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: FLAGS }).values;
  } catch (e) {
    const code = (e as { code?: string }).code;
    const quoted = /'([^']*)'/.exec((e as Error).message)?.[1] ?? "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")
      throw new Error(`unknown flag ${quoted}; see --help for the flags`);
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL")
      throw new Error(`unexpected argument ${quoted}; the emulator takes only flags, see --help`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE")
      throw new Error(`${(e as Error).message}; see --help`);
    throw e;
  }
}

/** The --devices count and the --device seeds, or undefined for the default device. */
function deviceSeeds(
  count: string | undefined,
  named: string[] | undefined,
): DeviceSeed[] | undefined {
  if (count === undefined && !named?.length) return undefined;
  const seeds = count === undefined ? [] : numberedDevices(integer(count, "--devices"));
  for (const spec of named ?? []) {
    const [name, ...fields] = spec.split(",");
    const seed: DeviceSeed = { name: name.replace(/^name=/, "") };
    for (const field of fields) {
      const [key, ...rest] = field.split("=");
      const value = rest.join("=");
      if (key === "id") seed.deviceId = value;
      else if (key === "description") seed.description = value;
      else if (key === "software") seed.currentSoftware = value;
      else if (key === "latest") seed.latestSoftware = value;
      else
        throw new Error(
          `--device ${JSON.stringify(spec)}: unknown field ${JSON.stringify(key)}; use <name>[,id=<device id>][,description=<text>][,software=<version>][,latest=<version>]`,
        );
    }
    seeds.push(seed);
  }
  return seeds;
}

function integer(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n))
    throw new Error(`${flag} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return n;
}
