// What the emulator answers conforms to the model's output shapes (member names, enums, lengths,
// patterns, required members) for every implemented operation, checked on the raw JSON.
import * as assert from "assert";
import { operations, validate } from "../../model/panoramaModel";
import { startTestEmulator, stopTestEmulator, EmulatorFixture } from "../support/emulatorFixture";
import { raw } from "../support/signedRequests";
import { graphManifest, importPackage } from "../support/packageFixtures";
import { createCameraNode } from "./cameraNodes";
import {
  CreateApplicationInstanceCommand,
  CreateJobForDevicesCommand,
  ListDevicesCommand,
} from "@aws-sdk/client-panorama";

describe("emulator: responses conform to the model's output shapes", () => {
  let ctx: EmulatorFixture;
  const calls: [string, string, Record<string, string>?][] = [];
  before(async () => {
    ctx = await startTestEmulator();
    const job = await importPackage(ctx, "SAMPLE_CODE");
    const deviceId = (await ctx.panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
    const { ApplicationInstanceId: app } = await ctx.panorama.send(
      new CreateApplicationInstanceCommand({
        ManifestPayload: { PayloadData: graphManifest("123456789012", [{ name: "SAMPLE_CODE" }]) },
        DefaultRuntimeContextDevice: deviceId,
      }),
    );
    ctx.emu.control.advanceClock(2000);
    const templateJob = await createCameraNode(ctx, "outputs_cam");
    const { Jobs } = await ctx.panorama.send(
      new CreateJobForDevicesCommand({
        DeviceIds: [deviceId],
        JobType: "OTA",
        DeviceJobConfig: { OTAJobConfig: { ImageVersion: "6.2.2" } },
      }),
    );
    ctx.emu.control.advanceClock(4500);
    const pkg = job.Output!.PackageId!;
    const arn = `arn:aws:panorama:us-east-1:123456789012:package/${pkg}`;
    calls.push(
      ["DescribePackage", `/packages/metadata/${pkg}`],
      ["ListPackages", "/packages"],
      ["DescribePackageImportJob", `/packages/import-jobs/${job.JobId}`],
      ["ListPackageImportJobs", "/packages/import-jobs"],
      ["DescribePackageVersion", `/packages/metadata/${pkg}/versions/1.0`],
      ["ListTagsForResource", `/tags/${encodeURIComponent(arn)}`],
      ["ListDevices", "/devices"],
      ["DescribeDevice", `/devices/${deviceId}`],
      ["DescribeApplicationInstance", `/application-instances/${app}`],
      ["DescribeApplicationInstanceDetails", `/application-instances/${app}/details`],
      ["ListApplicationInstances", "/application-instances"],
      ["ListApplicationInstanceDependencies", `/application-instances/${app}/package-dependencies`],
      ["ListApplicationInstanceNodeInstances", `/application-instances/${app}/node-instances`],
      ["DescribeNodeFromTemplateJob", `/packages/template-job/${templateJob}`],
      ["ListNodeFromTemplateJobs", "/packages/template-job"],
      ["ListNodes", "/nodes"],
      ["DescribeDeviceJob", `/jobs/${Jobs![0].JobId}`],
      ["ListDevicesJobs", "/jobs"],
    );
    const nodes = await raw(ctx.emu, { method: "GET", path: "/nodes", service: "panorama" });
    for (const n of nodes.json().Nodes)
      calls.push(["DescribeNode", `/nodes/${encodeURIComponent(n.NodeId)}`]);
  });
  after(() => stopTestEmulator(ctx));

  it("every Describe/List answer validates against its output shape", async () => {
    const outputOf = Object.fromEntries(operations().map((o) => [o.name, o.output!]));
    const seen = new Set<string>();
    for (const [name, path] of calls) {
      const res = await raw(ctx.emu, { method: "GET", path, service: "panorama" });
      assert.strictEqual(res.status, 200, `${name}: ${res.text}`);
      const violations = validate(outputOf[name], res.json());
      seen.add(name);
      assert.deepStrictEqual(violations, [], `${name} answered ${res.text}`);
    }
    const reads = operations()
      .map((o) => o.name)
      .filter((n) => /^(Describe|List)/.test(n) && !seen.has(n));
    assert.deepStrictEqual(reads, [], "every Describe and List operation is checked");
  });
});
