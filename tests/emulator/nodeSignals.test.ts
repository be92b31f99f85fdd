import * as assert from "assert";
import {
  CreateApplicationInstanceCommand,
  CreateJobForDevicesCommand,
  ListApplicationInstanceNodeInstancesCommand,
  ListDevicesCommand,
  SignalApplicationInstanceNodeInstancesCommand,
  SignalApplicationInstanceNodeInstancesCommandInput,
} from "@aws-sdk/client-panorama";
import {
  controlRequest,
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import { graphManifest, importPackage } from "../support/packageFixtures";
import { createCameraNode } from "./cameraNodes";

/** Overrides that replace the graph's abstract camera by these camera nodes of `front_door`. */
function cameraOverrides(cameras: { name: string; launch: string }[]): string {
  return JSON.stringify({
    nodeGraphOverrides: {
      envelopeVersion: "2021-01-01",
      packages: [{ name: "123456789012::front_door", version: "1.0" }],
      nodes: cameras.map((c) => ({
        name: c.name,
        interface: "123456789012::front_door.front_door",
        overridable: true,
        launch: c.launch,
      })),
      nodeOverrides: [{ replace: "camera_node", with: cameras.map((c) => ({ name: c.name })) }],
    },
  });
}

describe("emulator: node signals (PAUSE / RESUME)", () => {
  let ctx: EmulatorFixture;
  let deviceId: string;
  before(async () => {
    ctx = await startTestEmulator();
    deviceId = (await ctx.panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
  });
  after(() => stopTestEmulator(ctx));
  beforeEach(async () => {
    ctx.emu.control.reset();
    await importPackage(ctx, "SAMPLE_CODE");
    await createCameraNode(ctx, "front_door");
  });

  const deploy = async (cameras: { name: string; launch: string }[], settle = true) => {
    const { ApplicationInstanceId } = await ctx.panorama.send(
      new CreateApplicationInstanceCommand({
        ManifestPayload: { PayloadData: graphManifest("123456789012", [{ name: "SAMPLE_CODE" }]) },
        ManifestOverridesPayload: { PayloadData: cameraOverrides(cameras) },
        DefaultRuntimeContextDevice: deviceId,
      }),
    );
    if (settle) ctx.emu.control.advanceClock(2000);
    return ApplicationInstanceId!;
  };
  const statuses = async (ApplicationInstanceId: string) =>
    Object.fromEntries(
      (
        await ctx.panorama.send(
          new ListApplicationInstanceNodeInstancesCommand({ ApplicationInstanceId }),
        )
      ).NodeInstances!.map((n) => [n.NodeInstanceId, n.CurrentStatus]),
    );
  const signal = (
    ApplicationInstanceId: string,
    NodeSignals: SignalApplicationInstanceNodeInstancesCommandInput["NodeSignals"],
  ) =>
    ctx.panorama.send(
      new SignalApplicationInstanceNodeInstancesCommand({ ApplicationInstanceId, NodeSignals }),
    );

  it("an onSignal camera starts PAUSED; PAUSE and RESUME change the node instances' status at once", async () => {
    const app = await deploy([
      { name: "entrance", launch: "onAppStart" },
      { name: "loading_dock", launch: "onSignal" },
    ]);
    assert.deepStrictEqual(await statuses(app), {
      code_node_0: "RUNNING",
      output_node: "RUNNING",
      entrance: "RUNNING",
      loading_dock: "PAUSED",
    });
    const answer = await signal(app, [
      { NodeInstanceId: "entrance", Signal: "PAUSE" },
      { NodeInstanceId: "loading_dock", Signal: "RESUME" },
    ]);
    assert.strictEqual(answer.ApplicationInstanceId, app);
    assert.deepStrictEqual(await statuses(app), {
      code_node_0: "RUNNING",
      output_node: "RUNNING",
      entrance: "PAUSED",
      loading_dock: "RUNNING",
    });
    // A repeated signal is harmless.
    await signal(app, [{ NodeInstanceId: "entrance", Signal: "PAUSE" }]);
    await signal(app, [{ NodeInstanceId: "entrance", Signal: "RESUME" }]);
    assert.strictEqual((await statuses(app)).entrance, "RUNNING");
  });

  it("with a nodeSignal duration the instance reports a signal only once it has passed; manual mode waits for the control API", async () => {
    const app = await deploy([{ name: "entrance", launch: "onAppStart" }]);
    ctx.emu.control.setTiming({ nodeSignal: { durationMs: 1000 } });
    await signal(app, [{ NodeInstanceId: "entrance", Signal: "PAUSE" }]);
    assert.strictEqual((await statuses(app)).entrance, "RUNNING");
    ctx.emu.control.advanceClock(999);
    assert.strictEqual((await statuses(app)).entrance, "RUNNING");
    ctx.emu.control.advanceClock(1);
    assert.strictEqual((await statuses(app)).entrance, "PAUSED");

    ctx.emu.control.setTiming({ nodeSignal: { mode: "manual" } });
    await signal(app, [{ NodeInstanceId: "entrance", Signal: "RESUME" }]);
    ctx.emu.control.advanceClock(600_000);
    assert.strictEqual((await statuses(app)).entrance, "PAUSED");
    const applied = await controlRequest(
      ctx.emu,
      "POST",
      `application-instances/${app}/apply-signals`,
      {},
    );
    assert.strictEqual(applied.status, 200);
    assert.strictEqual(
      applied.body.NodeInstances.find((n: any) => n.NodeInstanceId === "entrance").CurrentStatus,
      "RUNNING",
    );
    assert.strictEqual((await statuses(app)).entrance, "RUNNING");
  });

  it("paused streams stay paused across a device reboot", async () => {
    const app = await deploy([{ name: "entrance", launch: "onSignal" }]);
    ctx.emu.control.setTiming({ deviceReboot: { mode: "timed", durationMs: 2000 } });
    await ctx.panorama.send(
      new CreateJobForDevicesCommand({ DeviceIds: [deviceId], JobType: "REBOOT" }),
    );
    ctx.emu.control.advanceClock(1000);
    assert.strictEqual((await statuses(app)).entrance, "NOT_AVAILABLE");
    ctx.emu.control.advanceClock(1000);
    assert.strictEqual((await statuses(app)).entrance, "PAUSED");
  });

  describe("refused signals change nothing", () => {
    let app: string;
    beforeEach(async () => (app = await deploy([{ name: "entrance", launch: "onAppStart" }])));
    afterEach(async () => assert.strictEqual((await statuses(app)).entrance, "RUNNING"));

    const refused: [
      string,
      SignalApplicationInstanceNodeInstancesCommandInput["NodeSignals"],
      string,
    ][] = [
      ["no signal", [], "NodeSignals"],
      [
        "an unknown signal",
        [{ NodeInstanceId: "entrance", Signal: "STOP" as any }],
        "NodeSignals[0].Signal",
      ],
      [
        "a node id that breaks the pattern",
        [{ NodeInstanceId: "a.b", Signal: "PAUSE" }],
        "NodeSignals[0].NodeInstanceId",
      ],
      [
        "a node the application does not have",
        [{ NodeInstanceId: "side_door", Signal: "PAUSE" }],
        "NodeSignals[0].NodeInstanceId",
      ],
      [
        "a node that is not a camera",
        [
          { NodeInstanceId: "entrance", Signal: "PAUSE" },
          { NodeInstanceId: "code_node_0", Signal: "PAUSE" },
        ],
        "NodeSignals[1].NodeInstanceId",
      ],
    ];
    for (const [title, signals, member] of refused)
      it(title, async () => {
        const e = await rejects(signal(app, signals), "ValidationException");
        assert.ok(
          e.Fields.some((f: { Name: string }) => f.Name === member),
          JSON.stringify(e.Fields),
        );
      });

    it("an unknown application instance", async () => {
      await rejects(
        signal("applicationInstance-nope", [{ NodeInstanceId: "entrance", Signal: "PAUSE" }]),
        "ResourceNotFoundException",
      );
    });
  });

  it("an application that is not running yet takes no signals", async () => {
    const app = await deploy([{ name: "entrance", launch: "onAppStart" }], false);
    const e = await rejects(
      signal(app, [{ NodeInstanceId: "entrance", Signal: "PAUSE" }]),
      "ValidationException",
    );
    assert.strictEqual(e.Fields[0].Name, "ApplicationInstanceId");
    assert.match(e.message, /DEPLOYMENT_PENDING/);
  });

  it("a RESUME past 8 running streams is a ServiceQuotaExceededException", async () => {
    const cameras = Array.from({ length: 9 }, (_, i) => ({ name: `cam_${i}`, launch: "onSignal" }));
    const app = await deploy(cameras);
    await signal(
      app,
      cameras.slice(0, 8).map((c) => ({ NodeInstanceId: c.name, Signal: "RESUME" as const })),
    );
    const e = await rejects(
      signal(app, [{ NodeInstanceId: "cam_8", Signal: "RESUME" }]),
      "ServiceQuotaExceededException",
    );
    assert.strictEqual(e.QuotaCode, "CameraStreamsPerApplication");
    assert.strictEqual((await statuses(app)).cam_8, "PAUSED");
    await signal(app, [
      { NodeInstanceId: "cam_0", Signal: "PAUSE" },
      { NodeInstanceId: "cam_8", Signal: "RESUME" },
    ]);
    assert.strictEqual((await statuses(app)).cam_8, "RUNNING");
  });
});
