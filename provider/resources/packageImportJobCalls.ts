// What every part of PackageImportJob shares: the default job type, the outputs merged from a
// DescribePackageImportJob answer, and how messages name the job and its manifest.
import type { DescribePackageImportJobResponse } from "@aws-sdk/client-panorama";
import type { PackageImportJobType } from "../../model/panoramaTypes";
import { definedOnly, fromApi } from "../lifecycle/apiShapes";
import type { Props } from "../lifecycle/resourceSpec";

export const DEFAULT_JOB_TYPE: PackageImportJobType = "NODE_PACKAGE_VERSION";

/** Merges a DescribePackageImportJob answer into outputs; nothing known is ever dropped. */
export function withJob(outs: Props, job: DescribePackageImportJobResponse): Props {
  const described = fromApi("DescribePackageImportJobResponse", job) as Props;
  const merged: Props = { ...outs, ...described };
  const out = described.output ?? outs.output;
  merged.output = out;
  merged.packageName =
    described.outputConfig?.packageVersionOutputConfig?.packageName ?? outs.packageName;
  merged.packageVersion =
    out?.packageVersion ??
    described.outputConfig?.packageVersionOutputConfig?.packageVersion ??
    outs.packageVersion;
  merged.packageId = out?.packageId ?? outs.packageId;
  merged.patchVersion = out?.patchVersion ?? outs.patchVersion;
  merged.statusMessage = described.statusMessage ?? "";
  return definedOnly(merged);
}

export function target(p: Props): string {
  const out = p.outputConfig?.packageVersionOutputConfig ?? {};
  return `${out.packageName ?? p.packageName ?? "?"} ${out.packageVersion ?? p.packageVersion ?? "?"}`;
}

export function label(p: Props): string {
  return `PackageImportJob ${target(p)}`;
}

export function s3Url(p: Props): string {
  const loc = p.inputConfig?.packageVersionInputConfig?.s3Location ?? {};
  return `s3://${loc.bucketName ?? "?"}/${loc.objectKey ?? "?"}`;
}
