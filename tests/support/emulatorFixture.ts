// The one way tests start an emulator: in-process, with real SDK clients pointed at it and the
// environment a user exports to point any AWS client at it (endpoint, credentials, region), so
// provider code runs unmodified. Two presets: `startTestEmulator` for the emulator's own tests
// (clock frozen, SDK retries off) and `useEmulator`, mocha hooks for provider tests (clock running,
// a manifest bucket ready, the SDK environment set for the file and restored after it).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreatePackageImportJobCommand, PanoramaClient } from "@aws-sdk/client-panorama";
import { EmulatorOptions, RunningEmulator, startEmulator } from "../../emulator";
import { raw } from "./signedRequests";

export const MANIFEST_BUCKET = "pulumi-panorama-manifests";
export const SAMPLE_MANIFEST = fs.readFileSync(
  path.join(__dirname, "../../examples/quickstart/sample-code.package.json"),
  "utf8",
);

export type Emulator = RunningEmulator;

export interface EmulatorFixture {
  emu: Emulator;
  /** The environment a user exports to point any AWS client at this emulator. */
  env: Record<string, string>;
  panorama: PanoramaClient;
  s3: S3Client;
  /** Uploads a manifest to MANIFEST_BUCKET with the real S3 client and returns its key. */
  uploadManifest(key: string, body?: string): Promise<string>;
  /**
   * Starts an import job of the manifest at `key` into SAMPLE_CODE 1.0 (marked latest) with the
   * real Panorama client, as panorama-cli would outside any stack; returns its id.
   */
  createImportJob(key: string, clientToken: string): Promise<string>;
}

export interface FixtureOptions {
  /** Attempts of the fixture's own SDK clients. @default the SDK's (3) */
  maxAttempts?: number;
  /** Creates MANIFEST_BUCKET at start, for uploadManifest. @default true */
  manifestBucket?: boolean;
}

/** The environment a user exports to point any AWS client at the emulator. */
export function emulatorEnv(emu: Emulator, credentials = emu.credentials) {
  return {
    AWS_ENDPOINT_URL_PANORAMA: emu.url,
    AWS_ENDPOINT_URL_S3: emu.url,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: emu.region,
  };
}

export async function startFixture(
  options: EmulatorOptions = {},
  fixture: FixtureOptions = {},
): Promise<EmulatorFixture> {
  const emu = await startEmulator({ port: 0, ...options });
  const env = emulatorEnv(emu);
  const config = {
    endpoint: emu.url,
    region: emu.region,
    credentials: emu.credentials,
    ...(fixture.maxAttempts !== undefined && { maxAttempts: fixture.maxAttempts }),
  };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const panorama = new PanoramaClient(config);
  const manifestBucket = fixture.manifestBucket ?? true;
  if (manifestBucket) await s3.send(new CreateBucketCommand({ Bucket: MANIFEST_BUCKET }));
  return {
    emu,
    env,
    panorama,
    s3,
    async uploadManifest(key, body = SAMPLE_MANIFEST) {
      assert.ok(manifestBucket, "this fixture was started without the manifest bucket");
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

/** An emulator whose clock moves only with advanceClock (unless the test asks otherwise). */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<EmulatorFixture> {
  return startFixture({ frozenClock: true, ...options }, { maxAttempts: 1, manifestBucket: false });
}

export async function stopTestEmulator(fixture: EmulatorFixture | undefined): Promise<void> {
  fixture?.panorama.destroy();
  fixture?.s3.destroy();
  await fixture?.emu.stop();
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
    await stopTestEmulator(fixture);
  });
  return () => fixture!;
}

/** What the control API requires: a JSON content type on POST, the bearer token when one is set. */
export function controlHeaders(emu: Emulator, method: string): Record<string, string> {
  return {
    ...(method === "POST" && { "content-type": "application/json" }),
    ...(emu.controlToken && { authorization: `Bearer ${emu.controlToken}` }),
  };
}

/** A request to the unsigned control API (`/_emulator/<path>`), answered as status and JSON body. */
export async function controlRequest(
  emu: Emulator,
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

/** Calls the control API as tests in other processes would; anything but 2xx fails. */
export async function emulatorControl(
  emu: Emulator,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<any> {
  const res = await controlRequest(emu, method, path, body);
  if (res.status < 200 || res.status >= 300)
    throw new Error(
      `emulator control ${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`,
    );
  return res.body;
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
