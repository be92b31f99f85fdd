#!/usr/bin/env node
// `npm run demo`: the quickstart stack (the root Pulumi.yaml) against the embedded emulator.
// `npm run demo -- --example fleet`: examples/fleet, a panorama-cli project rolled across three
// emulated appliances (lobby, dock, gate), canary first.
// `npm run demo -- --example yaml`: examples/yaml, the quickstart as a Pulumi YAML program on the
// provider plugin (bin/pulumi-resource-panorama), with a secret tag set as secret config.
// `npm run demo -- --example go`: examples/go, the quickstart as a Go program on the generated Go SDK
// (sdk/go), driving itself through the Automation API (built once by scripts/go-quickstart.js).
// `npm run demo -- --example fleet-yaml`: examples/fleet/yaml, the fleet as a Pulumi YAML program
// (the plugin's PanoramaApplication component).
//
// 1. finds or builds the Pulumi CLI (scripts/ensure-pulumi.js);
// 2. starts the Panorama + S3 emulator on loopback, its state kept in .pulumi-state/ so a
//    second run sees the same jobs (and converges with no changes);
// 3. uploads the quickstart's node-package manifest with the real S3 client;
// 4. runs `pulumi up` (package → import job → application on the emulator's seeded device,
//    pinned to the imported patch), shows the stack outputs, then `pulumi refresh`, all with a
//    local file:// backend in .pulumi-state/ and no network.
//
//   npm run demo                 up + refresh (run it again: no changes)
//   npm run demo -- --destroy    tear the stack down
//   npm run demo -- --keep-emulator   leave the emulator running afterwards (Ctrl-C to stop)
//   npm run demo -- --example fleet   the fleet example (add --destroy to tear it down)
//   npm run demo -- --example yaml    the YAML quickstart (add --destroy to tear it down)
//   npm run demo -- --example go      the Go quickstart (add --destroy to tear it down)
//   npm run demo -- --example fleet-yaml   the fleet in YAML (add --destroy to tear it down)
"use strict";

const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const { ensurePulumi } = require("./ensure-pulumi");

// The Panorama client is frozen at its last release; its "future releases need Node 22" note is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const ROOT = path.resolve(__dirname, "..");
const EXAMPLES = {
  quickstart: { cwd: ROOT, stateDir: path.join(ROOT, ".pulumi-state") },
  fleet: {
    cwd: path.join(ROOT, "examples", "fleet"),
    stateDir: path.join(ROOT, ".pulumi-state", "fleet"),
    devices: ["lobby", "dock", "gate"],
  },
  "fleet-yaml": {
    cwd: path.join(ROOT, "examples", "fleet", "yaml"),
    stateDir: path.join(ROOT, ".pulumi-state", "fleet-yaml"),
    devices: ["lobby", "dock", "gate"],
    languages: ["yaml"],
  },
  yaml: {
    cwd: path.join(ROOT, "examples", "yaml"),
    stateDir: path.join(ROOT, ".pulumi-state", "yaml"),
    languages: ["yaml"],
  },
  go: {
    cwd: path.join(ROOT, "examples", "go"),
    stateDir: path.join(ROOT, ".pulumi-state", "go"),
  },
};
const STACK = "dev";
const BUCKET = "quickstart-manifests";
const MANIFEST_KEY = "SAMPLE_CODE/1.0/package.json";
const MANIFEST_FILE = path.join(ROOT, "examples", "quickstart", "sample-code.package.json");

async function main() {
  const argv = process.argv.slice(2);
  const args = new Set(argv);
  const destroy = args.has("--destroy");
  const exampleName = argv.includes("--example")
    ? argv[argv.indexOf("--example") + 1]
    : "quickstart";
  const example = EXAMPLES[exampleName];
  if (!example)
    throw new Error(
      `--example must be one of ${Object.keys(EXAMPLES).join(", ")}, got ${JSON.stringify(exampleName)}`,
    );
  const STATE_DIR = example.stateDir;
  const step = (text) => console.log(`\n=== ${text}`);

  step("Pulumi CLI");
  const cli = await ensurePulumi({
    languages: example.languages ?? [],
    log: (line) => console.log(`    ${line}`),
  });
  console.log(`    using ${cli.pulumiPath} (v${cli.version}, ${cli.source})`);

  step("Panorama + S3 emulator");
  fs.mkdirSync(path.join(STATE_DIR, "backend"), { recursive: true });
  const { startEmulator } = require("pulumi-panorama/emulator");
  const emu = await startEmulator({
    port: Number(process.env.EMULATOR_PORT ?? 0),
    stateFile: path.join(STATE_DIR, "emulator.json"),
    timing: {
      importJob: { mode: "timed", durationMs: 4000 },
      deployment: { mode: "timed", durationMs: 6000 },
    },
    ...(example.devices && { devices: example.devices.map((name) => ({ name })) }),
  });
  console.log(
    `    listening on ${emu.url} (account ${emu.accountId}, state in ${path.relative(ROOT, STATE_DIR)}/emulator.json)`,
  );

  // Exactly what a user exports to point any AWS client (and this provider) at the emulator.
  const env = {
    ...process.env,
    PATH: `${cli.binDir}${path.delimiter}${process.env.PATH}`,
    AWS_ENDPOINT_URL_PANORAMA: emu.url,
    AWS_ENDPOINT_URL_S3: emu.url,
    AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
    AWS_REGION: emu.region,
    PULUMI_BACKEND_URL: `file://${path.join(STATE_DIR, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    // The Panorama client is frozen at its last release; its "future releases need Node 22" note is noise.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  delete env.AWS_PROFILE;
  const pulumi = (...cmd) => run(cli.pulumiPath, [...cmd, "--non-interactive"], env, example.cwd);

  try {
    if (exampleName.startsWith("fleet"))
      return await fleet(exampleName, pulumi, emu, destroy, step);
    if (exampleName === "go") return await goQuickstart(env, emu, destroy, step);
    if (!destroy) {
      step(`Upload the package manifest to s3://${BUCKET}/${MANIFEST_KEY}`);
      await uploadManifest(emu);
    }

    step(`Stack ${STACK} (local backend in ${path.relative(ROOT, STATE_DIR)}/backend)`);
    await pulumi("stack", "select", "--create", STACK);
    await pulumi("config", "set", "manifestBucket", BUCKET);
    await pulumi("config", "set", "manifestKey", MANIFEST_KEY);
    if (exampleName === "yaml") {
      // The plugin's own config key; `aws:` keys belong to another package and do not reach it.
      await pulumi("config", "set", "panorama:region", emu.region);
      await pulumi("config", "set", "deviceName", (await seededDevice(emu)).Name);
      await pulumi("config", "set", "--secret", "ownerTag", "quickstart-team");
    } else {
      await pulumi("config", "set", "aws:region", emu.region);
      await pulumi("config", "set", "device", (await seededDevice(emu)).DeviceId);
    }

    if (destroy) {
      step("pulumi destroy");
      await pulumi("destroy", "--yes");
      return;
    }
    step("pulumi up");
    await pulumi("up", "--yes");
    step("Stack outputs");
    await pulumi("stack", "output");
    step("pulumi refresh");
    await pulumi("refresh", "--yes");
    const again = exampleName === "yaml" ? "npm run demo -- --example yaml" : "npm run demo";
    console.log(
      `\nDone. Run \`${again}\` again: the stack converges with no changes. \`${again} --destroy\` removes it.`,
    );
  } finally {
    if (args.has("--keep-emulator")) {
      console.log(`\nEmulator still running on ${emu.url}; Ctrl-C to stop.`);
      await new Promise((resolve) => process.once("SIGINT", resolve));
    }
    await emu.stop();
  }
}

/** examples/fleet(/yaml): up (canary, then a batch of two), the outputs, the devices' histories. */
async function fleet(exampleName, pulumi, emu, destroy, step) {
  const where = path.relative(ROOT, EXAMPLES[exampleName].cwd);
  step(`Stack ${STACK} of ${where} (local backend in .pulumi-state/${exampleName}/backend)`);
  await pulumi("stack", "select", "--create", STACK);
  if (exampleName === "fleet-yaml") {
    await pulumi("config", "set", "panorama:region", emu.region);
    await pulumi("config", "set", "--secret", "ownerTag", "fleet-team");
  } else await pulumi("config", "set", "aws:region", emu.region);
  if (destroy) {
    step("pulumi destroy");
    await pulumi("destroy", "--yes");
    return;
  }
  step("pulumi up");
  await pulumi("up", "--yes");
  step("Stack outputs");
  await pulumi("stack", "output", "deployments", "--json");
  step(
    "What each appliance saw (emulator history: the canary lobby first, then dock and gate together)",
  );
  const events = Object.values(emu.control.state().devices)
    .flatMap((d) => d.history.map((h) => ({ ...h, device: d.name })))
    .sort((a, b) => a.at - b.at);
  for (const h of events)
    console.log(
      `    ${new Date(h.at).toISOString().slice(11, 23)}  ${h.device.padEnd(6)} ${h.event.padEnd(20)} ${h.applicationInstanceId}`,
    );
  console.log(
    "\nDone. Run it again: no changes. Change a file under examples/fleet/project/assets/ and run it again: a new patch rolls out, canary first.",
  );
  console.log(`\`npm run demo -- --example ${exampleName} --destroy\` removes it.`);
}

async function uploadManifest(emu) {
  const { S3Client, CreateBucketCommand, PutObjectCommand } = require("@aws-sdk/client-s3");
  const s3 = new S3Client({
    region: emu.region,
    endpoint: emu.url,
    forcePathStyle: true,
    credentials: emu.credentials,
  });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  } catch (e) {
    if (e.name !== "BucketAlreadyOwnedByYou") throw e;
  }
  const body = fs.readFileSync(MANIFEST_FILE);
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: MANIFEST_KEY,
      Body: body,
      ContentType: "application/json",
    }),
  );
  s3.destroy();
  console.log(
    `    uploaded ${body.length} bytes (sha256 = the patch version the import will register)`,
  );
}

/** The device the emulator seeded at start: the appliance the quickstart deploys to. */
async function seededDevice(emu) {
  const { PanoramaClient, ListDevicesCommand } = require("@aws-sdk/client-panorama");
  const panorama = new PanoramaClient({
    region: emu.region,
    endpoint: emu.url,
    credentials: emu.credentials,
  });
  const { Devices } = await panorama.send(new ListDevicesCommand({}));
  panorama.destroy();
  console.log(`    device ${Devices[0].DeviceId} (${Devices[0].Name})`);
  return Devices[0];
}

/** examples/go: the program runs up and refresh itself (the Automation API, an inline program). */
async function goQuickstart(env, emu, destroy, step) {
  step("Go quickstart (examples/go on sdk/go)");
  const { ensureGoQuickstart } = require("./go-quickstart");
  const program = (await ensureGoQuickstart({ log: (line) => console.log(`    ${line}`) })).path;
  const quickstart = async (command) =>
    run(
      program,
      [
        ...["-manifest-bucket", BUCKET, "-manifest-key", MANIFEST_KEY, "-region", emu.region],
        ...["-device-name", (await seededDevice(emu)).Name, "-plugin-dir", path.join(ROOT, "bin")],
        ...["-stack", STACK, command],
      ],
      env,
    );
  if (destroy) {
    step("destroy (Automation API)");
    return quickstart("destroy");
  }
  step(`Upload the package manifest to s3://${BUCKET}/${MANIFEST_KEY}`);
  await uploadManifest(emu);
  step("up (Automation API; the last line is the changes and outputs as JSON)");
  await quickstart("up");
  step("refresh");
  await quickstart("refresh");
  console.log(
    "\nDone. Run `npm run demo -- --example go` again: no changes. Add `--destroy` to remove it.",
  );
}

function run(command, args, env, cwd = ROOT) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

main().catch((e) => {
  console.error(`\ndemo failed: ${e.message}`);
  process.exit(1);
});
