// The quickstart stack: a Panorama package, the import of its code from S3 (waited until
// SUCCEEDED), and, when a device is configured, the application deployed onto it pinned to
// exactly the imported patch. `index.ts` runs it as a Pulumi program; the demo and the
// end-to-end tests run the same function as an Automation API inline program.
import * as pulumi from "@pulumi/pulumi";
import {
  ApplicationInstance,
  applicationManifestOutput,
  Package,
  PackageImportJob,
  packageRefOutput,
} from "pulumi-panorama";

export function quickstart() {
  const config = new pulumi.Config();
  const packageName = config.get("packageName") ?? "SAMPLE_CODE";
  const packageVersion = config.get("packageVersion") ?? "1.0";

  // forceDelete: `pulumi destroy` removes the package together with its registered patches.
  const pkg = new Package("sample-code-package", { packageName, forceDelete: true });

  const job = new PackageImportJob("sample-code", {
    inputConfig: {
      packageVersionInputConfig: {
        s3Location: {
          bucketName: config.require("manifestBucket"),
          objectKey: config.require("manifestKey"),
        },
      },
    },
    // Naming the package through its resource orders the import after it.
    outputConfig: {
      packageVersionOutputConfig: {
        packageName: pkg.packageName,
        packageVersion,
        markLatest: true,
      },
    },
    waitOptions: { timeoutSeconds: config.getNumber("importTimeoutSeconds") ?? 600 },
  });

  const outputs: Record<string, pulumi.Output<unknown>> = {
    jobId: job.jobId,
    status: job.status,
    packageId: job.packageId,
    packageVersion: job.packageVersion,
    patchVersion: job.patchVersion,
  };

  const device = config.get("device");
  if (device) {
    // The graph pins the package to the patch the job imported, so the deployment depends on
    // the job having SUCCEEDED and a new patch deploys a new application instance.
    const code = packageRefOutput({
      packageArn: pkg.arn,
      packageName: job.packageName,
      packageVersion: job.packageVersion,
      patchVersion: job.patchVersion,
    });
    const app = new ApplicationInstance("sample-app", {
      name: "sample-app",
      description: "Quickstart application",
      defaultRuntimeContextDevice: device,
      manifestPayload: applicationManifestOutput({
        packages: [code],
        nodes: [{ name: "code_node", package: code, interfaceName: "interface" }],
      }),
    });
    outputs.applicationInstanceId = app.applicationInstanceId;
    outputs.deploymentStatus = app.status;
    outputs.healthStatus = app.healthStatus;
    outputs.deployedPackages = app.packages;
  }
  return outputs;
}
