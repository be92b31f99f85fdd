import * as assert from "assert";
import {
  CreateApplicationInstanceCommand,
  DescribeApplicationInstanceCommand,
  DescribeNodeCommand,
  ListApplicationInstanceNodeInstancesCommand,
  ListDevicesCommand,
  ListNodesCommand,
  ListNodesCommandInput,
  Node,
} from "@aws-sdk/client-panorama";
import {
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import { graphManifest, importPackage } from "../support/packageFixtures";
import { createCameraNode } from "./cameraNodes";

describe("emulator: the node catalogue", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));
  beforeEach(() => ctx.emu.control.reset());

  const listAll = async (input: ListNodesCommandInput = {}): Promise<Node[]> => {
    const out: Node[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ctx.panorama.send(new ListNodesCommand({ ...input, NextToken }));
      out.push(...(page.Nodes ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  };

  it("lists the panorama built-ins: the abstract RTSP camera and the HDMI sink", async () => {
    const nodes = await listAll({ OwnerAccount: "panorama" });
    assert.deepStrictEqual(
      nodes.map((n) => [n.PackageName, n.PackageVersion, n.Name, n.Category]),
      [
        ["abstract_rtsp_media_source", "1.0", "rtsp_v1_interface", "MEDIA_SOURCE"],
        ["hdmi_data_sink", "1.0", "hdmi0", "MEDIA_SINK"],
      ],
    );
    for (const n of nodes) {
      assert.strictEqual(n.OwnerAccount, "panorama");
      assert.match(n.PackageId!, /^package-[a-z2-7]{26}$/);
      assert.match(n.PatchVersion!, /^[0-9a-f]{64}$/);
      assert.strictEqual(n.NodeId, `${n.PackageName}-1.0-${n.PatchVersion!.slice(0, 8)}-${n.Name}`);
    }
    const hdmi = await ctx.panorama.send(
      new DescribeNodeCommand({ NodeId: nodes[1].NodeId, OwnerAccount: "panorama" }),
    );
    assert.deepStrictEqual(hdmi.NodeInterface, {
      Inputs: [{ Name: "video_in", Type: "MEDIA", Description: "Frames to show." }],
      Outputs: [],
    });
    assert.strictEqual(hdmi.AssetName, "hdmi0_asset");
  });

  it("lists the account's imported nodes beside the built-ins; filters are exact and AND-ed", async () => {
    const job = await importPackage(ctx, "people_counter");
    await createCameraNode(ctx, "dock_cam");
    const all = await listAll();
    assert.deepStrictEqual(
      all.map((n) => `${n.OwnerAccount}/${n.PackageName}.${n.Name}`),
      [
        "panorama/abstract_rtsp_media_source.rtsp_v1_interface",
        "panorama/hdmi_data_sink.hdmi0",
        "123456789012/people_counter.interface",
        "123456789012/dock_cam.dock_cam",
      ],
    );
    const counter = all[2];
    assert.strictEqual(counter.Category, "BUSINESS_LOGIC");
    assert.strictEqual(counter.PatchVersion, job.Output!.PatchVersion);
    assert.strictEqual(counter.PackageId, job.Output!.PackageId);
    const described = await ctx.panorama.send(new DescribeNodeCommand({ NodeId: counter.NodeId }));
    assert.deepStrictEqual(described.NodeInterface, {
      Inputs: [{ Name: "video_in", Type: "MEDIA" }],
      Outputs: [{ Name: "video_out", Type: "MEDIA" }],
    });
    assert.strictEqual(described.AssetName, "code_asset");
    assert.strictEqual(described.Description, "");

    const names = async (input: ListNodesCommandInput) => (await listAll(input)).map((n) => n.Name);
    assert.deepStrictEqual(await names({ Category: "MEDIA_SOURCE" }), [
      "rtsp_v1_interface",
      "dock_cam",
    ]);
    assert.deepStrictEqual(
      await names({ Category: "MEDIA_SOURCE", OwnerAccount: "123456789012" }),
      ["dock_cam"],
    );
    assert.deepStrictEqual(await names({ PackageName: "people" }), [], "not a prefix match");
    assert.deepStrictEqual(await names({ PackageName: "people_counter", PackageVersion: "1.0" }), [
      "interface",
    ]);
    assert.deepStrictEqual(await names({ PatchVersion: job.Output!.PatchVersion }), ["interface"]);
    assert.deepStrictEqual(await names({ PackageVersion: "2.0" }), []);
  });

  it("pages with MaxResults and an opaque NextToken", async () => {
    for (const name of ["cam_1", "cam_2", "cam_3"]) await createCameraNode(ctx, name);
    const first = await ctx.panorama.send(new ListNodesCommand({ MaxResults: 2 }));
    assert.strictEqual(first.Nodes!.length, 2);
    assert.ok(first.NextToken);
    assert.deepStrictEqual(
      (await listAll({ MaxResults: 2 })).map((n) => n.Name),
      ["rtsp_v1_interface", "hdmi0", "cam_1", "cam_2", "cam_3"],
    );
    const e = await rejects(
      ctx.panorama.send(new ListNodesCommand({ NextToken: "not-a-token" })),
      "ValidationException",
    );
    assert.strictEqual(e.Fields[0].Name, "NextToken");
  });

  it("refuses a bad filter naming the member, before looking anything up", async () => {
    for (const [input, member] of [
      [{ Category: "CAMERA" }, "Category"],
      [{ OwnerAccount: "NOTACCOUNT" }, "OwnerAccount"],
      [{ PackageVersion: "1" }, "PackageVersion"],
      [{ MaxResults: 26 }, "MaxResults"],
    ] as [ListNodesCommandInput, string][]) {
      const e = await rejects(
        ctx.panorama.send(new ListNodesCommand(input)),
        "ValidationException",
      );
      assert.deepStrictEqual(
        e.Fields.map((f: { Name: string }) => f.Name),
        [member],
      );
    }
  });

  it("DescribeNode: an unknown node is ResourceNotFoundException, another account's a ValidationException", async () => {
    const missing = await rejects(
      ctx.panorama.send(new DescribeNodeCommand({ NodeId: "nope-1.0-00000000-nope" })),
      "ResourceNotFoundException",
    );
    assert.strictEqual(missing.ResourceType, "Node");
    const [builtIn] = await listAll({ OwnerAccount: "panorama" });
    await rejects(
      ctx.panorama.send(
        new DescribeNodeCommand({ NodeId: builtIn.NodeId, OwnerAccount: "123456789012" }),
      ),
      "ResourceNotFoundException",
    );
    const other = await rejects(
      ctx.panorama.send(
        new DescribeNodeCommand({ NodeId: builtIn.NodeId, OwnerAccount: "210987654321" }),
      ),
      "ValidationException",
    );
    assert.strictEqual(other.Fields[0].Name, "OwnerAccount");
    const bad = await rejects(
      ctx.panorama.send(new DescribeNodeCommand({ NodeId: "has space" })),
      "ValidationException",
    );
    assert.strictEqual(bad.Fields[0].Name, "NodeId");
  });

  it("a camera node replaces the graph's abstract camera in a deployment's overrides", async () => {
    await importPackage(ctx, "SAMPLE_CODE");
    await createCameraNode(ctx, "front_door");
    const deviceId = (await ctx.panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
    const overrides = JSON.stringify({
      nodeGraphOverrides: {
        envelopeVersion: "2021-01-01",
        packages: [{ name: "123456789012::front_door", version: "1.0" }],
        nodes: [
          {
            name: "front_door_cam",
            interface: "123456789012::front_door.front_door",
            overridable: true,
            launch: "onAppStart",
          },
        ],
        nodeOverrides: [{ replace: "camera_node", with: [{ name: "front_door_cam" }] }],
      },
    });
    const { ApplicationInstanceId } = await ctx.panorama.send(
      new CreateApplicationInstanceCommand({
        ManifestPayload: { PayloadData: graphManifest("123456789012", [{ name: "SAMPLE_CODE" }]) },
        ManifestOverridesPayload: { PayloadData: overrides },
        DefaultRuntimeContextDevice: deviceId,
      }),
    );
    ctx.emu.control.advanceClock(2000);
    const app = await ctx.panorama.send(
      new DescribeApplicationInstanceCommand({ ApplicationInstanceId }),
    );
    assert.strictEqual(app.Status, "DEPLOYMENT_SUCCEEDED", app.StatusDescription);
    const { NodeInstances } = await ctx.panorama.send(
      new ListApplicationInstanceNodeInstancesCommand({ ApplicationInstanceId }),
    );
    const camera = NodeInstances!.find((n) => n.NodeInstanceId === "front_door_cam")!;
    assert.strictEqual(camera.PackageName, "front_door");
    const [node] = await listAll({ PackageName: "front_door" });
    assert.strictEqual(
      camera.NodeId,
      node.NodeId,
      "DescribeNode's key is the running node's NodeId",
    );
    assert.strictEqual(camera.PackagePatchVersion, node.PatchVersion);
    assert.ok(!NodeInstances!.some((n) => n.NodeInstanceId === "camera_node"));
  });
});
