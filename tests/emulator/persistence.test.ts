// Persistence to a state file: what a restarted emulator still knows, that an answered change
// survives `kill -9`, and what happens when the state path cannot be used or a save fails.
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  CreatePackageCommand,
  DescribePackageImportJobCommand,
  ListPackageImportJobsCommand,
  ListPackagesCommand,
  paginateListPackages,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { startEmulator } from "../../emulator";
import {
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import {
  createImportJob,
  importPackage,
  nodePackageManifest,
  sha256,
  upload,
} from "../support/packageFixtures";

const ROOT = path.resolve(__dirname, "..", "..");

describe("emulator: persistence to a state file", function () {
  this.timeout(60000);
  let dir: string;
  let stateFile: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "panorama-emulator-"));
    stateFile = path.join(dir, "state.json");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function withEmulator<T>(
    f: (ctx: EmulatorFixture) => Promise<T>,
    options = {},
  ): Promise<T> {
    const ctx = await startTestEmulator({ stateFile, ...options });
    try {
      return await f(ctx);
    } finally {
      await stopTestEmulator(ctx);
    }
  }

  it("a restarted emulator keeps jobs, packages and S3 objects; bodies are files named by their sha256", async () => {
    const big = Buffer.alloc(1024 * 1024, "panorama");
    const job = await withEmulator(async (first) => {
      await first.s3.send(
        new PutObjectCommand({ Bucket: first.emu.storageBucket, Key: "big.bin", Body: big }),
      );
      return importPackage(first, "persisted");
    });
    assert.deepStrictEqual(
      fs.readdirSync(dir).sort(),
      ["state.json", "state.json.bodies"],
      "no temporary files left behind",
    );
    const bodies = fs.readdirSync(path.join(dir, "state.json.bodies")).sort();
    assert.deepStrictEqual(
      bodies,
      [sha256(big), sha256(job.manifest)].sort(),
      "one file per distinct body (the imported manifest is stored once)",
    );
    const stateText = fs.readFileSync(stateFile, "utf8");
    assert.ok(
      stateText.length < 64 * 1024,
      `the state file holds no bodies (${stateText.length} bytes)`,
    );

    await withEmulator(async (second) => {
      const again = await second.panorama.send(
        new DescribePackageImportJobCommand({ JobId: job.JobId }),
      );
      assert.strictEqual(again.Status, "SUCCEEDED");
      assert.deepStrictEqual(again.Output, job.Output);
      const location = again.Output!.OutputS3Location!;
      const object = await second.s3.send(
        new GetObjectCommand({ Bucket: location.BucketName, Key: location.ObjectKey }),
      );
      assert.strictEqual(await object.Body!.transformToString(), job.manifest);
      const range = await second.s3.send(
        new GetObjectCommand({
          Bucket: second.emu.storageBucket,
          Key: "big.bin",
          Range: "bytes=8-15",
        }),
      );
      assert.strictEqual(await range.Body!.transformToString(), "panorama");
      assert.strictEqual(
        (await second.panorama.send(new ListPackageImportJobsCommand({}))).PackageImportJobs!
          .length,
        1,
      );
    });
  });

  it("a job pending at shutdown settles after restart from its timestamps", async () => {
    const jobId = await withEmulator(
      async (first) => {
        await upload(first, "p.json", nodePackageManifest("later"));
        return createImportJob(first, { key: "p.json", name: "later" });
      },
      { timing: { importJob: { mode: "timed", durationMs: 60_000 } } },
    );
    await withEmulator(async (second) => {
      assert.strictEqual(
        (await second.panorama.send(new DescribePackageImportJobCommand({ JobId: jobId }))).Status,
        "PENDING",
      );
      second.emu.control.advanceClock(120_000);
      assert.strictEqual(
        (await second.panorama.send(new DescribePackageImportJobCommand({ JobId: jobId }))).Status,
        "SUCCEEDED",
      );
    });
  });

  it("every change answered 200 survives kill -9 of the emulator process (40 concurrent CreatePackage calls)", async () => {
    const child = spawn(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        path.join(ROOT, "emulator", "cli.ts"),
        "--port",
        "0",
        "--quiet",
        "--state-file",
        stateFile,
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = "";
        child.stdout!.on("data", (chunk) => {
          text += chunk;
          const m = /export AWS_ENDPOINT_URL_PANORAMA=(\S+)\n/.exec(text);
          if (m) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`emulator exited early (${code}): ${text}`)));
      });
      const client = new PanoramaClient({
        endpoint: url,
        region: "us-east-1",
        credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
        maxAttempts: 1,
      });
      const names = Array.from({ length: 40 }, (_, i) => `durable_${i}`);
      const created = await Promise.all(
        names.map((PackageName) => client.send(new CreatePackageCommand({ PackageName }))),
      );
      client.destroy();
      assert.strictEqual(created.length, 40);
      child.kill("SIGKILL");
      await exited;
    } finally {
      child.kill("SIGKILL");
    }
    await withEmulator(async (restarted) => {
      const listed: string[] = [];
      for await (const page of paginateListPackages({ client: restarted.panorama }, {}))
        listed.push(...page.Packages!.map((p) => p.PackageName!));
      assert.deepStrictEqual(
        listed.sort(),
        Array.from({ length: 40 }, (_, i) => `durable_${i}`).sort(),
      );
    });
  });

  it("upgrades a format-1 state file (bodies as base64 inside the JSON)", async () => {
    const body = "kept across the upgrade";
    const packages = Object.fromEntries(
      ["older", "newer"].map((name, i) => [
        `package-${name}`,
        {
          packageId: `package-${name}`,
          packageName: name,
          arn: `arn:aws:panorama:us-east-1:123456789012:package/package-${name}`,
          createdAt: 1_700_000_000_000 + i,
          tags: {},
          storageLocation: {},
        },
      ]),
    );
    const object = {
      data: Buffer.from(body).toString("base64"),
      etag: '"x"',
      contentType: "text/plain",
      lastModified: 1_700_000_000_000,
      metadata: {},
      checksums: {},
    };
    const v1 = {
      formatVersion: 1,
      packages,
      patches: {},
      latestPatches: {},
      importJobs: {},
      clientTokens: {},
      applicationInstances: {},
      devices: {},
      buckets: { old: { createdAt: 1, objects: { "a.txt": object } } },
    };
    fs.writeFileSync(stateFile, JSON.stringify(v1));
    await withEmulator(async (ctx) => {
      const got = await ctx.s3.send(new GetObjectCommand({ Bucket: "old", Key: "a.txt" }));
      assert.strictEqual(await got.Body!.transformToString(), body);
      assert.deepStrictEqual(
        (await ctx.panorama.send(new ListPackagesCommand({}))).Packages!.map((p) => p.PackageName),
        ["older", "newer"],
      );
    });
    assert.strictEqual(JSON.parse(fs.readFileSync(stateFile, "utf8")).formatVersion, 2);
    assert.ok(fs.existsSync(path.join(dir, "state.json.bodies", sha256(body))));
  });

  it("a state path that cannot be used fails the start with a message naming it", async () => {
    const blocker = path.join(dir, "blocker");
    fs.writeFileSync(blocker, "a file, not a directory");
    const under = path.join(blocker, "state.json");
    await assert.rejects(startEmulator({ stateFile: under }), (e: Error) =>
      e.message.includes(`stateFile ${under}: cannot create its directory`),
    );
    await assert.rejects(startEmulator({ stateFile: dir }), (e: Error) =>
      e.message.includes(`stateFile ${dir}`),
    );
    fs.writeFileSync(stateFile, "{ not json");
    await assert.rejects(startEmulator({ stateFile }), (e: Error) =>
      e.message.includes(`stateFile ${stateFile} is not JSON`),
    );
  });

  it("a save that fails answers that request with 500 InternalServerException, is logged, and the emulator keeps serving", async () => {
    const log: string[] = [];
    await withEmulator(
      async (ctx) => {
        // The save writes `<state>.<pid>.tmp` first; a directory in its place makes the write fail.
        const tmp = `${stateFile}.${process.pid}.tmp`;
        fs.mkdirSync(tmp);
        const failed = await rejects<{ $metadata: { httpStatusCode: number }; message: string }>(
          ctx.panorama.send(new CreatePackageCommand({ PackageName: "unsaved" })),
          "InternalServerException",
        );
        assert.strictEqual(failed.$metadata.httpStatusCode, 500);
        assert.match(failed.message, /could not save this change to its state file/);
        assert.ok(
          log.some((line) => line.includes(`could not save the state to ${stateFile}`)),
          log.join("\n"),
        );
        assert.strictEqual(
          (await ctx.panorama.send(new ListPackagesCommand({}))).Packages!.length,
          1,
          "reads still answer",
        );

        fs.rmdirSync(tmp);
        await ctx.panorama.send(new CreatePackageCommand({ PackageName: "saved" }));
      },
      { log: (line: string) => log.push(line) },
    );
    await withEmulator(async (restarted) => {
      const names = (await restarted.panorama.send(new ListPackagesCommand({}))).Packages!.map(
        (p) => p.PackageName,
      );
      assert.deepStrictEqual(
        names,
        ["unsaved", "saved"],
        "the next successful save carries the earlier change too",
      );
    });
  });
});
