// Consumer code a user of the installed package writes, type-checked against the packed tarball
// (never compiled by the repository's own tsconfig, which excludes this folder).
import * as pulumi from "@pulumi/pulumi";
import {
  ApplicationInstance,
  applicationManifestOutput,
  getDevice,
  GetDeviceResult,
  getDeviceOutput,
  getPackageVersionOutput,
  Package,
  PackageImportJob,
  packageRefOutput,
} from "pulumi-panorama";
import { startEmulator } from "pulumi-panorama/emulator";

const pkg = new Package("code", { packageName: "SAMPLE_CODE", forceDelete: true });
const job = new PackageImportJob("code-1.0", {
  inputConfig: {
    packageVersionInputConfig: {
      s3Location: { bucketName: "manifests", objectKey: "SAMPLE_CODE/1.0/package.json" },
    },
  },
  outputConfig: {
    packageVersionOutputConfig: {
      packageName: pkg.packageName,
      packageVersion: "1.0",
      markLatest: true,
    },
  },
  waitOptions: { timeoutSeconds: 900 },
});

// Nested outputs are plain values inside apply (needs the typed outputs of issue 10, item 2).
export const manifestBucket: pulumi.Output<string> = job.inputConfig.apply(
  (c) => c.packageVersionInputConfig.s3Location.bucketName,
);
export const importedKey: pulumi.Output<string> = job.output.apply(
  (o) => o.outputS3Location.objectKey,
);
export const assetsBucket: pulumi.Output<string> = pkg.storageLocation.apply((l) => l.bucket);

// The manifest builder fed from outputs: the deployment pins exactly the imported patch.
const code = packageRefOutput({
  packageArn: pkg.arn,
  packageName: job.packageName,
  packageVersion: job.packageVersion,
  patchVersion: job.patchVersion,
});
const device = getDeviceOutput({ name: "emulator-device" });
const app = new ApplicationInstance("app", {
  name: "sample-app",
  defaultRuntimeContextDevice: device.deviceId,
  manifestPayload: applicationManifestOutput({
    packages: [code],
    nodes: [{ name: "code_node", package: code, interfaceName: "interface" }],
  }),
});
export const deployedPatches = app.packages;

// A stack that deploys what another stack imported.
const imports = new pulumi.StackReference("organization/panorama-imports/dev");
const importedPatch = imports.requireOutput("patchVersion") as pulumi.Output<string>;
const imported = packageRefOutput({
  packageArn: imports.requireOutput("packageArn") as pulumi.Output<string>,
  packageName: "SAMPLE_CODE",
  packageVersion: "1.0",
  patchVersion: importedPatch,
});
export const importedStatus = getPackageVersionOutput({
  packageName: "SAMPLE_CODE",
  packageVersion: "1.0",
  patchVersion: importedPatch,
}).status;
export const importedManifest = applicationManifestOutput({
  packages: [imported],
  nodes: [{ name: "code_node", package: imported, interfaceName: "interface" }],
});

// Lookup results are typed.
export async function deviceName(deviceId: string): Promise<string> {
  const found: GetDeviceResult = await getDevice({ deviceId });
  return `${found.name} (${found.deviceAggregatedStatus ?? "unknown"})`;
}

// The emulator's API, for a program's own tests.
export async function withEmulator(): Promise<string> {
  const emu = await startEmulator({ port: 0 });
  await emu.stop();
  return emu.url;
}
