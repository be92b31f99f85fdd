// The emulator of one scenario-2 case, in a process of its own: the service should not share an
// event loop with the Pulumi program, or a busy program would bunch requests together before the
// emulator's rate limiter sees them. Records when each accepted Panorama request arrived.
//
// Protocol: argv[2] is the spec; prints `READY {url, credentials}`; on stdin `RESET` zeroes the
// counts and the timeline, `DUMP` prints `RESULT {counts, timeline}`, `STOP` exits.
import * as readline from "readline";
import { RateLimitsInput, startEmulator } from "../emulator";
import { emitResult, manifest, MANIFEST_BUCKET } from "./common";

export interface EmulatorProcessSpec {
  rateLimits: RateLimitsInput;
  importJobMs: number;
  jitter: number;
  manifests: { objectKey: string; packageName: string; packageVersion: string }[];
}

const spec: EmulatorProcessSpec = JSON.parse(process.argv[2]);

async function main(): Promise<void> {
  let t0 = performance.now();
  const timeline: [number, string][] = [];
  const emu = await startEmulator({
    rateLimits: spec.rateLimits,
    timing: { importJob: { mode: "timed", durationMs: spec.importJobMs, jitter: spec.jitter } },
    quotas: { packages: 1000, patchesPerPackage: 1000 },
    hooks: [
      {
        onRequest: (ctx) =>
          void (
            ctx.service === "panorama" &&
            timeline.push([Math.round(performance.now() - t0) / 1000, ctx.operation])
          ),
      },
    ],
  });
  for (const m of spec.manifests)
    emu.control.putObject(
      MANIFEST_BUCKET,
      m.objectKey,
      manifest(m.packageName, m.packageVersion),
      "application/json",
    );
  process.stdout.write(`READY ${JSON.stringify({ url: emu.url, credentials: emu.credentials })}\n`);
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const command = line.trim();
    if (command === "RESET") {
      emu.control.resetRequestCounts();
      timeline.length = 0;
      t0 = performance.now();
      process.stdout.write("OK\n");
    } else if (command === "DUMP") emitResult({ counts: emu.control.requestCounts(), timeline });
    else if (command === "STOP") break;
  }
  await emu.stop();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
