// getNode / getNodes against the emulator, as a program calls them: the built-ins of the
// `panorama` owner and the account's nodes, filters, every page of ListNodes, DescribeNode's
// ports and the `interface` graph.json names, and every failure a sentence naming what was
// looked for.
import * as assert from "assert";
import { getNode, getNodeOutput, getNodes } from "../../provider";
import { createCameraNode } from "../emulator/cameraNodes";
import { emulatorControl, EmulatorFixture, useEmulator } from "../support/emulatorFixture";
import { importPackage } from "../support/packageFixtures";

describe("node lookups against the emulator", () => {
  const fx = useEmulator();
  let ctx: EmulatorFixture;
  let counterPatch: string;
  before(async () => {
    ctx = fx();
    counterPatch = (await importPackage(ctx, "people_counter")).Output!.PatchVersion!;
    await createCameraNode(ctx, "dock_cam");
  });

  it("getNodes lists the built-ins and the account's nodes, with ids in the same order", async () => {
    const all = await getNodes();
    assert.deepStrictEqual(
      all.nodes.map((n) => `${n.ownerAccount}::${n.packageName}.${n.name}`),
      [
        "panorama::abstract_rtsp_media_source.rtsp_v1_interface",
        "panorama::hdmi_data_sink.hdmi0",
        "123456789012::people_counter.interface",
        "123456789012::dock_cam.dock_cam",
      ],
    );
    assert.deepStrictEqual(
      all.ids,
      all.nodes.map((n) => n.nodeId),
    );
    assert.strictEqual(all.region, ctx.emu.region);
    assert.match(all.nodes[0].createdTime, /^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it("getNodes filters by category, owner and package", async () => {
    const names = async (args: Parameters<typeof getNodes>[0]) =>
      (await getNodes(args)).nodes.map((n) => n.name);
    assert.deepStrictEqual(await names({ category: "MEDIA_SOURCE" }), [
      "rtsp_v1_interface",
      "dock_cam",
    ]);
    assert.deepStrictEqual(await names({ ownerAccount: "panorama" }), [
      "rtsp_v1_interface",
      "hdmi0",
    ]);
    assert.deepStrictEqual(await names({ packageName: "people_counter", packageVersion: "1.0" }), [
      "interface",
    ]);
    assert.deepStrictEqual(await names({ patchVersion: counterPatch }), ["interface"]);
    assert.deepStrictEqual(await names({ category: "ML_MODEL" }), []);
  });

  it("getNode by package returns DescribeNode's ports and the interface graph.json names", async () => {
    const sink = await getNode({ ownerAccount: "panorama", packageName: "hdmi_data_sink" });
    assert.strictEqual(sink.interface, "panorama::hdmi_data_sink.hdmi0");
    assert.strictEqual(sink.category, "MEDIA_SINK");
    assert.deepStrictEqual(sink.nodeInterface, {
      inputs: [{ name: "video_in", type: "MEDIA", description: "Frames to show." }],
      outputs: [],
    });
    assert.strictEqual(sink.assetName, "hdmi0_asset");
    const counter = await getNode({ packageName: "people_counter", name: "interface" });
    assert.strictEqual(counter.patchVersion, counterPatch);
    assert.strictEqual(counter.interface, "123456789012::people_counter.interface");
    assert.strictEqual(counter.description, "");
    assert.deepStrictEqual(await getNode({ nodeId: counter.nodeId }), counter, "by id, the same");
  });

  it("getNodeOutput resolves its arguments first", async () => {
    const { output } = await import("@pulumi/pulumi");
    const camera = await new Promise<any>((resolve) =>
      getNodeOutput({ packageName: output(Promise.resolve("dock_cam")) }).apply(resolve),
    );
    assert.strictEqual(camera.interface, "123456789012::dock_cam.dock_cam");
    assert.strictEqual(camera.category, "MEDIA_SOURCE");
  });

  it("getNodes reads every page of ListNodes", async () => {
    for (let i = 0; i < 24; i++) await createCameraNode(ctx, `cam_${i}`);
    await emulatorControl(ctx.emu, "POST", "requests/reset");
    const cameras = await getNodes({ category: "MEDIA_SOURCE" });
    assert.strictEqual(cameras.nodes.length, 26, "the abstract camera, dock_cam and 24 more");
    const counts = await emulatorControl(ctx.emu, "GET", "requests");
    assert.strictEqual(counts.byOperation["panorama:ListNodes"], 2, "25 a page");
  });

  it("no match, several matches and an unknown id fail naming what was looked for", async () => {
    await assert.rejects(
      getNode({ packageName: "people_counter", name: "other" }),
      /^UsageError: getNode: no node of package people_counter, named "other" in us-east-1 \(its nodes: interface\)$/,
    );
    await assert.rejects(
      getNode({ packageName: "nothing_here" }),
      /^UsageError: getNode: no node of package nothing_here in us-east-1$/,
    );
    await importPackage(ctx, "people_counter", "2.0");
    await assert.rejects(
      getNode({ packageName: "people_counter" }),
      /^UsageError: getNode: 2 nodes of package people_counter in us-east-1 \(.*people_counter.interface 1\.0.*people_counter.interface 2\.0.*\); narrow it with `name`, `packageVersion`/,
    );
    assert.strictEqual(
      (await getNode({ packageName: "people_counter", packageVersion: "2.0" })).packageVersion,
      "2.0",
    );
    await assert.rejects(
      getNode({ nodeId: "nothing-1.0-abcdefgh-x" }),
      /^UsageError: getNode: no node with id "nothing-1.0-abcdefgh-x" in us-east-1$/,
    );
  });

  it("bad arguments are refused before any call, naming the argument and the rule", async () => {
    await emulatorControl(ctx.emu, "POST", "requests/reset");
    await assert.rejects(getNode({}), /getNode: set `nodeId`, or `packageName` \(and `name`\)/);
    await assert.rejects(
      getNode({ nodeId: "x", packageName: "y" }),
      /getNode: `nodeId` names one node; leave out `packageName`/,
    );
    await assert.rejects(
      getNodes({ category: "CAMERA" as any }),
      /^UsageError: getNodes: category: .*BUSINESS_LOGIC/,
    );
    await assert.rejects(
      getNodes({ packageVersion: "1" }),
      /^UsageError: getNodes: packageVersion: must satisfy regular expression pattern/,
    );
    await assert.rejects(
      getNode({ packageName: "people_counter", name: "a b" }),
      /^UsageError: getNode: name: .*pattern/,
    );
    await assert.rejects(getNode({ nodeId: "a/b" }), /^UsageError: getNode: nodeId: .*pattern/);
    const counts = await emulatorControl(ctx.emu, "GET", "requests");
    assert.deepStrictEqual(
      Object.keys(counts.byOperation).filter((k) => k.startsWith("panorama:")),
      [],
    );
  });
});
