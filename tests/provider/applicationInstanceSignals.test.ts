// Paused nodes of an ApplicationInstance: check (pure), diff (in place, order does not count),
// and the provider's methods against the emulator through the real AWS SDK over HTTP: pause at
// create, resume and pause on update with a wait for the device's report, refresh after a signal
// sent outside the stack, and a refused signal recorded with the nodes as they are.
import * as assert from "assert";
import {
  ListApplicationInstanceNodeInstancesCommand,
  ListDevicesCommand,
  SignalApplicationInstanceNodeInstancesCommand,
} from "@aws-sdk/client-panorama";
import { applicationInstanceImplementation as impl } from "../../provider/resources/applicationInstance";
import { RecordedFailure } from "../../provider/lifecycle/recordedFailure";
import { UNKNOWN } from "../../provider/lifecycle/unknowns";
import { emulatorControl, useEmulator } from "../support/emulatorFixture";
import { logged } from "../support/logged";
import { graphManifest, importPackage } from "../support/packageFixtures";

const ACCOUNT = "123456789012";
const FAST = { minDelaySeconds: 0.05, maxDelaySeconds: 0.2, timeoutSeconds: 10 };
const CAMERA = "panorama::abstract_rtsp_media_source.rtsp_v1_interface";

/** Overrides that put these cameras in place of the graph's camera_node. */
function cameraOverrides(cameras: { name: string; launch?: string }[]): string {
  return JSON.stringify({
    nodeGraphOverrides: {
      envelopeVersion: "2021-01-01",
      packages: [],
      nodes: cameras.map((c) => ({ name: c.name, interface: CAMERA, launch: c.launch })),
      nodeOverrides: [{ replace: "camera_node", with: cameras.map((c) => ({ name: c.name })) }],
    },
  });
}

const OVERRIDES = cameraOverrides([
  { name: "entrance" },
  { name: "dock", launch: "onSignal" },
  { name: "lobby" },
]);

function inputs(extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    __provider: "serialized-provider-text",
    manifestPayload: graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]),
    manifestOverridesPayload: OVERRIDES,
    defaultRuntimeContextDevice: "device-abc",
    deploymentKey: "pulumi-signals",
    region: "us-east-1",
    waitOptions: FAST,
    ...extra,
  };
}

const reasons = (given: Record<string, unknown>) =>
  impl.checkFailures(given).map((f) => `${f.property} | ${f.reason}`);

describe("ApplicationInstance pausedNodes check", () => {
  it("accepts node instance ids of the deployment: override nodes and graph nodes no override replaces", () => {
    assert.deepStrictEqual(reasons(inputs({ pausedNodes: ["entrance", "dock"] })), []);
    assert.deepStrictEqual(reasons(inputs({ pausedNodes: [] })), []);
    assert.deepStrictEqual(
      reasons(inputs({ manifestOverridesPayload: undefined, pausedNodes: ["camera_node"] })),
      [],
    );
  });

  it("names the property, the entry and the rule before any call", () => {
    assert.deepStrictEqual(reasons(inputs({ pausedNodes: "entrance" })), [
      "pausedNodes | pausedNodes: must be a list of node names from the application manifest",
    ]);
    assert.deepStrictEqual(reasons(inputs({ pausedNodes: ["entrance", "entrance"] })), [
      'pausedNodes | pausedNodes[1]: "entrance" is listed twice; list a node once',
    ]);
    const [unknownNode] = reasons(inputs({ pausedNodes: ["side_door"] }));
    assert.match(
      unknownNode,
      /^pausedNodes \| pausedNodes\[0\]: "side_door" is not a node the application runs/,
    );
    assert.match(unknownNode, /it runs code_node_0, output_node, entrance, dock, lobby/);
    // Replaced by the overrides, so no such node instance runs.
    assert.match(
      reasons(inputs({ pausedNodes: ["camera_node"] }))[0],
      /"camera_node" is not a node/,
    );
    assert.match(
      reasons(inputs({ pausedNodes: ["a.b"] }))[0],
      /^pausedNodes \| pausedNodes\[0\]: must satisfy regular expression pattern/,
    );
    assert.match(reasons(inputs({ pausedNodes: [7] }))[0], /pausedNodes\[0\]: must be a string/);
  });

  it("lets unknown values through during preview", () => {
    assert.deepStrictEqual(reasons(inputs({ pausedNodes: UNKNOWN })), []);
    assert.deepStrictEqual(reasons(inputs({ pausedNodes: [UNKNOWN, "entrance"] })), []);
    assert.deepStrictEqual(
      reasons(inputs({ manifestOverridesPayload: UNKNOWN, pausedNodes: ["anything"] })),
      [],
    );
  });
});

describe("ApplicationInstance pausedNodes diff", () => {
  const olds = {
    ...inputs({ pausedNodes: ["entrance", "dock"] }),
    status: "DEPLOYMENT_SUCCEEDED",
    healthStatus: "RUNNING",
  };
  const diff = (news: Record<string, unknown>) => impl.diff("applicationInstance-abc", olds, news);

  it("is an update in place, never a replacement, and the order of the names does not count", async () => {
    assert.strictEqual((await diff(inputs({ pausedNodes: ["dock", "entrance"] }))).changes, false);
    for (const pausedNodes of [["entrance"], [], undefined, UNKNOWN])
      assert.deepStrictEqual(
        await diff(inputs({ pausedNodes })),
        { changes: true, replaces: [], updates: ["pausedNodes"], deleteBeforeReplace: false },
        JSON.stringify(pausedNodes),
      );
  });
});

describe("ApplicationInstance pausedNodes against the emulator", function () {
  this.timeout(60_000);
  const fx = useEmulator({ timing: { deployment: { mode: "timed", durationMs: 200 } } });
  let device: string;
  let n = 0;
  const given = (extra: Record<string, unknown> = {}) =>
    inputs({
      defaultRuntimeContextDevice: device,
      deploymentKey: `pulumi-signals-${++n}`,
      ...extra,
    });
  const statuses = async (id: string) =>
    Object.fromEntries(
      (
        await fx().panorama.send(
          new ListApplicationInstanceNodeInstancesCommand({ ApplicationInstanceId: id }),
        )
      ).NodeInstances!.map((i) => [i.NodeInstanceId, i.CurrentStatus]),
    );
  const signals = () =>
    fx().emu.control.requestCounts().byOperation[
      "panorama:SignalApplicationInstanceNodeInstances"
    ] ?? 0;

  before(async () => {
    device = (await fx().panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
    await importPackage(fx(), "SAMPLE_CODE");
  });
  afterEach(() =>
    emulatorControl(fx().emu, "POST", "timing", { nodeSignal: { mode: "immediate" } }),
  );

  it("create pauses the listed nodes and resumes an onSignal camera not listed, once deployed", async () => {
    const { value, lines } = await logged(() => impl.create(given({ pausedNodes: ["entrance"] })));
    const { id, outs } = value;
    assert.deepStrictEqual(outs!.pausedNodes, ["entrance"]);
    assert.deepStrictEqual(await statuses(id), {
      code_node_0: "RUNNING",
      output_node: "RUNNING",
      entrance: "PAUSED",
      dock: "RUNNING",
      lobby: "RUNNING",
    });
    assert.ok(
      lines.some((l) => l.includes(id) && l.endsWith(": pausing entrance, resuming dock")),
      lines.join("\n"),
    );
  });

  it("update signals only what changed and waits until the device reports it; the same list sends nothing", async () => {
    const first = given({ pausedNodes: ["entrance"] });
    const { id, outs } = await impl.create(first);
    await emulatorControl(fx().emu, "POST", "timing", {
      nodeSignal: { mode: "timed", durationMs: 400 },
    });
    const before = signals();
    const news = { ...first, pausedNodes: ["lobby", "dock"] };
    const started = Date.now();
    const updated = await impl.update(id, outs!, news);
    assert.ok(Date.now() - started >= 350, "waited for the device to report the signals");
    assert.deepStrictEqual(updated.outs!.pausedNodes, ["lobby", "dock"]);
    assert.strictEqual(updated.outs!.applicationInstanceId, id, "the same instance");
    assert.strictEqual(signals() - before, 1, "one SignalApplicationInstanceNodeInstances");
    const now = await statuses(id);
    assert.deepStrictEqual([now.entrance, now.dock, now.lobby], ["RUNNING", "PAUSED", "PAUSED"]);
    await impl.update(id, updated.outs!, { ...news, pausedNodes: ["dock", "lobby"] });
    assert.strictEqual(signals() - before, 1, "nothing to signal");
  });

  it("refresh reads the paused nodes from the device, so a resume outside the stack shows as a diff", async () => {
    const news = given({ pausedNodes: ["entrance", "lobby"] });
    const { id, outs } = await impl.create(news);
    await fx().panorama.send(
      new SignalApplicationInstanceNodeInstancesCommand({
        ApplicationInstanceId: id,
        NodeSignals: [{ NodeInstanceId: "entrance", Signal: "RESUME" }],
      }),
    );
    const read = await impl.read(id, outs!);
    assert.deepStrictEqual(read.props!.pausedNodes, ["lobby"]);
    const d = await impl.diff(id, read.props!, news);
    assert.deepStrictEqual([d.replaces, d.updates], [[], ["pausedNodes"]]);
    const fixed = await impl.update(id, read.props!, news);
    assert.deepStrictEqual(fixed.outs!.pausedNodes, ["entrance", "lobby"]);
    assert.strictEqual((await statuses(id)).entrance, "PAUSED");
    // Unmanaged: refresh leaves it unset.
    const { pausedNodes: _unset, ...unmanaged } = outs!;
    assert.ok(!("pausedNodes" in (await impl.read(id, unmanaged)).props!));
  });

  it("a refused signal is recorded with the nodes as the device has them, naming the instance and the next step", async () => {
    // output_node (the HDMI sink) is no camera: the service refuses to pause it.
    const news = given({ pausedNodes: ["entrance"] });
    const { id, outs } = await impl.create(news);
    let failure: unknown;
    await impl
      .update(id, outs!, { ...news, pausedNodes: ["output_node"] })
      .catch((e) => (failure = e));
    assert.ok(failure instanceof RecordedFailure, String(failure));
    assert.strictEqual(failure.id, id);
    assert.match(
      failure.message,
      new RegExp(
        `${id}.*: SignalApplicationInstanceNodeInstances \\(pausing output_node, resuming entrance\\) failed`,
      ),
    );
    assert.match(failure.message, /not a camera stream/);
    assert.match(failure.message, /fix pausedNodes/);
    assert.deepStrictEqual(failure.properties.pausedNodes, ["entrance"]);
    assert.strictEqual((await statuses(id)).entrance, "PAUSED", "nothing changed on the device");
  });
});
