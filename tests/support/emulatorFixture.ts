// Starts the emulator in-process for a test file and points the AWS SDK's standard environment
// variables at it, exactly as a user would (endpoint, credentials, region), so provider code
// runs unmodified. Restores the environment afterwards.
import * as fs from "fs";
import * as path from "path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreatePackageImportJobCommand, PanoramaClient } from "@aws-sdk/client-panorama";
import { startEmulator } from "../../emulator";
import type { EmulatorOptions } from "../../emulator/options";

export const MANIFEST_BUCKET = "pulumi-panorama-manifests";
export const SAMPLE_MANIFEST = fs.readFileSync(
  path.join(__dirname, "../../examples/quickstart/sample-code.package.json"),
  "utf8",
);

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface EmulatorFixture {
  emu: Emulator;
  env: Record<string, string>;
  panorama: PanoramaClient;
  s3: S3Client;
  /** Uploads a manifest to the emulator's S3 with the real S3 client and returns its key. */
  uploadManifest(key: string, body?: string): Promise<string>;
  /**
   * Starts an import job of the manifest at `key` into SAMPLE_CODE 1.0 (marked latest) with the
   * real Panorama client, as panorama-cli would outside any stack; returns its id.
   */
  createImportJob(key: string, clientToken: string): Promise<string>;
}

/** The environment a user exports to point any AWS client at the emulator. */
export function emulatorEnv(
  emu: Emulator,
  credentials = { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
) {
  return {
    AWS_ENDPOINT_URL_PANORAMA: emu.url,
    AWS_ENDPOINT_URL_S3: emu.url,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: "us-east-1",
  };
}

export async function startFixture(options: EmulatorOptions = {}): Promise<EmulatorFixture> {
  const emu = await startEmulator({ port: 0, ...options });
  const env = emulatorEnv(emu);
  const credentials = {
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  };
  const s3 = new S3Client({
    region: env.AWS_REGION,
    endpoint: emu.url,
    forcePathStyle: true,
    credentials,
  });
  const panorama = new PanoramaClient({ region: env.AWS_REGION, endpoint: emu.url, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: MANIFEST_BUCKET }));
  return {
    emu,
    env,
    panorama,
    s3,
    async uploadManifest(key, body = SAMPLE_MANIFEST) {
      await s3.send(
        new PutObjectCommand({
          Bucket: MANIFEST_BUCKET,
          Key: key,
          Body: body,
          ContentType: "application/json",
        }),
      );
      return key;
    },
    async createImportJob(key, clientToken) {
      const { JobId } = await panorama.send(
        new CreatePackageImportJobCommand({
          JobType: "NODE_PACKAGE_VERSION",
          ClientToken: clientToken,
          InputConfig: {
            PackageVersionInputConfig: {
              S3Location: { BucketName: MANIFEST_BUCKET, ObjectKey: key },
            },
          },
          OutputConfig: {
            PackageVersionOutputConfig: {
              PackageName: "SAMPLE_CODE",
              PackageVersion: "1.0",
              MarkLatest: true,
            },
          },
        }),
      );
      return JobId!;
    },
  };
}

/** mocha hooks: one emulator per test file, SDK environment pointed at it. */
export function useEmulator(options: EmulatorOptions = {}): () => EmulatorFixture {
  let fixture: EmulatorFixture | undefined;
  const saved: Record<string, string | undefined> = {};
  before(async () => {
    fixture = await startFixture(options);
    for (const [k, v] of Object.entries(fixture.env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fixture?.s3.destroy();
    fixture?.panorama.destroy();
    await fixture?.emu.stop();
  });
  return () => fixture!;
}

/** Calls the emulator's HTTP control API (`/_emulator/...`), as tests in other processes would. */
export async function emulatorControl(
  emu: Emulator,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${emu.url}/_emulator/${path}`, {
    method,
    headers: {
      ...(method === "POST" && { "content-type": "application/json" }),
      ...(emu.controlToken && { authorization: `Bearer ${emu.controlToken}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`emulator control ${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Panorama calls the emulator answered since its last count reset: all, or one operation's. */
export async function panoramaCalls(emu: Emulator, operation?: string): Promise<number> {
  const counts = await emulatorControl(emu, "GET", "requests");
  return Object.entries(counts.byOperation as Record<string, number>)
    .filter(([k]) => (operation ? k === `panorama:${operation}` : k.startsWith("panorama:")))
    .reduce((sum, [, v]) => sum + Number(v), 0);
}

/** Emulator timing for end-to-end tests of whole stacks: jobs, deployments and removals in under a second. */
export const QUICK_LIFECYCLES: EmulatorOptions["timing"] = {
  importJob: { mode: "timed", durationMs: 500 },
  deployment: { mode: "timed", durationMs: 500 },
  removal: { mode: "timed", durationMs: 300 },
};
