// Shared set-up for the emulator tests: a started emulator, real SDK clients pointed at it,
// manifest builders, and a raw signed-HTTP helper for wire-level assertions.
import * as assert from "assert";
import { createHash, createHmac } from "crypto";
import * as http from "http";
import { SignatureV4 } from "@smithy/signature-v4";
import {
  CreatePackageImportJobCommand,
  DescribePackageImportJobCommand,
  DescribePackageImportJobCommandOutput,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { EmulatorOptions, RunningEmulator, startEmulator } from "../../emulator";

export interface TestContext {
  emu: RunningEmulator;
  panorama: PanoramaClient;
  s3: S3Client;
}

/** What the control API requires: a JSON content type on POST, the bearer token when one is set. */
export function controlHeaders(emu: RunningEmulator, method: string): Record<string, string> {
  return {
    ...(method === "POST" && { "content-type": "application/json" }),
    ...(emu.controlToken && { authorization: `Bearer ${emu.controlToken}` }),
  };
}

/** An emulator whose clock moves only with advanceClock (unless the test asks otherwise). */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestContext> {
  const emu = await startEmulator({ port: 0, frozenClock: true, ...options });
  const config = {
    endpoint: emu.url,
    region: emu.region,
    credentials: emu.credentials,
    maxAttempts: 1,
  };
  return {
    emu,
    panorama: new PanoramaClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
}

export async function stopTestEmulator(ctx: TestContext | undefined): Promise<void> {
  ctx?.panorama.destroy();
  ctx?.s3.destroy();
  await ctx?.emu.stop();
}

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

export async function ensureInputBucket(ctx: TestContext): Promise<void> {
  try {
    await ctx.s3.send(new CreateBucketCommand({ Bucket: INPUT_BUCKET }));
  } catch (e) {
    if ((e as Error).name !== "BucketAlreadyOwnedByYou") throw e;
  }
}

export async function upload(ctx: TestContext, key: string, body: string): Promise<void> {
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

export async function createImportJob(ctx: TestContext, a: ImportArgs): Promise<string> {
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
  ctx: TestContext,
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

/** Expects the promise to reject with an SDK exception of this class (by name), and returns it. */
export async function rejects<T = any>(promise: Promise<unknown>, name: string): Promise<T> {
  try {
    await promise;
  } catch (e) {
    assert.strictEqual(
      (e as Error).name,
      name,
      `expected ${name}, got ${(e as Error).name}: ${(e as Error).message}`,
    );
    return e as T;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

// ---- raw HTTP ----------------------------------------------------------------------------

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): any;
}

export interface RawRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sign for this service; undefined sends the request unsigned. */
  service?: "panorama" | "s3";
  credentials?: { accessKeyId: string; secretAccessKey: string };
  signingDate?: Date;
  /** Sign without the x-amz-content-sha256 header, so the body hash is only inside the signature. */
  noContentSha256?: boolean;
  /** Replaces the body after signing (to test tampering). */
  bodyAfterSigning?: string | Buffer;
}

export async function raw(emu: RunningEmulator, r: RawRequest): Promise<RawResponse> {
  const url = new URL(emu.url);
  const search = Object.entries(r.query ?? {})
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`),
    )
    .join("&");
  let headers: Record<string, string> = { host: url.host, ...(r.headers ?? {}) };
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  if (body) headers["content-length"] = String(body.length);
  if (r.service) {
    const signer = new SignatureV4({
      credentials: r.credentials ?? emu.credentials,
      region: emu.region,
      service: r.service,
      sha256: TestSha256,
      uriEscapePath: r.service !== "s3",
      applyChecksum: !r.noContentSha256,
    });
    const signed = await signer.sign(
      {
        method: r.method,
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: r.path,
        query: r.query ?? {},
        headers,
        body,
      },
      { signingDate: r.signingDate },
    );
    headers = signed.headers as Record<string, string>;
  }
  const finalBody = r.bodyAfterSigning === undefined ? body : Buffer.from(r.bodyAfterSigning);
  if (finalBody) headers["content-length"] = String(finalBody.length);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path + (search ? `?${search}` : ""),
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
      },
    );
    req.on("error", reject);
    req.end(finalBody);
  });
}

class TestSha256 {
  private readonly h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

function bytes(d: string | ArrayBuffer | ArrayBufferView): string | Buffer {
  if (typeof d === "string") return d;
  return ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);
}

/** A request to the unsigned control API (`/_emulator/<path>`), answered as status and JSON body. */
export async function controlRequest(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await raw(emu, {
    method,
    path: `/_emulator/${path}`,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { ...controlHeaders(emu, method), ...headers },
  });
  return { status: res.status, body: res.text ? res.json() : undefined };
}
