// examples/fleet through the real Pulumi engine on a bad day: a canary that is unhealthy from the
// start stops the rollout within the unhealthy grace (not the wait's 1800 s), a health gate that
// sees the canary turn ERROR stops it too, and after each the fault cleared on the device and
// `pulumi up` run again (what the error says to do) completes the rollout in order, with no device
// ever left without a running application.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ListApplicationInstancesCommand, ListDevicesCommand } from "@aws-sdk/client-panorama";
import { CommandError } from "@pulumi/pulumi/automation";
import type { DeviceEvent } from "../../emulator/state/deviceRecords";
import { fleet } from "../../examples/fleet/program";
import { UNHEALTHY_GRACE_SECONDS } from "../../provider/resources/applicationInstance";
import {
  CLI_BUILD_TIMEOUT_MS,
  cleanup,
  EngineStack,
  engineCli,
  inlineStack,
} from "../support/engine";
import { useEmulator } from "../support/emulatorFixture";

// Five devices, canary 1, maxParallel 2: waves lobby | dock, gate | yard, roof.
const DEVICES = ["lobby", "dock", "gate", "yard", "roof"];
const AFTER_CANARY = DEVICES.slice(1);
const CODE = "PEOPLE_COUNTER_CODE";

describe("examples/fleet: recovering from an unhealthy canary", function () {
  this.timeout(400_000);
  const fx = useEmulator({
    devices: DEVICES.map((name) => ({ name })),
    timing: {
      importJob: { mode: "timed", durationMs: 300 },
      deployment: { mode: "timed", durationMs: 600 },
      removal: { mode: "timed", durationMs: 300 },
    },
  });
  let s: EngineStack;
  let projectDir: string;
  const ids: Record<string, string> = {};
  let last: Record<string, any>;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli();
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-recovery-"));
    fs.cpSync(path.join(__dirname, "../../examples/fleet/project"), projectDir, {
      recursive: true,
    });
    // The example has cameras for lobby, dock and gate; the other devices get theirs like dock's.
    const packages = path.join(projectDir, "packages");
    for (const d of DEVICES.filter(
      (d) => !fs.existsSync(path.join(packages, `111122223333-${d}_camera-1.0`)),
    )) {
      const dir = path.join(packages, `111122223333-${d}_camera-1.0`);
      fs.mkdirSync(dir);
      const dock = fs.readFileSync(
        path.join(packages, "111122223333-dock_camera-1.0/package.json"),
        "utf8",
      );
      fs.writeFileSync(
        path.join(dir, "package.json"),
        dock.replaceAll("dock_camera", `${d}_camera`),
      );
    }
    for (const d of (await fx().panorama.send(new ListDevicesCommand({}))).Devices!)
      ids[d.Name!] = d.DeviceId!;
    s = await inlineStack({
      program: async () => fleet(),
      projectName: "panorama-fleet-recovery",
      env: fx().env,
      config: {
        projectDir,
        devices: JSON.stringify(DEVICES),
        maxParallel: "2",
        healthySeconds: "1",
      },
    });
  });
  after(async () => {
    if (s) await cleanup(s, { destroy: false });
    fs.rmSync(projectDir, { recursive: true, force: true });
  });

  const history = (device: string): DeviceEvent[] => fx().emu.control.deviceHistory(ids[device]);
  const up = async (onOutput?: (out: string) => void) => {
    const result = await s.stack.up({ onOutput });
    last = Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value]));
    return result;
  };
  const failedUp = async (): Promise<CommandError> => {
    const error = await s.stack.up().then(
      () => assert.fail("the rollout should have failed"),
      (e) => e,
    );
    assert.ok(error instanceof CommandError, String(error));
    return error;
  };
  const instanceOf = (device: string) =>
    last.deployments.find((d: any) => d.device === device).applicationInstanceId as string;
  const liveOn = async (device: string) =>
    (await fx().panorama.send(new ListApplicationInstancesCommand({ DeviceId: ids[device] })))
      .ApplicationInstances!.filter((i) => i.Status !== "REMOVAL_SUCCEEDED")
      .map((i) => i.ApplicationInstanceId);
  const changeCode = (marker: string) => {
    const pkg = JSON.parse(
      fs.readFileSync(
        path.join(projectDir, "packages", `111122223333-${CODE}-1.0`, "package.json"),
        "utf8",
      ),
    );
    fs.appendFileSync(
      path.join(projectDir, "assets", pkg.nodePackage.assets[0].implementations[0].assetUri),
      marker,
    );
  };
  const at = (device: string, event: DeviceEvent["event"], instance?: string) => {
    const e = history(device)
      .filter((h) => h.event === event && (!instance || h.applicationInstanceId === instance))
      .at(-1);
    assert.ok(e, `${device}: no ${event}${instance ? ` for ${instance}` : ""}`);
    return e!.at;
  };
  /** After its first success, some instance runs on the device at every moment. */
  const neverWithout = (device: string) => {
    const running = new Set<string>();
    let started = false;
    for (const h of history(device)) {
      if (h.event === "DEPLOYMENT_SUCCEEDED")
        (running.add(h.applicationInstanceId), (started = true));
      if (h.event === "REMOVAL_SUCCEEDED" || h.event === "REMOVAL_STARTED")
        running.delete(h.applicationInstanceId);
      assert.ok(
        !started || running.size > 0,
        `${device} ran nothing after ${h.event} of ${h.applicationInstanceId}`,
      );
    }
  };
  /** Every device RUNNING; the batch started only after the canary passed its health gate. */
  const completedInOrder = () => {
    for (const d of last.deployments)
      assert.deepStrictEqual(
        [d.device, d.status, d.healthStatus],
        [d.device, "DEPLOYMENT_SUCCEEDED", "RUNNING"],
      );
    const canaryHealthy = Math.max(
      at("lobby", "DEPLOYMENT_SUCCEEDED", instanceOf("lobby")),
      ...history("lobby")
        .filter(
          (h) => h.event === "HEALTH_RUNNING" && h.applicationInstanceId === instanceOf("lobby"),
        )
        .map((h) => h.at),
    );
    for (const d of AFTER_CANARY)
      assert.ok(
        at(d, "DEPLOYMENT_STARTED", instanceOf(d)) >= canaryHealthy + 1000,
        `${d} started only after the canary stayed RUNNING for healthySeconds`,
      );
    for (const d of DEVICES) neverWithout(d);
  };

  let unhealthyCanary: string;
  it("a canary unhealthy from the start fails within the grace, naming the device; no later batch gets anything", async () => {
    fx().emu.control.setDeviceFault(ids.lobby, {
      health: "ERROR",
      message: "Model PEOPLE_DETECTOR_MODEL failed to load.",
    });
    const error = await failedUp();
    const failedAt = Date.now();
    const [succeeded] = history("lobby").filter((h) => h.event === "DEPLOYMENT_SUCCEEDED");
    assert.ok(succeeded, "the canary's deployment succeeded, unhealthy");
    unhealthyCanary = succeeded.applicationInstanceId;
    assert.ok(
      failedAt - succeeded.at < (UNHEALTHY_GRACE_SECONDS + 20) * 1000,
      `failed ${failedAt - succeeded.at} ms after the deployment succeeded, not at the 1800 s timeout`,
    );
    assert.match(
      error.message,
      new RegExp(
        `${unhealthyCanary} on device lobby \\(${ids.lobby}\\) is DEPLOYMENT_SUCCEEDED with health ERROR ` +
          `for ${UNHEALTHY_GRACE_SECONDS}s: Model PEOPLE_DETECTOR_MODEL failed to load\\.`,
      ),
    );
    assert.match(error.message, /run `pulumi up`\s+again/);
    for (const d of AFTER_CANARY) assert.deepStrictEqual(history(d), [], `${d} got nothing`);
  });

  it("the fault cleared, the next `up` checks the canary again (no redeploy) and completes the rollout in order", async () => {
    fx().emu.control.setDeviceFault(ids.lobby, undefined);
    let output = "";
    await up((out) => (output += out));
    assert.strictEqual(instanceOf("lobby"), unhealthyCanary, "the same instance, now RUNNING");
    completedInOrder();
    const lines = output
      .split("\n")
      .filter((l) => l.includes("ApplicationInstance people_counter"));
    assert.ok(lines.length >= DEVICES.length, output);
    for (const [d, wave] of [
      ["lobby", "canary"],
      ["dock", "batch 1 of 2"],
      ["roof", "batch 2 of 2"],
    ])
      assert.ok(
        lines.some((l) => l.includes(`on device ${d} (`) && l.includes(`, ${wave}: `)),
        `${d}: ${wave}`,
      );
    for (const l of lines)
      assert.match(
        l,
        new RegExp(
          `ApplicationInstance people_counter on device (?:(?:${DEVICES.join("|")}) \\(device-\\w+\\)|device-\\w+), (?:canary|batch [12] of 2): `,
        ),
        l,
      );
  });

  it("a health gate that sees the canary turn ERROR stops the rollout; after the fault is cleared `up` finishes it", async () => {
    const before = Object.fromEntries(DEVICES.map((d) => [d, instanceOf(d)]));
    const eventsBefore = Object.fromEntries(DEVICES.map((d) => [d, history(d).length]));
    await s.stack.setConfig("healthySeconds", { value: "12" });
    changeCode("\nv2");
    // Once the canary's new instance has run RUNNING for a while (its resource done, the gate
    // checking), the device turns it ERROR.
    const watcher = setInterval(() => {
      const fresh = history("lobby")
        .slice(eventsBefore.lobby)
        .find((h) => h.event === "DEPLOYMENT_SUCCEEDED");
      if (fresh && Date.now() - fresh.at > 4000) {
        clearInterval(watcher);
        fx().emu.control.setDeviceFault(ids.lobby, {
          health: "ERROR",
          message: "Camera stream rtsp://10.0.1.21/stream1 froze.",
        });
      }
    }, 100);
    const error = await failedUp().finally(() => clearInterval(watcher));
    assert.match(
      error.message,
      /Device lobby: application instance applicationInstance-\w+ is DEPLOYMENT_SUCCEEDED with health ERROR: Camera stream rtsp:\/\/10\.0\.1\.21\/stream1 froze\. \(within the 12s it had to stay RUNNING\)/,
    );
    for (const d of AFTER_CANARY) {
      assert.strictEqual(history(d).length, eventsBefore[d], `${d} was not touched`);
      assert.deepStrictEqual(await liveOn(d), [before[d]], `${d} keeps running its version`);
    }

    fx().emu.control.setDeviceFault(ids.lobby, undefined);
    await up();
    assert.notStrictEqual(instanceOf("lobby"), before.lobby);
    completedInOrder();
    for (const d of DEVICES)
      assert.deepStrictEqual(
        await liveOn(d),
        [instanceOf(d)],
        `${d} runs exactly the new instance`,
      );
  });

  it("destroy removes the application from every device", async () => {
    await s.stack.destroy();
    for (const d of DEVICES) assert.deepStrictEqual(await liveOn(d), [], `${d} runs nothing`);
  });
});
