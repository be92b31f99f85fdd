import * as assert from "assert";
import {
  CreatePackageCommand,
  DeletePackageCommand,
  DeregisterPackageVersionCommand,
  DescribePackageCommand,
  DescribePackageVersionCommand,
  ListPackagesCommand,
  ListTagsForResourceCommand,
  RegisterPackageVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-panorama";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import {
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import { importPackage, nodePackageManifest, sha256 } from "../support/packageFixtures";

describe("emulator: packages, package versions and tags", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));
  beforeEach(() => ctx.emu.control.reset());

  describe("packages", () => {
    it("CreatePackage returns id, ARN and a storage location in the emulator's S3", async () => {
      const out = await ctx.panorama.send(
        new CreatePackageCommand({ PackageName: "SAMPLE_CODE", Tags: { env: "test" } }),
      );
      assert.match(out.PackageId!, /^package-[a-z2-7]{26}$/);
      assert.strictEqual(
        out.Arn,
        `arn:aws:panorama:us-east-1:123456789012:package/${out.PackageId}`,
      );
      assert.deepStrictEqual(out.StorageLocation, {
        Bucket: "panorama-123456789012-storage",
        RepoPrefixLocation: "123456789012/nodePackages/SAMPLE_CODE",
        GeneratedPrefixLocation: "123456789012/nodePackages/SAMPLE_CODE/generated",
        BinaryPrefixLocation: "123456789012/nodePackages/SAMPLE_CODE/binaries",
        ManifestPrefixLocation: "123456789012/nodePackages/SAMPLE_CODE/manifests",
      });
      // The bucket exists, so clients can upload artifacts straight away.
      await ctx.s3.send(
        new PutObjectCommand({
          Bucket: out.StorageLocation!.Bucket,
          Key: `${out.StorageLocation!.BinaryPrefixLocation}/a.tar.gz`,
          Body: "x",
        }),
      );
    });

    it("DescribePackage by id and by the packageName/<name> alias", async () => {
      const { PackageId } = await ctx.panorama.send(
        new CreatePackageCommand({ PackageName: "SAMPLE_CODE", Tags: { env: "test" } }),
      );
      const byId = await ctx.panorama.send(new DescribePackageCommand({ PackageId }));
      const byName = await ctx.panorama.send(
        new DescribePackageCommand({ PackageId: "packageName/SAMPLE_CODE" }),
      );
      assert.strictEqual(byName.PackageId, PackageId);
      assert.strictEqual(byId.PackageName, "SAMPLE_CODE");
      assert.deepStrictEqual(byId.Tags, { env: "test" });
      assert.ok(byId.CreatedTime instanceof Date);
    });

    it("a duplicate name is a ConflictException naming the existing package", async () => {
      const { PackageId } = await ctx.panorama.send(
        new CreatePackageCommand({ PackageName: "dup" }),
      );
      const e = await rejects(
        ctx.panorama.send(new CreatePackageCommand({ PackageName: "dup" })),
        "ConflictException",
      );
      assert.strictEqual(e.ResourceId, PackageId);
      assert.strictEqual(e.ResourceType, "Package");
    });

    it("unknown package is a ResourceNotFoundException", async () => {
      const e = await rejects(
        ctx.panorama.send(new DescribePackageCommand({ PackageId: "packageName/nope" })),
        "ResourceNotFoundException",
      );
      assert.strictEqual(e.ResourceId, "packageName/nope");
      assert.strictEqual(e.ResourceType, "Package");
    });

    it("ListPackages pages 25 at a time (maxResults/nextToken query keys)", async () => {
      const created: string[] = [];
      for (let i = 0; i < 30; i++)
        created.push(
          (await ctx.panorama.send(new CreatePackageCommand({ PackageName: `pkg_${i}` })))
            .PackageId!,
        );
      const first = await ctx.panorama.send(new ListPackagesCommand({}));
      assert.strictEqual(first.Packages!.length, 25);
      const second = await ctx.panorama.send(
        new ListPackagesCommand({ NextToken: first.NextToken }),
      );
      assert.strictEqual(second.Packages!.length, 5);
      assert.strictEqual(second.NextToken, undefined);
      assert.deepStrictEqual(
        [...first.Packages!, ...second.Packages!].map((p) => p.PackageId),
        created,
      );
      const walked: string[] = [];
      let token: string | undefined;
      do {
        const page = await ctx.panorama.send(
          new ListPackagesCommand({ MaxResults: 4, NextToken: token }),
        );
        assert.ok(page.Packages!.length <= 4);
        walked.push(...page.Packages!.map((p) => p.PackageId!));
        token = page.NextToken;
      } while (token);
      assert.deepStrictEqual(walked, created);
      assert.ok(first.Packages![0].CreatedTime instanceof Date);
      assert.strictEqual(
        (await ctx.panorama.send(new ListPackagesCommand({ MaxResults: 0 }))).Packages!.length,
        25,
        "0 means the default page",
      );
    });

    it("DeletePackage refuses a package with registered patches unless ForceDelete, which also clears its storage", async () => {
      const job = await importPackage(ctx, "to_delete");
      const id = job.Output!.PackageId!;
      const e = await rejects(
        ctx.panorama.send(new DeletePackageCommand({ PackageId: id })),
        "ConflictException",
      );
      assert.strictEqual(e.ResourceId, id);
      await ctx.panorama.send(new DeletePackageCommand({ PackageId: id, ForceDelete: true }));
      await rejects(
        ctx.panorama.send(new DescribePackageCommand({ PackageId: id })),
        "ResourceNotFoundException",
      );
      const left = await ctx.s3.send(
        new ListObjectsV2Command({
          Bucket: ctx.emu.storageBucket,
          Prefix: "123456789012/nodePackages/to_delete/",
        }),
      );
      assert.strictEqual(left.KeyCount, 0);
    });

    it("enforces the packages quota with ServiceQuotaExceededException", async () => {
      const small = await startTestEmulator({ quotas: { packages: 2 } });
      try {
        await small.panorama.send(new CreatePackageCommand({ PackageName: "one" }));
        await small.panorama.send(new CreatePackageCommand({ PackageName: "two" }));
        const e = await rejects(
          small.panorama.send(new CreatePackageCommand({ PackageName: "three" })),
          "ServiceQuotaExceededException",
        );
        assert.strictEqual(e.QuotaCode, "NodePackages");
        assert.strictEqual(e.$metadata.httpStatusCode, 402);
      } finally {
        await stopTestEmulator(small);
      }
    });

    it("DeletePackage of an empty package works without ForceDelete", async () => {
      const { PackageId } = await ctx.panorama.send(
        new CreatePackageCommand({ PackageName: "empty" }),
      );
      await ctx.panorama.send(new DeletePackageCommand({ PackageId, ForceDelete: false }));
      await rejects(
        ctx.panorama.send(new DeletePackageCommand({ PackageId })),
        "ResourceNotFoundException",
      );
    });
  });

  describe("RegisterPackageVersion / DescribePackageVersion / DeregisterPackageVersion", () => {
    const register = async (name: string, manifest: string, markLatest?: boolean) => {
      const pkg = await ctx.panorama.send(new CreatePackageCommand({ PackageName: name }));
      const patch = sha256(manifest);
      const loc = pkg.StorageLocation!;
      await ctx.s3.send(
        new PutObjectCommand({
          Bucket: loc.Bucket,
          Key: `${loc.ManifestPrefixLocation}/1.0/${patch}.json`,
          Body: manifest,
        }),
      );
      await ctx.panorama.send(
        new RegisterPackageVersionCommand({
          PackageId: pkg.PackageId,
          PackageVersion: "1.0",
          PatchVersion: patch,
          MarkLatest: markLatest,
        }),
      );
      return { packageId: pkg.PackageId!, patch };
    };

    it("goes REGISTER_PENDING → REGISTER_COMPLETED when the manifest is at <ManifestPrefix>/<version>/<patch>.json", async () => {
      const { packageId, patch } = await register("reg", nodePackageManifest("reg"), true);
      const pending = await ctx.panorama.send(
        new DescribePackageVersionCommand({
          PackageId: packageId,
          PackageVersion: "1.0",
          PatchVersion: patch,
        }),
      );
      assert.strictEqual(pending.Status, "REGISTER_PENDING");
      assert.strictEqual(pending.RegisteredTime, undefined);
      ctx.emu.control.advanceClock(2000);
      const done = await ctx.panorama.send(
        new DescribePackageVersionCommand({ PackageId: "packageName/reg", PackageVersion: "1.0" }),
      );
      assert.strictEqual(done.Status, "REGISTER_COMPLETED");
      assert.strictEqual(done.PatchVersion, patch);
      assert.strictEqual(done.IsLatestPatch, true);
      assert.strictEqual(done.OwnerAccount, "123456789012");
      assert.strictEqual(
        done.PackageArn,
        `arn:aws:panorama:us-east-1:123456789012:package/${packageId}`,
      );
      assert.ok(done.RegisteredTime instanceof Date);
    });

    it("FAILED with a StatusDescription when the manifest is missing or does not match", async () => {
      const pkg = await ctx.panorama.send(new CreatePackageCommand({ PackageName: "reg" }));
      await ctx.panorama.send(
        new RegisterPackageVersionCommand({
          PackageId: pkg.PackageId,
          PackageVersion: "1.0",
          PatchVersion: "abc123",
        }),
      );
      ctx.emu.control.advanceClock(2000);
      const v = await ctx.panorama.send(
        new DescribePackageVersionCommand({
          PackageId: pkg.PackageId,
          PackageVersion: "1.0",
          PatchVersion: "abc123",
        }),
      );
      assert.strictEqual(v.Status, "FAILED");
      assert.match(
        v.StatusDescription!,
        /Package manifest not found at s3:\/\/panorama-123456789012-storage\/123456789012\/nodePackages\/reg\/manifests\/1\.0\/abc123\.json/,
      );
    });

    it("Deregister with UpdatedLatestPatchVersion moves latest; the patch is DELETING then gone", async () => {
      const a = await importPackage(ctx, "dereg", "1.0", {
        manifest: nodePackageManifest("dereg", "1.0", { description: "a" }),
      });
      const b = await importPackage(ctx, "dereg", "1.0", {
        markLatest: true,
        manifest: nodePackageManifest("dereg", "1.0", { description: "b" }),
      });
      const id = a.Output!.PackageId!;
      await ctx.panorama.send(
        new DeregisterPackageVersionCommand({
          PackageId: id,
          PackageVersion: "1.0",
          PatchVersion: b.Output!.PatchVersion,
          UpdatedLatestPatchVersion: a.Output!.PatchVersion,
        }),
      );
      const deleting = await ctx.panorama.send(
        new DescribePackageVersionCommand({
          PackageId: id,
          PackageVersion: "1.0",
          PatchVersion: b.Output!.PatchVersion,
        }),
      );
      assert.strictEqual(deleting.Status, "DELETING");
      const latest = await ctx.panorama.send(
        new DescribePackageVersionCommand({ PackageId: id, PackageVersion: "1.0" }),
      );
      assert.strictEqual(latest.PatchVersion, a.Output!.PatchVersion);
      ctx.emu.control.advanceClock(2000);
      const e = await rejects(
        ctx.panorama.send(
          new DescribePackageVersionCommand({
            PackageId: id,
            PackageVersion: "1.0",
            PatchVersion: b.Output!.PatchVersion,
          }),
        ),
        "ResourceNotFoundException",
      );
      assert.strictEqual(e.ResourceType, "PackageVersion");
      await rejects(
        ctx.panorama.send(
          new DeregisterPackageVersionCommand({
            PackageId: id,
            PackageVersion: "1.0",
            PatchVersion: b.Output!.PatchVersion,
          }),
        ),
        "ResourceNotFoundException",
      );
    });

    it("an UpdatedLatestPatchVersion that is not registered is a ValidationException naming it", async () => {
      const a = await importPackage(ctx, "dereg");
      const e = await rejects(
        ctx.panorama.send(
          new DeregisterPackageVersionCommand({
            PackageId: a.Output!.PackageId,
            PackageVersion: "1.0",
            PatchVersion: a.Output!.PatchVersion,
            UpdatedLatestPatchVersion: "ffff",
          }),
        ),
        "ValidationException",
      );
      assert.strictEqual(e.Fields[0].Name, "UpdatedLatestPatchVersion");
    });

    it("deregistering the latest patch without UpdatedLatestPatchVersion leaves the version without a latest", async () => {
      const a = await importPackage(ctx, "dereg");
      await ctx.panorama.send(
        new DeregisterPackageVersionCommand({
          PackageId: "packageName/dereg",
          PackageVersion: "1.0",
          PatchVersion: a.Output!.PatchVersion,
        }),
      );
      await rejects(
        ctx.panorama.send(
          new DescribePackageVersionCommand({
            PackageId: "packageName/dereg",
            PackageVersion: "1.0",
          }),
        ),
        "ResourceNotFoundException",
      );
      // A repeated deregistration while DELETING is accepted.
      await ctx.panorama.send(
        new DeregisterPackageVersionCommand({
          PackageId: "packageName/dereg",
          PackageVersion: "1.0",
          PatchVersion: a.Output!.PatchVersion,
        }),
      );
    });

    it("an OwnerAccount other than this account is a ValidationException", async () => {
      const a = await importPackage(ctx, "owned");
      const e = await rejects(
        ctx.panorama.send(
          new DescribePackageVersionCommand({
            PackageId: a.Output!.PackageId,
            PackageVersion: "1.0",
            OwnerAccount: "999999999999",
          }),
        ),
        "ValidationException",
      );
      assert.strictEqual(e.Fields[0].Name, "OwnerAccount");
      const mine = await ctx.panorama.send(
        new DescribePackageVersionCommand({
          PackageId: a.Output!.PackageId,
          PackageVersion: "1.0",
          OwnerAccount: "123456789012",
        }),
      );
      assert.strictEqual(mine.Status, "REGISTER_COMPLETED");
    });

    it("re-registering a completed patch with MarkLatest makes it latest at once", async () => {
      const a = await importPackage(ctx, "rereg", "1.0", {
        manifest: nodePackageManifest("rereg", "1.0", { description: "a" }),
      });
      const b = await importPackage(ctx, "rereg", "1.0", {
        markLatest: true,
        manifest: nodePackageManifest("rereg", "1.0", { description: "b" }),
      });
      const id = a.Output!.PackageId!;
      await ctx.panorama.send(
        new RegisterPackageVersionCommand({
          PackageId: id,
          PackageVersion: "1.0",
          PatchVersion: a.Output!.PatchVersion,
          MarkLatest: true,
        }),
      );
      const latest = await ctx.panorama.send(
        new DescribePackageVersionCommand({ PackageId: id, PackageVersion: "1.0" }),
      );
      assert.strictEqual(latest.PatchVersion, a.Output!.PatchVersion);
      assert.notStrictEqual(latest.PatchVersion, b.Output!.PatchVersion);
    });

    it("a version with no latest patch is a ResourceNotFoundException", async () => {
      await importPackage(ctx, "nolatest");
      const e = await rejects(
        ctx.panorama.send(
          new DescribePackageVersionCommand({
            PackageId: "packageName/nolatest",
            PackageVersion: "9.9",
          }),
        ),
        "ResourceNotFoundException",
      );
      assert.match(e.message, /no latest patch for version 9\.9/);
    });

    it("validates path labels: PatchVersion must be lowercase alphanumerics", async () => {
      const pkg = await ctx.panorama.send(new CreatePackageCommand({ PackageName: "labels" }));
      const e = await rejects(
        ctx.panorama.send(
          new RegisterPackageVersionCommand({
            PackageId: pkg.PackageId,
            PackageVersion: "1.0",
            PatchVersion: "ABC",
          }),
        ),
        "ValidationException",
      );
      assert.deepStrictEqual(e.Fields, [
        {
          Name: "PatchVersion",
          Message: "Member must satisfy regular expression pattern: ^[a-z0-9]+$",
        },
      ]);
    });

    it("enforces 20 patch versions per package with ServiceQuotaExceededException", async () => {
      const pkg = await ctx.panorama.send(new CreatePackageCommand({ PackageName: "many" }));
      for (let i = 0; i < 20; i++)
        await ctx.panorama.send(
          new RegisterPackageVersionCommand({
            PackageId: pkg.PackageId,
            PackageVersion: "1.0",
            PatchVersion: `p${i}`,
          }),
        );
      const e = await rejects(
        ctx.panorama.send(
          new RegisterPackageVersionCommand({
            PackageId: pkg.PackageId,
            PackageVersion: "1.0",
            PatchVersion: "p20",
          }),
        ),
        "ServiceQuotaExceededException",
      );
      assert.strictEqual(e.ServiceCode, "panorama");
      assert.strictEqual(e.QuotaCode, "PackageVersionsPerPackage");
      assert.strictEqual(e.$metadata.httpStatusCode, 402);
      assert.match(e.message, /maximum number of versions for package many/);
    });
  });

  describe("tags", () => {
    it("TagResource, ListTagsForResource and UntagResource on a package ARN (percent-encoded label)", async () => {
      const { Arn } = await ctx.panorama.send(
        new CreatePackageCommand({ PackageName: "tagged", Tags: { a: "1" } }),
      );
      await ctx.panorama.send(
        new TagResourceCommand({ ResourceArn: Arn, Tags: { "b c": "2", d: "3" } }),
      );
      assert.deepStrictEqual(
        (await ctx.panorama.send(new ListTagsForResourceCommand({ ResourceArn: Arn }))).Tags,
        { a: "1", "b c": "2", d: "3" },
      );
      await ctx.panorama.send(
        new UntagResourceCommand({ ResourceArn: Arn, TagKeys: ["a", "b c"] }),
      );
      assert.deepStrictEqual(
        (await ctx.panorama.send(new ListTagsForResourceCommand({ ResourceArn: Arn }))).Tags,
        { d: "3" },
      );
      assert.deepStrictEqual(
        (await ctx.panorama.send(new DescribePackageCommand({ PackageId: "packageName/tagged" })))
          .Tags,
        { d: "3" },
      );
    });

    it("unknown ARN is a ResourceNotFoundException; TagKeys is required", async () => {
      const arn = "arn:aws:panorama:us-east-1:123456789012:package/package-nope";
      const e = await rejects(
        ctx.panorama.send(new ListTagsForResourceCommand({ ResourceArn: arn })),
        "ResourceNotFoundException",
      );
      assert.strictEqual(e.ResourceId, arn);
      const { Arn } = await ctx.panorama.send(new CreatePackageCommand({ PackageName: "tagged" }));
      const v = await rejects(
        ctx.panorama.send(new UntagResourceCommand({ ResourceArn: Arn } as any)),
        "ValidationException",
      );
      assert.strictEqual(v.Fields[0].Name, "TagKeys");
    });
  });
});
