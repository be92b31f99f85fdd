// The quickstart (examples/quickstart/program.ts: the same resources, names and inputs) as a
// program of the plugin door, written without a generated SDK: resources by type token, the
// device given by id or found through the getDevice invoke, the manifest built with this
// package's builder from the import job's outputs.
import * as pulumi from "@pulumi/pulumi";
import { applicationManifestOutput, packageRefOutput } from "pulumi-panorama";
import { pluginResource, pluginToken } from "../support/pluginDoor";

export interface PluginQuickstartOptions {
  manifestBucket: string;
  manifestKey: string;
  /** Deploys onto this device (by name, through the getDevice invoke) when set. */
  deviceName?: string;
  /** Deploys onto this device (by id) when set. */
  deviceId?: string;
  opts?: pulumi.CustomResourceOptions;
  /** Options of the import job only (customTimeouts, say). */
  jobOpts?: pulumi.CustomResourceOptions;
  /** Secret tags of the package (they must stay secret in state). */
  secretTag?: string;
}

export function pluginQuickstart(o: PluginQuickstartOptions) {
  const pkg = pluginResource(
    "Package",
    "sample-code-package",
    {
      packageName: "SAMPLE_CODE",
      forceDelete: true,
      ...(o.secretTag ? { tags: { owner: pulumi.secret(o.secretTag) } } : {}),
    },
    o.opts,
  );
  const job = pluginResource(
    "PackageImportJob",
    "sample-code",
    {
      inputConfig: {
        packageVersionInputConfig: {
          s3Location: { bucketName: o.manifestBucket, objectKey: o.manifestKey },
        },
      },
      outputConfig: {
        packageVersionOutputConfig: {
          packageName: pkg.packageName,
          packageVersion: "1.0",
          markLatest: true,
        },
      },
      waitOptions: { timeoutSeconds: 600 },
    },
    { ...o.opts, ...o.jobOpts },
  );
  const outputs: Record<string, pulumi.Output<unknown>> = {
    packageId: pkg.packageId,
    jobId: job.jobId,
    status: job.status,
    packageVersion: job.packageVersion,
    patchVersion: job.patchVersion,
  };
  if (o.deviceName || o.deviceId) {
    const deviceId = o.deviceId
      ? pulumi.output(o.deviceId)
      : pulumi
          .output(
            pulumi.runtime.invoke(
              pluginToken("getDevice"),
              { name: o.deviceName },
              { provider: o.opts?.provider },
            ),
          )
          .apply((d) => d.deviceId as string);
    const code = packageRefOutput({
      packageArn: pkg.arn,
      packageName: job.packageName,
      packageVersion: job.packageVersion,
      patchVersion: job.patchVersion,
    });
    const app = pluginResource(
      "ApplicationInstance",
      "sample-app",
      {
        name: "sample-app",
        description: "Quickstart application",
        defaultRuntimeContextDevice: deviceId,
        manifestPayload: applicationManifestOutput({
          packages: [code],
          nodes: [{ name: "code_node", package: code, interfaceName: "interface" }],
        }),
      },
      o.opts,
    );
    outputs.applicationInstanceId = app.applicationInstanceId;
    outputs.deploymentStatus = app.status;
    outputs.healthStatus = app.healthStatus;
    outputs.deployedPackages = app.packages;
  }
  return outputs;
}
