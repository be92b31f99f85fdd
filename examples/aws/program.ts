// The same deployment against real AWS: the node-package manifest is uploaded with @pulumi/aws
// to a bucket of your own, at a key named by its sha256, so a changed manifest is a new object,
// a new import job, a new patch and a new application instance on the device.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  ApplicationInstance,
  applicationManifestOutput,
  Package,
  PackageImportJob,
  packageRefOutput,
} from "pulumi-panorama";

export function awsDeployment() {
  const config = new pulumi.Config();
  const manifestPath =
    config.get("manifestPath") ??
    path.join(__dirname, "..", "quickstart", "sample-code.package.json");
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")).nodePackage as {
    name: string;
    version: string;
  };
  const digest = createHash("sha256").update(fs.readFileSync(manifestPath)).digest("hex");

  const bucket = new aws.s3.Bucket("panorama-manifests", { forceDestroy: true });
  const object = new aws.s3.BucketObjectv2("package-manifest", {
    bucket: bucket.id,
    key: `${manifest.name}/${manifest.version}/${digest}.json`,
    source: new pulumi.asset.FileAsset(manifestPath),
    contentType: "application/json",
  });

  const pkg = new Package("package", { packageName: manifest.name });
  const job = new PackageImportJob("import", {
    inputConfig: {
      packageVersionInputConfig: {
        s3Location: { bucketName: object.bucket, objectKey: object.key, region: aws.config.region },
      },
    },
    outputConfig: {
      packageVersionOutputConfig: {
        packageName: pkg.packageName,
        packageVersion: manifest.version,
        markLatest: true,
      },
    },
  });

  const code = packageRefOutput({
    packageArn: pkg.arn,
    packageName: job.packageName,
    packageVersion: job.packageVersion,
    patchVersion: job.patchVersion,
  });
  const app = new ApplicationInstance("app", {
    name: `${manifest.name}-app`.replace(/[^a-zA-Z0-9\-_]/g, "-"),
    defaultRuntimeContextDevice: config.require("device"),
    runtimeRoleArn: config.get("runtimeRoleArn"),
    manifestPayload: applicationManifestOutput({
      packages: [code],
      nodes: [{ name: "code_node", package: code, interfaceName: "interface" }],
    }),
  });

  return {
    manifestObject: pulumi.interpolate`s3://${object.bucket}/${object.key}`,
    jobId: job.jobId,
    patchVersion: job.patchVersion,
    applicationInstanceId: app.applicationInstanceId,
    deployedPackages: app.packages,
  };
}
