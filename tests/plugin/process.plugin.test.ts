// The plugin process does not outlive the engine: killed mid-wait (as a CI timeout kills
// `pulumi up`), the engine leaves its plugins running in process groups of their own; the
// plugin notices the engine is gone and exits, ending its waits.
import * as assert from "assert";
import {
  CLI_BUILD_TIMEOUT_MS,
  engineCli,
  processesUnder,
  spawnUp,
  withStack,
} from "../support/engine";
import { emulatorControl, MANIFEST_BUCKET, useEmulator } from "../support/emulatorFixture";
import { localPluginStack, sampleJobInputs, tokenProgram } from "../support/pluginDoor";

const PROGRAM = (manifestKey: string) =>
  tokenProgram([
    {
      type: "PackageImportJob",
      name: "slow",
      props: sampleJobInputs(MANIFEST_BUCKET, manifestKey, false),
    },
  ]);

const isPlugin = (p: { cmdline: string }) => p.cmdline.includes("pulumi-resource-panorama");

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the provider plugin process", function () {
  this.timeout(180_000);
  const fx = useEmulator();

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
  });

  it("exits within seconds once the engine is killed in the middle of a wait", async () => {
    await emulatorControl(fx().emu, "POST", "timing", {
      importJob: { mode: "timed", durationMs: 60_000 },
    });
    const key = await fx().uploadManifest("process/package.json");
    await withStack(
      localPluginStack(PROGRAM(key), fx().env),
      async (s) => {
        const up = spawnUp(s);
        await up.waitForOutput(/PackageImportJob slow creating/, 90_000);
        const plugin = await until("the plugin started", 30_000, () =>
          processesUnder(s.programDir).find(isPlugin),
        );
        // Only the CLI, as `kill -9 <pid of pulumi>`: the plugin is in a process group of its own.
        process.kill(up.pid, "SIGKILL");
        await up.exited;
        await until(
          "the plugin exited",
          15_000,
          () => !processesUnder(s.programDir).some((p) => p.pid === plugin.pid),
        );
        assert.deepStrictEqual(
          processesUnder(s.programDir).filter(isPlugin),
          [],
          "no plugin left behind",
        );
      },
      { destroy: false },
    );
    await emulatorControl(fx().emu, "POST", "timing", {
      importJob: { mode: "timed", durationMs: 800 },
    });
  });
});
