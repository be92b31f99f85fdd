import * as assert from "assert";
import {
  CreatePackageImportJobCommand,
  DescribePackageCommand,
  DescribePackageImportJobCommand,
  DescribePackageVersionCommand,
  ListPackageImportJobsCommand,
} from "@aws-sdk/client-panorama";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import {
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import {
  createImportJob,
  importPackage,
  INPUT_BUCKET,
  nodePackageManifest,
  sha256,
  upload,
} from "../support/packageFixtures";

describe("emulator: package import jobs", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));
  beforeEach(() => ctx.emu.control.reset());

  const describeJob = (JobId: string) =>
    ctx.panorama.send(new DescribePackageImportJobCommand({ JobId }));
  const settle = () => ctx.emu.control.advanceClock(5000);

  it("is PENDING with a StatusMessage and no Output until its duration has passed", async () => {
    await upload(ctx, "pkg/package.json", nodePackageManifest("people_counter"));
    const jobId = await createImportJob(ctx, { key: "pkg/package.json", name: "people_counter" });
    assert.match(jobId, /^packageImportJob-[a-z2-7]{26}$/);
    const job = await describeJob(jobId);
    assert.strictEqual(job.Status, "PENDING");
    assert.strictEqual(typeof job.StatusMessage, "string");
    assert.ok(job.StatusMessage!.length > 0);
    assert.strictEqual(job.Output, undefined);
    assert.ok(job.CreatedTime instanceof Date);
    assert.ok(Math.abs(job.CreatedTime!.getTime() - Date.now()) < 5000);
  });

  it("SUCCEEDS with PatchVersion = sha256 of the manifest bytes and registers the patch", async () => {
    const manifest = nodePackageManifest("people_counter", "2.3");
    await upload(ctx, "pkg/package.json", manifest);
    const jobId = await createImportJob(ctx, {
      key: "pkg/package.json",
      name: "people_counter",
      version: "2.3",
      markLatest: true,
    });
    settle();
    const job = await describeJob(jobId);
    assert.strictEqual(job.Status, "SUCCEEDED", job.StatusMessage);
    assert.strictEqual(job.Output!.PatchVersion, sha256(manifest));
    assert.strictEqual(job.Output!.PackageVersion, "2.3");
    assert.match(job.Output!.PackageId!, /^package-[a-z2-7]{26}$/);
    assert.ok(job.LastUpdatedTime!.getTime() >= job.CreatedTime!.getTime() + 1000);

    const pkg = await ctx.panorama.send(
      new DescribePackageCommand({ PackageId: job.Output!.PackageId }),
    );
    assert.strictEqual(pkg.PackageName, "people_counter");
    assert.deepStrictEqual(job.Output!.OutputS3Location, {
      BucketName: pkg.StorageLocation!.Bucket,
      ObjectKey: `${pkg.StorageLocation!.ManifestPrefixLocation}/2.3/${sha256(manifest)}.json`,
    });
    const location = job.Output!.OutputS3Location!;
    const copy = await ctx.s3.send(
      new GetObjectCommand({ Bucket: location.BucketName, Key: location.ObjectKey }),
    );
    assert.strictEqual(await copy.Body!.transformToString(), manifest);

    const version = await ctx.panorama.send(
      new DescribePackageVersionCommand({
        PackageId: job.Output!.PackageId,
        PackageVersion: "2.3",
        PatchVersion: job.Output!.PatchVersion,
      }),
    );
    assert.strictEqual(version.Status, "REGISTER_COMPLETED");
    assert.strictEqual(version.IsLatestPatch, true);
    assert.ok(version.RegisteredTime instanceof Date);
  });

  it("settles on its own after the configured duration (timed mode, real clock)", async () => {
    const wall = await startTestEmulator({
      frozenClock: false,
      timing: { importJob: { mode: "timed", durationMs: 300 } },
    });
    try {
      await upload(wall, "pkg/package.json", nodePackageManifest("timed_pkg"));
      const jobId = await createImportJob(wall, { key: "pkg/package.json", name: "timed_pkg" });
      const read = () => wall.panorama.send(new DescribePackageImportJobCommand({ JobId: jobId }));
      let job = await read();
      // Poll rather than sleep a fixed time: a loaded machine may answer late, never early.
      for (
        const deadline = Date.now() + 10_000;
        job.Status === "PENDING" && Date.now() < deadline;
        job = await read()
      )
        await new Promise((r) => setTimeout(r, 50));
      assert.strictEqual(job.Status, "SUCCEEDED");
      assert.strictEqual(
        job.LastUpdatedTime!.getTime() - job.CreatedTime!.getTime(),
        300,
        "it settled exactly at its due time",
      );
    } finally {
      await stopTestEmulator(wall);
    }
  });

  it("creates the package named in OutputConfig when it does not exist, with the job's PACKAGE tags", async () => {
    await upload(ctx, "pkg/package.json", nodePackageManifest("auto_created"));
    const { JobId } = await ctx.panorama.send(
      new CreatePackageImportJobCommand({
        ClientToken: "tags-token",
        JobType: "NODE_PACKAGE_VERSION",
        InputConfig: {
          PackageVersionInputConfig: {
            S3Location: { BucketName: INPUT_BUCKET, ObjectKey: "pkg/package.json" },
          },
        },
        OutputConfig: {
          PackageVersionOutputConfig: { PackageName: "auto_created", PackageVersion: "1.0" },
        },
        JobTags: [{ ResourceType: "PACKAGE", Tags: { team: "vision" } }],
      }),
    );
    settle();
    const job = await describeJob(JobId!);
    assert.deepStrictEqual(job.JobTags, [{ ResourceType: "PACKAGE", Tags: { team: "vision" } }]);
    const pkg = await ctx.panorama.send(
      new DescribePackageCommand({ PackageId: "packageName/auto_created" }),
    );
    assert.strictEqual(pkg.PackageId, job.Output!.PackageId);
    assert.deepStrictEqual(pkg.Tags, { team: "vision" });
  });

  describe("FAILED jobs name the object and the problem", () => {
    const failWith = async (key: string, name: string, version: string, expected: RegExp) => {
      const jobId = await createImportJob(ctx, { key, name, version });
      settle();
      const job = await describeJob(jobId);
      assert.strictEqual(job.Status, "FAILED");
      assert.strictEqual(job.Output, undefined);
      assert.match(job.StatusMessage!, expected);
      return job;
    };

    it("missing object", async () => {
      await upload(ctx, "other.json", "{}");
      await failWith(
        "missing/package.json",
        "pkg",
        "1.0",
        /s3:\/\/customer-input-bucket\/missing\/package\.json.*object does not exist/,
      );
    });

    it("missing bucket", async () => {
      const jobId = await ctx.panorama.send(
        new CreatePackageImportJobCommand({
          ClientToken: "no-bucket",
          JobType: "NODE_PACKAGE_VERSION",
          InputConfig: {
            PackageVersionInputConfig: {
              S3Location: { BucketName: "no-such-bucket", ObjectKey: "p.json" },
            },
          },
          OutputConfig: {
            PackageVersionOutputConfig: { PackageName: "pkg", PackageVersion: "1.0" },
          },
        }),
      );
      settle();
      assert.match(
        (await describeJob(jobId.JobId!)).StatusMessage!,
        /s3:\/\/no-such-bucket\/p\.json.*bucket no-such-bucket does not exist/,
      );
    });

    it("not JSON", async () => {
      await upload(ctx, "bad.json", "{ this is not json");
      await failWith(
        "bad.json",
        "pkg",
        "1.0",
        /s3:\/\/customer-input-bucket\/bad\.json is invalid: it is not valid JSON/,
      );
    });

    it("wrong package name", async () => {
      await upload(ctx, "p.json", nodePackageManifest("other_name"));
      await failWith(
        "p.json",
        "pkg",
        "1.0",
        /nodePackage\.name "other_name", but OutputConfig\.PackageVersionOutputConfig\.PackageName is "pkg"/,
      );
    });

    it("wrong package version", async () => {
      await upload(ctx, "p.json", nodePackageManifest("pkg", "1.1"));
      await failWith(
        "p.json",
        "pkg",
        "1.0",
        /nodePackage\.version "1\.1", but OutputConfig\.PackageVersionOutputConfig\.PackageVersion is "1\.0"/,
      );
    });

    it("invalid manifest: wrong envelope version, no interfaces", async () => {
      await upload(
        ctx,
        "env.json",
        nodePackageManifest("pkg", "1.0", { envelopeVersion: "2020-01-01" }),
      );
      await failWith(
        "env.json",
        "pkg",
        "1.0",
        /nodePackage\.envelopeVersion must be "2021-01-01", got "2020-01-01"/,
      );
      await upload(ctx, "noif.json", nodePackageManifest("pkg", "1.0", { interfaces: [] }));
      await failWith(
        "noif.json",
        "pkg",
        "1.0",
        /nodePackage\.interfaces must list at least one interface/,
      );
    });

    it("MARKETPLACE_NODE_PACKAGE_VERSION is not supported", async () => {
      await upload(ctx, "p.json", nodePackageManifest("pkg"));
      const { JobId } = await ctx.panorama.send(
        new CreatePackageImportJobCommand({
          ClientToken: "market",
          JobType: "MARKETPLACE_NODE_PACKAGE_VERSION",
          InputConfig: {
            PackageVersionInputConfig: {
              S3Location: { BucketName: INPUT_BUCKET, ObjectKey: "p.json" },
            },
          },
          OutputConfig: {
            PackageVersionOutputConfig: { PackageName: "pkg", PackageVersion: "1.0" },
          },
        }),
      );
      settle();
      const job = await describeJob(JobId!);
      assert.strictEqual(job.Status, "FAILED");
      assert.match(
        job.StatusMessage!,
        /MARKETPLACE_NODE_PACKAGE_VERSION is not supported by the emulator/,
      );
    });

    it("registers nothing and creates no package", async () => {
      await upload(ctx, "p.json", nodePackageManifest("other_name"));
      await failWith("p.json", "pkg", "1.0", /other_name/);
      await rejects(
        ctx.panorama.send(new DescribePackageCommand({ PackageId: "packageName/pkg" })),
        "ResourceNotFoundException",
      );
    });
  });

  describe("ClientToken", () => {
    it("same token and same request returns the original JobId, whatever its status", async () => {
      await upload(ctx, "p.json", nodePackageManifest("pkg"));
      const first = await createImportJob(ctx, {
        key: "p.json",
        name: "pkg",
        clientToken: "abc-123",
      });
      const again = await createImportJob(ctx, {
        key: "p.json",
        name: "pkg",
        clientToken: "abc-123",
      });
      assert.strictEqual(again, first);
      settle();
      assert.strictEqual(
        await createImportJob(ctx, { key: "p.json", name: "pkg", clientToken: "abc-123" }),
        first,
      );
      const list = await ctx.panorama.send(new ListPackageImportJobsCommand({}));
      assert.strictEqual(list.PackageImportJobs!.length, 1);
    });

    it("same token with different parameters is a ConflictException naming the existing job", async () => {
      await upload(ctx, "p.json", nodePackageManifest("pkg"));
      const first = await createImportJob(ctx, {
        key: "p.json",
        name: "pkg",
        clientToken: "abc-123",
      });
      const e = await rejects(
        createImportJob(ctx, {
          key: "p.json",
          name: "pkg",
          version: "2.0",
          clientToken: "abc-123",
        }),
        "ConflictException",
      );
      assert.strictEqual(e.ResourceId, first);
      assert.strictEqual(e.ResourceType, "PackageImportJob");
      assert.strictEqual(e.$metadata.httpStatusCode, 409);
    });

    it("is required", async () => {
      const e = await rejects(
        ctx.panorama.send(
          new CreatePackageImportJobCommand({
            JobType: "NODE_PACKAGE_VERSION",
            InputConfig: {
              PackageVersionInputConfig: {
                S3Location: { BucketName: INPUT_BUCKET, ObjectKey: "p.json" },
              },
            },
            OutputConfig: {
              PackageVersionOutputConfig: { PackageName: "pkg", PackageVersion: "1.0" },
            },
          } as any),
        ),
        "ValidationException",
      );
      assert.deepStrictEqual(e.Fields, [
        { Name: "ClientToken", Message: "Member must not be null" },
      ]);
      assert.strictEqual(e.Reason, "FIELD_VALIDATION_FAILED");
    });
  });

  it("validates nested members and names them", async () => {
    const e = await rejects(
      ctx.panorama.send(
        new CreatePackageImportJobCommand({
          ClientToken: "t",
          JobType: "NODE_PACKAGE_VERSION",
          InputConfig: {},
          OutputConfig: { PackageVersionOutputConfig: { PackageName: "pkg", PackageVersion: "1" } },
        }),
      ),
      "ValidationException",
    );
    assert.deepStrictEqual(
      e.Fields.map((f: { Name: string }) => f.Name),
      ["OutputConfig.PackageVersionOutputConfig.PackageVersion"],
    );
    const e2 = await rejects(
      ctx.panorama.send(
        new CreatePackageImportJobCommand({
          ClientToken: "t",
          JobType: "NODE_PACKAGE_VERSION",
          InputConfig: {},
          OutputConfig: {
            PackageVersionOutputConfig: { PackageName: "pkg", PackageVersion: "1.0" },
          },
        }),
      ),
      "ValidationException",
    );
    assert.deepStrictEqual(e2.Fields, [
      { Name: "InputConfig.PackageVersionInputConfig", Message: "Member must not be null" },
    ]);
    const e3 = await rejects(
      ctx.panorama.send(
        new CreatePackageImportJobCommand({
          ClientToken: "t",
          JobType: "SOMETHING" as any,
          InputConfig: {
            PackageVersionInputConfig: {
              S3Location: { BucketName: INPUT_BUCKET, ObjectKey: "p.json" },
            },
          },
          OutputConfig: {
            PackageVersionOutputConfig: { PackageName: "pkg", PackageVersion: "1.0" },
          },
        }),
      ),
      "ValidationException",
    );
    assert.match(
      e3.Fields[0].Message,
      /enum value set: \[NODE_PACKAGE_VERSION, MARKETPLACE_NODE_PACKAGE_VERSION\]/,
    );
  });

  it("MarkLatest moves latest; the first patch of a version becomes latest; others do not", async () => {
    const a = await importPackage(ctx, "pkg", "1.0", {
      manifest: nodePackageManifest("pkg", "1.0", { description: "a" }),
    });
    const b = await importPackage(ctx, "pkg", "1.0", {
      manifest: nodePackageManifest("pkg", "1.0", { description: "b" }),
    });
    const latest = () =>
      ctx.panorama.send(
        new DescribePackageVersionCommand({ PackageId: "packageName/pkg", PackageVersion: "1.0" }),
      );
    assert.strictEqual((await latest()).PatchVersion, a.Output!.PatchVersion);
    const c = await importPackage(ctx, "pkg", "1.0", {
      markLatest: true,
      manifest: nodePackageManifest("pkg", "1.0", { description: "c" }),
    });
    const now = await latest();
    assert.strictEqual(now.PatchVersion, c.Output!.PatchVersion);
    assert.strictEqual(now.IsLatestPatch, true);
    const old = await ctx.panorama.send(
      new DescribePackageVersionCommand({
        PackageId: a.Output!.PackageId,
        PackageVersion: "1.0",
        PatchVersion: b.Output!.PatchVersion,
      }),
    );
    assert.strictEqual(old.IsLatestPatch, false);
    assert.strictEqual(old.Status, "REGISTER_COMPLETED");
  });

  it("unknown JobId is a ResourceNotFoundException for a PackageImportJob", async () => {
    const e = await rejects(
      describeJob("packageImportJob-doesnotexist"),
      "ResourceNotFoundException",
    );
    assert.strictEqual(e.ResourceId, "packageImportJob-doesnotexist");
    assert.strictEqual(e.ResourceType, "PackageImportJob");
    assert.strictEqual(e.$metadata.httpStatusCode, 404);
  });

  it("lists newest first, paginated with MaxResults and an opaque NextToken", async () => {
    ctx.emu.control.setTiming({ importJob: { mode: "immediate" } });
    await upload(ctx, "p.json", nodePackageManifest("pkg"));
    const ids: string[] = [];
    for (let i = 0; i < 30; i++)
      ids.push(await createImportJob(ctx, { key: "p.json", name: "pkg", clientToken: `t${i}` }));
    const first = await ctx.panorama.send(new ListPackageImportJobsCommand({}));
    assert.strictEqual(first.PackageImportJobs!.length, 25);
    assert.ok(first.NextToken);
    const rest = await ctx.panorama.send(
      new ListPackageImportJobsCommand({ NextToken: first.NextToken }),
    );
    assert.strictEqual(rest.NextToken, undefined);
    const listed = [...first.PackageImportJobs!, ...rest.PackageImportJobs!].map((j) => j.JobId);
    assert.deepStrictEqual(listed, [...ids].reverse());
    const small = await ctx.panorama.send(new ListPackageImportJobsCommand({ MaxResults: 7 }));
    assert.strictEqual(small.PackageImportJobs!.length, 7);
    assert.strictEqual(small.PackageImportJobs![0].Status, "SUCCEEDED");
    assert.ok(small.PackageImportJobs![0].LastUpdatedTime instanceof Date);
    const e = await rejects(
      ctx.panorama.send(new ListPackageImportJobsCommand({ MaxResults: 26 })),
      "ValidationException",
    );
    assert.strictEqual(e.Fields[0].Name, "MaxResults");
    await rejects(
      ctx.panorama.send(new ListPackageImportJobsCommand({ NextToken: "garbage" })),
      "ValidationException",
    );
  });

  describe("manual mode and the control API", () => {
    beforeEach(() => ctx.emu.control.setTiming({ importJob: { mode: "manual" } }));

    it("stays PENDING until completed, then has its natural outcome", async () => {
      await upload(ctx, "p.json", nodePackageManifest("pkg"));
      const jobId = await createImportJob(ctx, { key: "p.json", name: "pkg" });
      ctx.emu.control.advanceClock(3_600_000);
      assert.strictEqual((await describeJob(jobId)).Status, "PENDING");
      const view = ctx.emu.control.completeImportJob(jobId);
      assert.strictEqual(view.Status, "SUCCEEDED");
      assert.strictEqual((await describeJob(jobId)).Status, "SUCCEEDED");
      assert.throws(() => ctx.emu.control.completeImportJob(jobId), /not pending/);
    });

    it("failImportJob ends it FAILED with the given message", async () => {
      await upload(ctx, "p.json", nodePackageManifest("pkg"));
      const jobId = await createImportJob(ctx, { key: "p.json", name: "pkg" });
      ctx.emu.control.failImportJob(jobId, "disk on fire");
      const job = await describeJob(jobId);
      assert.strictEqual(job.Status, "FAILED");
      assert.strictEqual(job.StatusMessage, "disk on fire");
    });

    it("setImportJobStatus sets the status directly (for refresh tests)", async () => {
      ctx.emu.control.setTiming({ importJob: { mode: "immediate" } });
      await upload(ctx, "p.json", nodePackageManifest("pkg"));
      const jobId = await createImportJob(ctx, { key: "p.json", name: "pkg" });
      assert.strictEqual((await describeJob(jobId)).Status, "SUCCEEDED");
      ctx.emu.control.setImportJobStatus(jobId, "FAILED", "manually broken");
      const job = await describeJob(jobId);
      assert.strictEqual(job.Status, "FAILED");
      assert.strictEqual(job.StatusMessage, "manually broken");
    });
  });
});
