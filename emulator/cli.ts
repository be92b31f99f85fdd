#!/usr/bin/env node
// `pulumi-panorama-emulator`: runs the Panorama + S3 emulator in the foreground, prints the
// environment a shell should export, and exits cleanly on SIGINT/SIGTERM. Its flags are in
// cliOptions.ts.
import {
  DEFAULT_CLI_PORT,
  parseCli,
  SECRET_ACCESS_KEY_ENV,
  SecretSource,
  USAGE,
} from "./cliOptions";
import { RunningEmulator, startEmulator } from "./index";
import { CONTROL_TOKEN_ENV } from "./options";
import { packageVersion } from "./version";

export { packageVersion };

/** The lines printed at start: where the emulator listens and what to export (never a secret the user chose). */
export function startBanner(
  emu: RunningEmulator,
  secretSource: SecretSource = "default",
): string[] {
  const secret = {
    default: emu.credentials.secretAccessKey,
    env: `"$${SECRET_ACCESS_KEY_ENV}"`,
    flag: "<the --secret-access-key you chose>",
  }[secretSource];
  return [
    `Panorama + S3 emulator listening on ${emu.url}`,
    `Account ${emu.accountId}, region ${emu.region}, package storage bucket ${emu.storageBucket}`,
    "Point AWS clients at it with:",
    // Per-service variables: the program's other AWS clients (e.g. @pulumi/aws) keep their own
    // endpoints; AWS_ENDPOINT_URL would send every one of them here.
    `  export AWS_ENDPOINT_URL_PANORAMA=${emu.url}`,
    `  export AWS_ENDPOINT_URL_S3=${emu.url}`,
    `  export AWS_ACCESS_KEY_ID=${emu.credentials.accessKeyId}`,
    `  export AWS_SECRET_ACCESS_KEY=${secret}`,
    `  export AWS_REGION=${emu.region}`,
    ...(emu.acceptAnyAccessKey
      ? [
          "Any access key id is accepted too (e.g. test/test); its signature is checked for shape, date and scope only.",
        ]
      : []),
    "(S3 clients use path-style addressing with an IP endpoint; otherwise set forcePathStyle: true.)",
    emu.controlToken
      ? `Control API /_emulator/: requires the bearer token from ${CONTROL_TOKEN_ENV}.`
      : "Control API /_emulator/: loopback clients only.",
  ];
}

/** LocalStack's edge port, the CLI's default too: both cannot listen at once. */
const LOCALSTACK_PORT = 4566;

/** Why the emulator did not start, with what to do when the port is taken. */
export function startFailure(e: unknown, port: number): string {
  const message = (e as Error).message;
  if ((e as { code?: string }).code !== "EADDRINUSE") return message;
  const localstack =
    port === LOCALSTACK_PORT
      ? ` (${LOCALSTACK_PORT} is LocalStack's port too: is LocalStack running?)`
      : "";
  return (
    `${message}: port ${port} is in use${localstack}. ` +
    "Start the emulator on another port with --port <n>, or --port 0 for a free one (the banner prints it)."
  );
}

async function main(): Promise<void> {
  const parsed = parseCli(process.argv.slice(2));
  if (parsed === "help") return void process.stdout.write(USAGE);
  if (parsed === "version") return void process.stdout.write(`${packageVersion()}\n`);
  const { options, secretSource } = parsed;
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

  const emu = await startEmulator(options).catch((e) => {
    throw new Error(startFailure(e, options.port ?? DEFAULT_CLI_PORT));
  });
  started!(emu);
  for (const line of startBanner(emu, secretSource)) console.log(line);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`pulumi-panorama-emulator: ${(e as Error).message}`);
    process.exit(2);
  });
}
