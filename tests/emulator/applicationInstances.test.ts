import * as assert from "assert";
import {
  CreateApplicationInstanceCommand,
  CreateApplicationInstanceCommandInput,
  DescribeApplicationInstanceCommand,
  DescribeApplicationInstanceDetailsCommand,
  ListApplicationInstanceDependenciesCommand,
  ListApplicationInstanceNodeInstancesCommand,
  ListApplicationInstancesCommand,
  ListDevicesCommand,
  ListTagsForResourceCommand,
  RemoveApplicationInstanceCommand,
} from "@aws-sdk/client-panorama";
import {
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import {
  createImportJob,
  graphManifest,
  importPackage,
  nodePackageManifest,
  upload,
} from "../support/packageFixtures";

const ACCOUNT = "123456789012";
const DEPLOY_MS = 1500;
const REMOVE_MS = 500;

describe("emulator: application instances", () => {
  let ctx: EmulatorFixture;
  let deviceId: string;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));
  beforeEach(async () => {
    ctx.emu.control.reset();
    deviceId = (await ctx.panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
  });

  const create = (manifest: string, extra: Partial<CreateApplicationInstanceCommandInput> = {}) =>
    ctx.panorama.send(
      new CreateApplicationInstanceCommand({
        Name: "my-app",
        ManifestPayload: { PayloadData: manifest },
        DefaultRuntimeContextDevice: deviceId,
        ...extra,
      }),
    );
  const describe_ = (id: string) =>
    ctx.panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));
  const deployed = async (
    manifest = graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]),
    extra = {},
  ) => {
    const { ApplicationInstanceId } = await create(manifest, extra);
    ctx.emu.control.advanceClock(DEPLOY_MS);
    return ApplicationInstanceId!;
  };

  it("deploys: DEPLOYMENT_PENDING → DEPLOYMENT_IN_PROGRESS → DEPLOYMENT_SUCCEEDED with health RUNNING", async () => {
    await importPackage(ctx, "SAMPLE_CODE");
    const { ApplicationInstanceId: id } = await create(
      graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]),
      { Description: "demo", Tags: { app: "x" } },
    );
    assert.match(id!, /^applicationInstance-[a-z2-7]{26}$/);
    let a = await describe_(id!);
    assert.strictEqual(a.Status, "DEPLOYMENT_PENDING");
    assert.strictEqual(a.HealthStatus, "NOT_AVAILABLE");
    assert.strictEqual(a.StatusDescription, "Deployment Workflow has been scheduled.");
    ctx.emu.control.advanceClock(DEPLOY_MS / 2);
    a = await describe_(id!);
    assert.strictEqual(a.Status, "DEPLOYMENT_IN_PROGRESS");
    assert.strictEqual(a.StatusDescription, "Deployment Workflow has completed data validation.");
    ctx.emu.control.advanceClock(DEPLOY_MS / 2);
    a = await describe_(id!);
    assert.strictEqual(a.Status, "DEPLOYMENT_SUCCEEDED");
    assert.strictEqual(a.HealthStatus, "RUNNING");
    assert.strictEqual(a.Arn, `arn:aws:panorama:us-east-1:${ACCOUNT}:applicationInstance/${id}`);
    assert.strictEqual(a.DefaultRuntimeContextDevice, deviceId);
    assert.strictEqual(a.DefaultRuntimeContextDeviceName, "emulator-device");
    assert.strictEqual(a.Description, "demo");
    assert.deepStrictEqual(a.Tags, { app: "x" });
    assert.ok(a.CreatedTime instanceof Date && a.LastUpdatedTime instanceof Date);
    assert.strictEqual(a.RuntimeContextStates![0].DeviceReportedStatus, "RUNNING");
    assert.ok(a.RuntimeContextStates![0].DeviceReportedTime instanceof Date);
    assert.deepStrictEqual(
      (await ctx.panorama.send(new ListTagsForResourceCommand({ ResourceArn: a.Arn }))).Tags,
      { app: "x" },
    );
  });

  it("DescribeApplicationInstanceDetails returns the manifest and overrides as sent", async () => {
    await importPackage(ctx, "SAMPLE_CODE");
    const manifest = graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]);
    const overrides = JSON.stringify({
      nodeGraphOverrides: {
        envelopeVersion: "2021-01-01",
        packages: [],
        nodes: [],
        nodeOverrides: [],
      },
    });
    const { ApplicationInstanceId } = await create(manifest, {
      ManifestOverridesPayload: { PayloadData: overrides },
    });
    const d = await ctx.panorama.send(
      new DescribeApplicationInstanceDetailsCommand({ ApplicationInstanceId }),
    );
    assert.strictEqual(d.ManifestPayload!.PayloadData, manifest);
    assert.strictEqual(d.ManifestOverridesPayload!.PayloadData, overrides);
    assert.strictEqual(d.DefaultRuntimeContextDevice, deviceId);
  });

  it("resolves dependencies: an omitted patchVersion means the latest patch, an explicit one is used as given", async () => {
    const a = await importPackage(ctx, "SAMPLE_CODE", "1.0", {
      manifest: nodePackageManifest("SAMPLE_CODE", "1.0", { description: "a" }),
    });
    const b = await importPackage(ctx, "SAMPLE_CODE", "1.0", {
      markLatest: true,
      manifest: nodePackageManifest("SAMPLE_CODE", "1.0", { description: "b" }),
    });
    const latestId = await deployed();
    const deps = await ctx.panorama.send(
      new ListApplicationInstanceDependenciesCommand({ ApplicationInstanceId: latestId }),
    );
    assert.deepStrictEqual(
      deps.PackageObjects!.find((p) => p.Name === "SAMPLE_CODE"),
      { Name: "SAMPLE_CODE", PackageVersion: "1.0", PatchVersion: b.Output!.PatchVersion },
    );
    assert.ok(deps.PackageObjects!.some((p) => p.Name === "abstract_rtsp_media_source"));
    const pinnedId = await deployed(
      graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE", patchVersion: a.Output!.PatchVersion }]),
    );
    assert.strictEqual((await describe_(pinnedId)).Status, "DEPLOYMENT_SUCCEEDED");
    const pinned = await ctx.panorama.send(
      new ListApplicationInstanceDependenciesCommand({ ApplicationInstanceId: pinnedId }),
    );
    assert.strictEqual(
      pinned.PackageObjects!.find((p) => p.Name === "SAMPLE_CODE")!.PatchVersion,
      a.Output!.PatchVersion,
    );

    const nodes = await ctx.panorama.send(
      new ListApplicationInstanceNodeInstancesCommand({ ApplicationInstanceId: pinnedId }),
    );
    const code = nodes.NodeInstances!.find((n) => n.NodeInstanceId === "code_node_0")!;
    assert.deepStrictEqual(code, {
      NodeInstanceId: "code_node_0",
      NodeId: `SAMPLE_CODE-1.0-${a.Output!.PatchVersion!.slice(0, 8)}-interface`,
      PackageName: "SAMPLE_CODE",
      PackageVersion: "1.0",
      PackagePatchVersion: a.Output!.PatchVersion,
      NodeName: "interface",
      CurrentStatus: "RUNNING",
    });
    assert.ok(
      !nodes.NodeInstances!.some((n) => n.NodeInstanceId === "log_level"),
      "value nodes are not node instances",
    );
  });

  describe("DEPLOYMENT_FAILED with a precise StatusDescription", () => {
    const failsWith = async (manifest: string, expected: RegExp, extra = {}) => {
      const id = await deployed(manifest, extra);
      const a = await describe_(id);
      assert.strictEqual(a.Status, "DEPLOYMENT_FAILED");
      assert.match(a.StatusDescription!, expected);
      assert.ok(a.StatusDescription!.length <= 255);
      return a;
    };

    it("package that does not exist", () =>
      failsWith(
        graphManifest(ACCOUNT, [{ name: "NOPE" }]),
        /Package 123456789012::NOPE does not exist/,
      ));

    it("patchVersion that is not registered", async () => {
      await importPackage(ctx, "SAMPLE_CODE");
      await failsWith(
        graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE", patchVersion: "deadbeef" }]),
        /123456789012::SAMPLE_CODE version 1\.0 patch deadbeef is not registered/,
      );
    });

    it("version without any registered patch", async () => {
      await importPackage(ctx, "SAMPLE_CODE");
      await failsWith(
        graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE", version: "2.0" }]),
        /SAMPLE_CODE version 2\.0 has no registered patch/,
      );
    });

    it("package whose import job is still pending", async () => {
      await upload(ctx, "p.json", nodePackageManifest("SAMPLE_CODE"));
      await createImportJob(ctx, { key: "p.json", name: "SAMPLE_CODE" });
      await failsWith(
        graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]),
        /Package 123456789012::SAMPLE_CODE does not exist/,
      );
    });

    it("interface the package does not declare", async () => {
      await importPackage(ctx, "SAMPLE_CODE");
      const graph = JSON.parse(graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]));
      graph.nodeGraph.nodes[0].interface = `${ACCOUNT}::SAMPLE_CODE.missing_interface`;
      await failsWith(
        JSON.stringify(graph),
        /package 123456789012::SAMPLE_CODE has no interface missing_interface/,
      );
    });

    it("package of another account", () =>
      failsWith(
        graphManifest("999999999999", [{ name: "SAMPLE_CODE" }]),
        /belongs to account 999999999999/,
      ));
  });

  describe("a document that breaks the graph.json rules is a ValidationException naming its member", () => {
    const refused = async (
      manifest: string,
      extra: Partial<CreateApplicationInstanceCommandInput> = {},
    ) => {
      const before = (await ctx.panorama.send(new ListApplicationInstancesCommand({})))
        .ApplicationInstances!.length;
      const e = await rejects(create(manifest, extra), "ValidationException");
      assert.strictEqual(e.Reason, "FIELD_VALIDATION_FAILED");
      const after = (await ctx.panorama.send(new ListApplicationInstancesCommand({})))
        .ApplicationInstances!.length;
      assert.strictEqual(after, before, "no instance is created");
      return e;
    };

    it("text that is not JSON", async () => {
      const e = await refused("{nope");
      assert.strictEqual(e.Fields.length, 1);
      assert.strictEqual(e.Fields[0].Name, "ManifestPayload.PayloadData");
      assert.match(e.Fields[0].Message, /^Member is not valid JSON \(/);
      assert.match(
        e.message,
        /^1 validation error detected: Value at 'ManifestPayload\.PayloadData' failed to satisfy constraint: Member is not valid JSON/,
      );
    });

    it("every broken schema rule, one field each, by its path in the document", async () => {
      const graph = JSON.parse(graphManifest(ACCOUNT, []));
      graph.nodeGraph.packages = [];
      graph.nodeGraph.nodes[0].name = "camera node";
      graph.nodeGraph.nodes[2].value = 5;
      const e = await refused(JSON.stringify(graph));
      assert.deepStrictEqual(
        e.Fields.map((f: { Name: string; Message: string }) => [f.Name, f.Message]),
        [
          ["ManifestPayload.PayloadData", "nodeGraph.packages: must list at least 1 package"],
          [
            "ManifestPayload.PayloadData",
            'nodeGraph.nodes[0].name: must match ^[$A-Z_a-z0-9\\-]+$ (got "camera node")',
          ],
          ["ManifestPayload.PayloadData", "nodeGraph.nodes[2].value: must be a string (got 5)"],
          [
            "ManifestPayload.PayloadData",
            'nodeGraph.nodes[0].interface: uses package "panorama::abstract_rtsp_media_source", which is not declared in nodeGraph.packages',
          ],
          [
            "ManifestPayload.PayloadData",
            'nodeGraph.nodes[1].interface: uses package "panorama::hdmi_data_sink", which is not declared in nodeGraph.packages',
          ],
        ],
      );
      assert.match(e.message, /^5 validation errors detected: /);
    });

    it("a mandatory override not provided names the overrides member", async () => {
      await importPackage(ctx, "SAMPLE_CODE");
      const graph = JSON.parse(graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]));
      graph.nodeGraph.nodes.find(
        (n: { name: string }) => n.name === "camera_node",
      ).overrideMandatory = true;
      const e = await refused(JSON.stringify(graph));
      assert.deepStrictEqual(e.Fields, [
        {
          Name: "ManifestOverridesPayload.PayloadData",
          Message:
            'nodeGraphOverrides.nodeOverrides: node "camera_node" is overrideMandatory in the application manifest and must be replaced',
        },
      ]);
    });

    it("an override that replaces a node the graph does not mark overridable", async () => {
      await importPackage(ctx, "SAMPLE_CODE");
      const overrides = {
        nodeGraphOverrides: {
          envelopeVersion: "2021-01-01",
          nodes: [{ name: "screen", interface: "panorama::hdmi_data_sink.hdmi0" }],
          nodeOverrides: [{ replace: "output_node", with: [{ name: "screen" }] }],
        },
      };
      const e = await refused(graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]), {
        ManifestOverridesPayload: { PayloadData: JSON.stringify(overrides) },
      });
      assert.deepStrictEqual(e.Fields, [
        {
          Name: "ManifestOverridesPayload.PayloadData",
          Message:
            'nodeGraphOverrides.nodeOverrides[0].replace: node "output_node" is not overridable in the application manifest',
        },
      ]);
    });
  });

  it("unknown device is a ValidationException naming DefaultRuntimeContextDevice", async () => {
    const e = await rejects(
      create("{}", { DefaultRuntimeContextDevice: "device-nope" }),
      "ValidationException",
    );
    assert.strictEqual(e.Fields[0].Name, "DefaultRuntimeContextDevice");
    assert.match(e.message, /device-nope does not exist/);
  });

  it("ManifestPayload is required", async () => {
    const e = await rejects(
      ctx.panorama.send(
        new CreateApplicationInstanceCommand({ DefaultRuntimeContextDevice: deviceId } as any),
      ),
      "ValidationException",
    );
    assert.deepStrictEqual(e.Fields, [
      { Name: "ManifestPayload", Message: "Member must not be null" },
    ]);
  });

  it("removal: REMOVAL_PENDING → REMOVAL_SUCCEEDED, still readable; a second remove is a ConflictException", async () => {
    await importPackage(ctx, "SAMPLE_CODE");
    const id = await deployed();
    await ctx.panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id }));
    assert.strictEqual((await describe_(id)).Status, "REMOVAL_PENDING");
    await ctx.panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id }));
    ctx.emu.control.advanceClock(REMOVE_MS);
    const gone = await describe_(id);
    assert.strictEqual(gone.Status, "REMOVAL_SUCCEEDED");
    assert.strictEqual(gone.HealthStatus, "NOT_AVAILABLE");
    const e = await rejects(
      ctx.panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id })),
      "ConflictException",
    );
    assert.strictEqual(e.ResourceId, id);
    assert.strictEqual(e.ResourceType, "ApplicationInstance");
    assert.deepStrictEqual(e.ErrorArguments, [{ Name: "Status", Value: "REMOVAL_SUCCEEDED" }]);
    assert.strictEqual(e.$metadata.httpStatusCode, 409);
  });

  it("unknown instance is a ResourceNotFoundException", async () => {
    const e = await rejects(describe_("applicationInstance-nope"), "ResourceNotFoundException");
    assert.strictEqual(e.ResourceType, "ApplicationInstance");
    await rejects(
      ctx.panorama.send(
        new RemoveApplicationInstanceCommand({ ApplicationInstanceId: "applicationInstance-nope" }),
      ),
      "ResourceNotFoundException",
    );
  });

  it("replacement: the old instance keeps running until the new one succeeds, then is REMOVAL_SUCCEEDED", async () => {
    await importPackage(ctx, "SAMPLE_CODE");
    const oldId = await deployed();
    const { ApplicationInstanceId: newId } = await create(
      graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]),
      { ApplicationInstanceIdToReplace: oldId },
    );
    ctx.emu.control.advanceClock(DEPLOY_MS / 2);
    assert.strictEqual((await describe_(newId!)).Status, "DEPLOYMENT_IN_PROGRESS");
    assert.strictEqual((await describe_(oldId)).Status, "DEPLOYMENT_SUCCEEDED");
    assert.strictEqual((await describe_(oldId)).HealthStatus, "RUNNING");
    ctx.emu.control.advanceClock(DEPLOY_MS / 2);
    const fresh = await describe_(newId!);
    assert.strictEqual(fresh.Status, "DEPLOYMENT_SUCCEEDED");
    assert.strictEqual(fresh.ApplicationInstanceIdToReplace, oldId);
    assert.strictEqual((await describe_(oldId)).Status, "REMOVAL_SUCCEEDED");
  });

  it("ApplicationInstanceIdToReplace must name a live instance", async () => {
    const e = await rejects(
      create(graphManifest(ACCOUNT, []), {
        ApplicationInstanceIdToReplace: "applicationInstance-nope",
      }),
      "ValidationException",
    );
    assert.strictEqual(e.Fields[0].Name, "ApplicationInstanceIdToReplace");
  });

  it("removing an instance that is still deploying cancels the deployment", async () => {
    await importPackage(ctx, "SAMPLE_CODE");
    const { ApplicationInstanceId: id } = await create(
      graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]),
    );
    await ctx.panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id }));
    ctx.emu.control.advanceClock(DEPLOY_MS + REMOVE_MS);
    assert.strictEqual((await describe_(id!)).Status, "REMOVAL_SUCCEEDED");
  });

  it("a failed replacement leaves the old instance running", async () => {
    await importPackage(ctx, "SAMPLE_CODE");
    const oldId = await deployed();
    await deployed(graphManifest(ACCOUNT, [{ name: "MISSING" }]), {
      ApplicationInstanceIdToReplace: oldId,
    });
    assert.strictEqual((await describe_(oldId)).Status, "DEPLOYMENT_SUCCEEDED");
  });

  it("allows 10 instances per device; the 11th is a ServiceQuotaExceededException (402)", async () => {
    ctx.emu.control.setTiming({
      deployment: { mode: "immediate" },
      removal: { mode: "immediate" },
    });
    const manifest = graphManifest(ACCOUNT, []);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await create(manifest)).ApplicationInstanceId!);
    const e = await rejects(create(manifest), "ServiceQuotaExceededException");
    assert.strictEqual(e.$metadata.httpStatusCode, 402);
    assert.strictEqual(e.QuotaCode, "ApplicationInstancesPerDevice");
    assert.strictEqual(e.ServiceCode, "panorama");
    assert.strictEqual(e.ResourceId, deviceId);
    // Replacing one of them does not need a free slot; a removed one frees its slot.
    await create(manifest, { ApplicationInstanceIdToReplace: ids[0] });
    await ctx.panorama.send(
      new RemoveApplicationInstanceCommand({ ApplicationInstanceId: ids[1] }),
    );
    await create(manifest);
  });

  it("lists newest first with deviceId and statusFilter (grouped PROCESSING_* filters)", async () => {
    await importPackage(ctx, "SAMPLE_CODE");
    const a = await deployed();
    const { ApplicationInstanceId: b } = await create(
      graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]),
    );
    const all = await ctx.panorama.send(
      new ListApplicationInstancesCommand({ DeviceId: deviceId }),
    );
    assert.deepStrictEqual(
      all.ApplicationInstances!.map((x) => x.ApplicationInstanceId),
      [b, a],
    );
    const processing = await ctx.panorama.send(
      new ListApplicationInstancesCommand({ StatusFilter: "PROCESSING_DEPLOYMENT" }),
    );
    assert.deepStrictEqual(
      processing.ApplicationInstances!.map((x) => x.ApplicationInstanceId),
      [b],
    );
    const succeeded = await ctx.panorama.send(
      new ListApplicationInstancesCommand({ StatusFilter: "DEPLOYMENT_SUCCEEDED" }),
    );
    assert.deepStrictEqual(
      succeeded.ApplicationInstances!.map((x) => x.ApplicationInstanceId),
      [a],
    );
    assert.strictEqual(succeeded.ApplicationInstances![0].HealthStatus, "RUNNING");
    const none = await ctx.panorama.send(
      new ListApplicationInstancesCommand({ DeviceId: "device-other" }),
    );
    assert.deepStrictEqual(none.ApplicationInstances, []);
    const page = await ctx.panorama.send(new ListApplicationInstancesCommand({ MaxResults: 1 }));
    assert.strictEqual(page.ApplicationInstances!.length, 1);
    const next = await ctx.panorama.send(
      new ListApplicationInstancesCommand({ MaxResults: 1, NextToken: page.NextToken }),
    );
    assert.strictEqual(next.ApplicationInstances![0].ApplicationInstanceId, a);
  });

  describe("manual mode and the control API", () => {
    beforeEach(() =>
      ctx.emu.control.setTiming({ deployment: { mode: "manual" }, removal: { mode: "manual" } }),
    );

    it("a deployment waits for completeApplicationInstance; a removal too", async () => {
      await importPackage(ctx, "SAMPLE_CODE");
      const { ApplicationInstanceId: id } = await create(
        graphManifest(ACCOUNT, [{ name: "SAMPLE_CODE" }]),
      );
      ctx.emu.control.advanceClock(3_600_000);
      assert.strictEqual((await describe_(id!)).Status, "DEPLOYMENT_PENDING");
      assert.strictEqual(
        ctx.emu.control.completeApplicationInstance(id!).Status,
        "DEPLOYMENT_SUCCEEDED",
      );
      await ctx.panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id }));
      ctx.emu.control.advanceClock(3_600_000);
      assert.strictEqual((await describe_(id!)).Status, "REMOVAL_PENDING");
      ctx.emu.control.completeApplicationInstance(id!);
      assert.strictEqual((await describe_(id!)).Status, "REMOVAL_SUCCEEDED");
    });

    it("failApplicationInstance ends a deployment DEPLOYMENT_FAILED with the message", async () => {
      const { ApplicationInstanceId: id } = await create(graphManifest(ACCOUNT, []));
      ctx.emu.control.failApplicationInstance(id!, "camera unreachable");
      const a = await describe_(id!);
      assert.strictEqual(a.Status, "DEPLOYMENT_FAILED");
      assert.strictEqual(a.StatusDescription, "camera unreachable");
    });

    it("setApplicationInstanceStatus sets the status directly", async () => {
      const { ApplicationInstanceId: id } = await create(graphManifest(ACCOUNT, []));
      ctx.emu.control.setApplicationInstanceStatus(id!, {
        status: "DEPLOYMENT_ERROR",
        healthStatus: "ERROR",
        statusDescription: "boom",
      });
      const a = await describe_(id!);
      assert.deepStrictEqual(
        [a.Status, a.HealthStatus, a.StatusDescription],
        ["DEPLOYMENT_ERROR", "ERROR", "boom"],
      );
    });
  });
});
