// Packages for tests: node-package manifests and graph.json texts, uploads to an input bucket, and
// an import that waits (on the emulator's clock) until the job has SUCCEEDED.
import * as assert from "assert";
import { createHash } from "crypto";
import {
  CreatePackageImportJobCommand,
  DescribePackageImportJobCommand,
  DescribePackageImportJobCommandOutput,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { EmulatorFixture } from "./emulatorFixture";

export const INPUT_BUCKET = "customer-input-bucket";

export function nodePackageManifest(
  name: string,
  version = "1.0",
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify(
    {
      nodePackage: {
        envelopeVersion: "2021-01-01",
        name,
        version,
        description: `Test package ${name}`,
        assets: [
          {
            name: "code_asset",
            implementations: [
              { type: "container", assetUri: "abc.tar.gz", descriptorUri: "def.json" },
            ],
          },
        ],
        interfaces: [
          {
            name: "interface",
            category: "business_logic",
            asset: "code_asset",
            inputs: [{ name: "video_in", type: "media" }],
            outputs: [{ name: "video_out", type: "media" }],
          },
        ],
        ...extra,
      },
    },
    null,
    2,
  );
}

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

export async function ensureInputBucket(ctx: EmulatorFixture): Promise<void> {
  try {
    await ctx.s3.send(new CreateBucketCommand({ Bucket: INPUT_BUCKET }));
  } catch (e) {
    if ((e as Error).name !== "BucketAlreadyOwnedByYou") throw e;
  }
}

export async function upload(ctx: EmulatorFixture, key: string, body: string): Promise<void> {
  await ensureInputBucket(ctx);
  await ctx.s3.send(new PutObjectCommand({ Bucket: INPUT_BUCKET, Key: key, Body: body }));
}

export interface ImportArgs {
  key: string;
  name: string;
  version?: string;
  markLatest?: boolean;
  clientToken?: string;
}

export async function createImportJob(ctx: EmulatorFixture, a: ImportArgs): Promise<string> {
  const out = await ctx.panorama.send(
    new CreatePackageImportJobCommand({
      ClientToken: a.clientToken ?? `token-${Math.random().toString(36).slice(2)}`,
      JobType: "NODE_PACKAGE_VERSION",
      InputConfig: {
        PackageVersionInputConfig: { S3Location: { BucketName: INPUT_BUCKET, ObjectKey: a.key } },
      },
      OutputConfig: {
        PackageVersionOutputConfig: {
          PackageName: a.name,
          PackageVersion: a.version ?? "1.0",
          MarkLatest: a.markLatest,
        },
      },
    }),
  );
  return out.JobId!;
}

/** Uploads a manifest, imports it and fast-forwards the emulator clock until the job has settled. */
export async function importPackage(
  ctx: EmulatorFixture,
  name: string,
  version = "1.0",
  options: { markLatest?: boolean; manifest?: string } = {},
): Promise<DescribePackageImportJobCommandOutput & { manifest: string }> {
  const manifest = options.manifest ?? nodePackageManifest(name, version);
  const key = `imports/${name}/${version}/${sha256(manifest)}.json`;
  await upload(ctx, key, manifest);
  const jobId = await createImportJob(ctx, { key, name, version, markLatest: options.markLatest });
  ctx.emu.control.advanceClock(ctx.emu.control.getTiming().importJob.durationMs * 2 + 1);
  const job = await ctx.panorama.send(new DescribePackageImportJobCommand({ JobId: jobId }));
  assert.strictEqual(job.Status, "SUCCEEDED", job.StatusMessage);
  return { ...job, manifest };
}

/** graph.json text for a one-node application using the given account packages. */
export function graphManifest(
  accountId: string,
  packages: { name: string; version?: string; patchVersion?: string }[],
): string {
  return JSON.stringify({
    nodeGraph: {
      envelopeVersion: "2021-01-01",
      packages: [
        ...packages.map((p) => ({
          name: `${accountId}::${p.name}`,
          version: p.version ?? "1.0",
          ...(p.patchVersion && { patchVersion: p.patchVersion }),
        })),
        { name: "panorama::abstract_rtsp_media_source", version: "1.0" },
        { name: "panorama::hdmi_data_sink", version: "1.0" },
      ],
      nodes: [
        ...packages.map((p, i) => ({
          name: `code_node_${i}`,
          interface: `${accountId}::${p.name}.interface`,
        })),
        {
          name: "camera_node",
          interface: "panorama::abstract_rtsp_media_source.rtsp_v1_interface",
          overridable: true,
        },
        { name: "output_node", interface: "panorama::hdmi_data_sink.hdmi0" },
        { name: "log_level", interface: "string", value: "INFO", overridable: true },
      ],
      edges: [
        ...(packages.length
          ? [
              { producer: "camera_node.video_out", consumer: "code_node_0.video_in" },
              { producer: "code_node_0.video_out", consumer: "output_node.video_in" },
            ]
          : []),
      ],
    },
  });
}
