// The quickstart stack: import a node package version from S3 and wait until it is SUCCEEDED.
// `index.ts` runs it as a Pulumi program; the demo and the end-to-end tests run the same
// function as an Automation API inline program.
import * as pulumi from "@pulumi/pulumi";
import { PackageImportJob } from "pulumi-panorama";

export function quickstart() {
  const config = new pulumi.Config();
  const packageName = config.get("packageName") ?? "SAMPLE_CODE";
  const packageVersion = config.get("packageVersion") ?? "1.0";

  const job = new PackageImportJob("sample-code", {
    inputConfig: {
      packageVersionInputConfig: {
        s3Location: { bucketName: config.require("manifestBucket"), objectKey: config.require("manifestKey") },
      },
    },
    outputConfig: { packageVersionOutputConfig: { packageName, packageVersion, markLatest: true } },
    waitOptions: { timeoutSeconds: config.getNumber("importTimeoutSeconds") ?? 600 },
  });

  return {
    jobId: job.jobId,
    status: job.status,
    packageId: job.packageId,
    packageVersion: job.packageVersion,
    patchVersion: job.patchVersion,
  };
}
