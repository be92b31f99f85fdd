// examples/aws needs a real AWS account, so its wiring is checked under Pulumi's mocks: the
// manifest object @pulumi/aws uploads is what the import job reads, and the application's graph
// pins the package to the patch the import job produced, owned by the account in the package ARN.
import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

const MANIFEST = path.join(__dirname, "../../examples/quickstart/sample-code.package.json");
const PATCH = "a".repeat(64);
const PACKAGE_ARN =
  "arn:aws:panorama:us-east-1:210987654321:package/package-226t5xm5k6j6lahmcwy5ec6sky";

function settle<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

describe("examples/aws wiring (mocks)", () => {
  const inputsByName: Record<string, Record<string, any>> = {};

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          inputsByName[args.name] = args.inputs;
          const state: Record<string, unknown> = { ...args.inputs };
          if (args.type.endsWith(":Package"))
            Object.assign(state, {
              arn: PACKAGE_ARN,
              packageId: "package-226t5xm5k6j6lahmcwy5ec6sky",
            });
          if (args.type.endsWith(":PackageImportJob"))
            Object.assign(state, {
              jobId: "packageImportJob-1",
              packageName: "SAMPLE_CODE",
              packageVersion: "1.0",
              patchVersion: PATCH,
              status: "SUCCEEDED",
            });
          if (args.type.endsWith(":ApplicationInstance"))
            state.applicationInstanceId = "applicationInstance-1";
          return { id: `${args.name}-id`, state };
        },
        call: () => ({}),
      },
      "panorama-aws",
      "test",
    );
    pulumi.runtime.setAllConfig({
      "aws:region": "us-east-1",
      "panorama-aws:device": "device-4tafxmplhtmzabv5lsacba4ere",
    });
  });

  it("uploads the manifest under its sha256 and imports exactly that object, then pins the imported patch", async () => {
    const { awsDeployment } = await import("../../examples/aws/program");
    const outputs = awsDeployment();
    assert.strictEqual(
      await settle(outputs.manifestObject as pulumi.Output<string>),
      `s3://panorama-manifests-id/SAMPLE_CODE/1.0/${createHash("sha256").update(fs.readFileSync(MANIFEST)).digest("hex")}.json`,
    );
    await settle(outputs.applicationInstanceId);

    const object = inputsByName["package-manifest"];
    const job = inputsByName["import"];
    const s3 = job.inputConfig.packageVersionInputConfig.s3Location;
    assert.deepStrictEqual(
      [s3.bucketName, s3.objectKey, s3.region],
      [object.bucket, object.key, "us-east-1"],
    );
    assert.strictEqual(job.outputConfig.packageVersionOutputConfig.packageName, "SAMPLE_CODE");
    assert.match(
      job.__provider,
      /"pulumi-panorama\/dist\/provider\/resources\/registry\.js"[\s\S]*require\(registry\)\.implementation\(type\)/,
      "the real serialized shim",
    );

    const app = inputsByName["app"];
    assert.strictEqual(app.defaultRuntimeContextDevice, "device-4tafxmplhtmzabv5lsacba4ere");
    const graph = JSON.parse(app.manifestPayload).nodeGraph;
    assert.deepStrictEqual(graph.packages, [
      { name: "210987654321::SAMPLE_CODE", version: "1.0", patchVersion: PATCH },
    ]);
    assert.deepStrictEqual(graph.nodes, [
      { name: "code_node", interface: "210987654321::SAMPLE_CODE.interface" },
    ]);
  });
});
