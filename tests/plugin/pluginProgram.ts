// The quickstart as a program of the plugin door, written without a generated SDK: resources by
// type token, the device found through the getDevice invoke, the manifest built with this
// package's builder from the import job's outputs.
import * as pulumi from "@pulumi/pulumi";
import { applicationManifestOutput, packageRefOutput } from "pulumi-panorama";
import { pluginResource, pluginToken } from "../support/pluginDoor";

export interface PluginQuickstartOptions {
  manifestBucket: string;
  manifestKey: string;
  /** Deploys onto this device (by name, through the getDevice invoke) when set. */
  deviceName?: string;
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
    },
    { ...o.opts, ...o.jobOpts },
  );
  const outputs: Record<string, pulumi.Output<unknown>> = {
    packageId: pkg.packageId,
    jobId: job.jobId,
    status: job.status,
    patchVersion: job.patchVersion,
  };
  if (o.deviceName) {
    const device = pulumi.output(
      pulumi.runtime.invoke(
        pluginToken("getDevice"),
        { name: o.deviceName },
        { provider: o.opts?.provider },
      ),
    );
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
        defaultRuntimeContextDevice: device.apply((d) => d.deviceId as string),
        manifestPayload: applicationManifestOutput({
          packages: [code],
          nodes: [{ name: "code_node", package: code, interfaceName: "interface" }],
        }),
      },
      o.opts,
    );
    outputs.applicationInstanceId = app.applicationInstanceId;
    outputs.deploymentStatus = app.status;
    outputs.deployedPackages = app.packages;
  }
  return outputs;
}
