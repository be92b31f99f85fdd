// The quickstart (examples/quickstart/program.ts: the same resources, names and inputs) written on
// the nodejs SDK generated from schema.json (sdk/nodejs, `@pulumi-panorama/plugin-sdk`): typed
// classes and invokes instead of type tokens, graph.json built with this package's builder from
// the import job's outputs. The SDK is passed in (its compiled package), typed by its sources.
import * as pulumi from "@pulumi/pulumi";
import { applicationManifestOutput, packageRefOutput } from "pulumi-panorama";
import type * as Sdk from "../../sdk/nodejs";

export interface SdkQuickstartOptions {
  manifestBucket: string;
  manifestKey: string;
  deviceName: string;
}

export function sdkQuickstart(panorama: typeof Sdk, o: SdkQuickstartOptions) {
  // forceDelete: `pulumi destroy` removes the package together with its registered patches.
  const pkg = new panorama.Package("sample-code-package", {
    packageName: "SAMPLE_CODE",
    forceDelete: true,
  });
  const job = new panorama.PackageImportJob("sample-code", {
    inputConfig: {
      packageVersionInputConfig: {
        s3Location: { bucketName: o.manifestBucket, objectKey: o.manifestKey },
      },
    },
    // Naming the package through its resource orders the import after it.
    outputConfig: {
      packageVersionOutputConfig: {
        packageName: pkg.packageName,
        packageVersion: "1.0",
        markLatest: true,
      },
    },
    waitOptions: { timeoutSeconds: 600 },
  });
  // A lookup through the plugin's invoke: the device to deploy onto, by name.
  const device = panorama.getDeviceOutput({ name: o.deviceName });
  // The graph pins the package to the patch the job imported.
  const code = packageRefOutput({
    packageArn: pkg.arn,
    packageName: job.packageName,
    packageVersion: job.packageVersion,
    patchVersion: job.patchVersion,
  });
  const app = new panorama.ApplicationInstance("sample-app", {
    name: "sample-app",
    description: "Quickstart application",
    defaultRuntimeContextDevice: device.deviceId,
    manifestPayload: applicationManifestOutput({
      packages: [code],
      nodes: [{ name: "code_node", package: code, interfaceName: "interface" }],
    }),
  });
  const outputs: Record<string, pulumi.Output<unknown>> = {
    jobId: job.jobId,
    status: job.status,
    packageId: job.packageId,
    packageVersion: job.packageVersion,
    patchVersion: job.patchVersion,
    applicationInstanceId: app.applicationInstanceId,
    deploymentStatus: app.status,
    healthStatus: app.healthStatus,
    deployedPackages: app.packages,
  };
  return outputs;
}
