#!/usr/bin/env node
// `pulumi-panorama-emulator`: runs the Panorama + S3 emulator in the foreground, prints the
// environment a shell should export, and exits cleanly on SIGINT/SIGTERM.
import { parseArgs } from "util";
import { DEFAULT_ACCOUNT_ID, DEFAULT_CREDENTIALS, DEFAULT_REGION, EmulatorOptions, RunningEmulator, startEmulator } from "./index";
import { DeviceSeed, numberedDevices } from "./options";
import { LIFECYCLES, TimingPatch, TRANSITION_MODES, TransitionMode } from "./timing";

export const DEFAULT_CLI_PORT = 4566;

export const USAGE = `Usage: pulumi-panorama-emulator [options]

  --port <n>                         TCP port (default ${DEFAULT_CLI_PORT}; 0 picks a free one)
  --host <ip>                        interface to listen on (default 127.0.0.1)
  --access-key-id <id>               accepted access key id (default ${DEFAULT_CREDENTIALS.accessKeyId})
  --secret-access-key <secret>       accepted secret (default ${DEFAULT_CREDENTIALS.secretAccessKey})
  --account-id <12 digits>           account in ARNs and storage prefixes (default ${DEFAULT_ACCOUNT_ID})
  --region <region>                  region in ARNs (default ${DEFAULT_REGION})
  --transition-mode <mode>           ${TRANSITION_MODES.join(" | ")} for every lifecycle (default timed)
  --import-job-duration-ms <n>       PENDING → SUCCEEDED/FAILED time of import jobs
  --deployment-duration-ms <n>       application deployment time
  --removal-duration-ms <n>          application removal time
  --package-version-duration-ms <n>  RegisterPackageVersion / DeregisterPackageVersion time
  --devices <n>                      seed n devices named emulator-device-1 … emulator-device-<n> (default: one, emulator-device)
  --device <name>[,id=<device id>][,description=<text>]
                                     seed a device with this name; repeatable; after the --devices ones
  --state-file <path>                load state from and save it to this JSON file
  --rate-limits                      throttle like the service: 5 requests/s, 1/s per create operation (429)
  --fault <json>                     a fault rule, e.g. '{"operation":"CreatePackageImportJob","error":"InternalServerException","count":2}';
                                     repeatable; more with POST /_emulator/faults
  --quiet                            do not log requests
  --help                             show this text
`;

/** Turns command-line arguments into emulator options; throws with a message naming the bad flag. */
export function parseCliOptions(argv: string[], log: (line: string) => void = console.log): EmulatorOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: String(DEFAULT_CLI_PORT) },
      host: { type: "string" },
      "access-key-id": { type: "string" },
      "secret-access-key": { type: "string" },
      "account-id": { type: "string" },
      region: { type: "string" },
      "transition-mode": { type: "string" },
      "import-job-duration-ms": { type: "string" },
      "deployment-duration-ms": { type: "string" },
      "removal-duration-ms": { type: "string" },
      "package-version-duration-ms": { type: "string" },
      devices: { type: "string" },
      device: { type: "string", multiple: true },
      "state-file": { type: "string" },
      "rate-limits": { type: "boolean", default: false },
      fault: { type: "string", multiple: true },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return "help";
  const mode = values["transition-mode"] as TransitionMode | undefined;
  if (mode !== undefined && !TRANSITION_MODES.includes(mode))
    throw new Error(`--transition-mode must be one of ${TRANSITION_MODES.join(", ")}, got ${JSON.stringify(mode)}`);
  const durations: Record<(typeof LIFECYCLES)[number], string | undefined> = {
    importJob: values["import-job-duration-ms"],
    deployment: values["deployment-duration-ms"],
    removal: values["removal-duration-ms"],
    packageVersion: values["package-version-duration-ms"],
  };
  const flagOf = (lifecycle: string) => `--${lifecycle.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}-duration-ms`;
  const timing: TimingPatch = {};
  for (const lifecycle of LIFECYCLES) {
    const ms = durations[lifecycle];
    timing[lifecycle] = { ...(mode && { mode }), ...(ms !== undefined && { durationMs: integer(ms, flagOf(lifecycle)) }) };
  }
  const keyId = values["access-key-id"];
  const secret = values["secret-access-key"];
  return {
    port: integer(values.port!, "--port"),
    host: values.host,
    credentials: keyId || secret ? { accessKeyId: keyId ?? DEFAULT_CREDENTIALS.accessKeyId, secretAccessKey: secret ?? DEFAULT_CREDENTIALS.secretAccessKey } : undefined,
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
}

/** The lines printed at start: where the emulator listens and what to export. */
export function startBanner(emu: RunningEmulator): string[] {
  return [
    `Panorama + S3 emulator listening on ${emu.url}`,
    `Account ${emu.accountId}, region ${emu.region}, package storage bucket ${emu.storageBucket}`,
    "Point AWS clients at it with:",
    `  export AWS_ENDPOINT_URL=${emu.url}`,
    `  export AWS_ACCESS_KEY_ID=${emu.credentials.accessKeyId}`,
    `  export AWS_SECRET_ACCESS_KEY=${emu.credentials.secretAccessKey}`,
    `  export AWS_REGION=${emu.region}`,
    "(S3 clients use path-style addressing with an IP endpoint; otherwise set forcePathStyle: true.)",
  ];
}

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2));
  if (options === "help") {
    process.stdout.write(USAGE);
    return;
  }
  // Signal handlers go first: a signal that arrives while starting must still end cleanly.
  let started: (emu: RunningEmulator) => void;
  const emulator = new Promise<RunningEmulator>((resolve) => (started = resolve));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}, stopping the emulator.`);
    emulator
      .then((emu) => emu.stop())
      .then(
        () => process.exit(0),
        (e) => {
          console.error(e);
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  const emu = await startEmulator(options);
  started!(emu);
  for (const line of startBanner(emu)) console.log(line);
}

/** The --devices count and the --device seeds, or undefined for the default device. */
function deviceSeeds(count: string | undefined, named: string[] | undefined): DeviceSeed[] | undefined {
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
      else throw new Error(`--device ${JSON.stringify(spec)}: unknown field ${JSON.stringify(key)}; use <name>[,id=<device id>][,description=<text>]`);
    }
    seeds.push(seed);
  }
  return seeds;
}

function integer(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new Error(`${flag} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return n;
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`pulumi-panorama-emulator: ${(e as Error).message}`);
    process.exit(2);
  });
}
