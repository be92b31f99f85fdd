#!/usr/bin/env node
// `pulumi-panorama-emulator`: runs the Panorama + S3 emulator in the foreground, prints the
// environment a shell should export, and exits cleanly on SIGINT/SIGTERM.
import { parseArgs } from "util";
import { DEFAULT_ACCOUNT_ID, DEFAULT_CREDENTIALS, DEFAULT_REGION, startEmulator } from "./index";
import { LIFECYCLES, TimingPatch, TRANSITION_MODES, TransitionMode } from "./timing";

const USAGE = `Usage: pulumi-panorama-emulator [options]

  --port <n>                         TCP port (default 4566; 0 picks a free one)
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
  --state-file <path>                load state from and save it to this JSON file
  --quiet                            do not log requests
  --help                             show this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4566" },
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
      "state-file": { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const mode = values["transition-mode"] as TransitionMode | undefined;
  if (mode !== undefined && !TRANSITION_MODES.includes(mode)) throw new Error(`--transition-mode must be one of ${TRANSITION_MODES.join(", ")}`);
  const durations: Record<(typeof LIFECYCLES)[number], string | undefined> = {
    importJob: values["import-job-duration-ms"],
    deployment: values["deployment-duration-ms"],
    removal: values["removal-duration-ms"],
    packageVersion: values["package-version-duration-ms"],
  };
  const timing: TimingPatch = {};
  for (const lifecycle of LIFECYCLES) {
    const ms = durations[lifecycle];
    timing[lifecycle] = { ...(mode && { mode }), ...(ms !== undefined && { durationMs: number(ms, lifecycle) }) };
  }
  const credentials =
    values["access-key-id"] || values["secret-access-key"]
      ? {
          accessKeyId: values["access-key-id"] ?? DEFAULT_CREDENTIALS.accessKeyId,
          secretAccessKey: values["secret-access-key"] ?? DEFAULT_CREDENTIALS.secretAccessKey,
        }
      : undefined;

  const emu = await startEmulator({
    port: number(values.port!, "port"),
    host: values.host,
    credentials,
    accountId: values["account-id"],
    region: values.region,
    timing,
    stateFile: values["state-file"],
    log: values.quiet ? false : (line) => console.log(`[emulator] ${line}`),
  });

  console.log(`Panorama + S3 emulator listening on ${emu.url}`);
  console.log(`Account ${emu.accountId}, region ${emu.region}, package storage bucket ${emu.storageBucket}`);
  console.log("Point AWS clients at it with:");
  console.log(`  export AWS_ENDPOINT_URL=${emu.url}`);
  console.log(`  export AWS_ACCESS_KEY_ID=${emu.credentials.accessKeyId}`);
  console.log(`  export AWS_SECRET_ACCESS_KEY=${emu.credentials.secretAccessKey}`);
  console.log(`  export AWS_REGION=${emu.region}`);
  console.log("(S3 clients also need path-style addressing, e.g. forcePathStyle: true.)");

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}, stopping the emulator.`);
    emu.stop().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

function number(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return n;
}

main().catch((e) => {
  console.error(`pulumi-panorama-emulator: ${(e as Error).message}`);
  process.exit(2);
});
