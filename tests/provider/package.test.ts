// The Package provider: check() against the API model (pure), diff semantics (pure), and the
// provider's methods against the emulator through the real AWS SDK over HTTP.
import * as assert from "assert";
import {
  CreatePackageCommand,
  DescribePackageCommand,
  ListPackagesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
} from "@aws-sdk/client-panorama";
import { shape } from "../../model/panoramaModel";
import { packageImportJobImplementation as importJob } from "../../provider/resources/packageImportJob";
import { providerShim } from "../../provider/lifecycle/providerShim";
import { packageImplementation as impl, PACKAGE_KEY_TAG } from "../../provider/resources/package";
import { UNKNOWN } from "../../provider/lifecycle/unknowns";
import { MANIFEST_BUCKET, SAMPLE_MANIFEST, useEmulator } from "../support/emulatorFixture";
import { callInFreshProcess, serializeProvider } from "../support/serializedProvider";

const PROVIDER = "serialized-provider-text";
const FAST = { minDelaySeconds: 0.05, maxDelaySeconds: 0.2, timeoutSeconds: 20 };

function maxLength(name: string): number {
  return (shape(name).traits!["smithy.api#length"] as { max: number }).max;
}

function reasons(inputs: Record<string, unknown>): string[] {
  return impl.checkFailures(inputs).map((f) => `${f.property} | ${f.reason}`);
}

function assertFailure(inputs: Record<string, unknown>, expected: RegExp) {
  const all = reasons(inputs);
  assert.ok(
    all.some((r) => expected.test(r)),
    `expected ${expected} in\n${all.join("\n")}`,
  );
}

describe("Package check", () => {
  it("accepts a valid package and passes the inputs through", async () => {
    const news = {
      __provider: PROVIDER,
      packageName: "SAMPLE_CODE",
      tags: { team: "vision" },
      forceDelete: true,
      region: "us-west-2",
      waitOptions: FAST,
    };
    const result = await impl.check({}, news);
    assert.deepStrictEqual(result.failures, []);
    assert.deepStrictEqual(result.inputs, news);
  });

  it("names packageName when it breaks a rule of CreatePackageRequest", () => {
    assertFailure({}, /^packageName \| packageName: must not be null$/);
    assertFailure(
      { packageName: "my package" },
      /^packageName \| packageName: must satisfy regular expression pattern: \^\[a-zA-Z0-9\\-\\_\]\+\$/,
    );
    assertFailure(
      { packageName: "p".repeat(maxLength("NodePackageName") + 1) },
      /^packageName \| packageName: must have length less than or equal to 128/,
    );
    assertFailure(
      { packageName: "" },
      /^packageName \| packageName: must have length greater than or equal to 1/,
    );
  });

  it("names the tag that breaks the TagMap rules", () => {
    assertFailure(
      { packageName: "P", tags: { "": "v" } },
      /^tags \| tags\[""\]: key must have length greater than or equal to 1/,
    );
    assertFailure(
      { packageName: "P", tags: { k: "v".repeat(257) } },
      /^tags \| tags\["k"\]: must have length less than or equal to 256/,
    );
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    assertFailure(
      { packageName: "P", tags: many },
      /^tags \| tags: must have entries less than or equal to 50/,
    );
  });

  it("checks the provider's own options and refuses unknown properties", () => {
    const inputs = {
      packageName: "P",
      region: "US East",
      forceDelete: "yes",
      waitOptions: { timeoutSeconds: 0 },
      colour: "red",
    };
    assertFailure(inputs, /^region \| region: must be an AWS region name/);
    assertFailure(inputs, /^forceDelete \| forceDelete: must be a boolean/);
    assertFailure(
      inputs,
      /^waitOptions \| waitOptions\.timeoutSeconds: must be a number greater than 0/,
    );
    assertFailure(
      inputs,
      /^colour \| colour: unknown property of Package \(known: packageName, tags, forceDelete, packageKey, adoptPackageId, region, waitOptions\)/,
    );
  });

  it("lets values that are unknown during preview through", () => {
    assert.deepStrictEqual(
      impl.checkFailures({ packageName: UNKNOWN, tags: { team: UNKNOWN }, region: UNKNOWN }),
      [],
    );
  });
});

describe("Package diff", () => {
  const olds = {
    __provider: PROVIDER,
    packageName: "SAMPLE_CODE",
    packageId: "package-abc",
    arn: "arn:aws:panorama:us-east-1:123456789012:package/package-abc",
    createdTime: "2026-11-29T10:00:00.000Z",
    tags: {},
    region: "us-east-1",
  };
  const news = { __provider: PROVIDER, packageName: "SAMPLE_CODE", region: "us-east-1" };

  it("reports no change for the same inputs (the service's {} tags equal no tags)", async () => {
    assert.deepStrictEqual(await impl.diff("package-abc", olds, news), {
      changes: false,
      replaces: [],
      updates: [],
      deleteBeforeReplace: false,
    });
  });

  it("replaces the package when packageName or region changes", async () => {
    assert.deepStrictEqual(
      (await impl.diff("package-abc", olds, { ...news, packageName: "OTHER" })).replaces,
      ["packageName"],
    );
    assert.deepStrictEqual(
      (await impl.diff("package-abc", olds, { ...news, region: "eu-west-1" })).replaces,
      ["region"],
    );
    const preview = await impl.diff("package-abc", olds, { ...news, packageName: UNKNOWN });
    assert.deepStrictEqual([preview.changes, preview.replaces], [true, ["packageName"]]);
  });

  it("updates tags, forceDelete, waitOptions and new provider code in place", async () => {
    for (const change of [
      { tags: { team: "vision" } },
      { forceDelete: true },
      { waitOptions: { timeoutSeconds: 5 } },
      { __provider: "new code" },
    ]) {
      const d = await impl.diff("package-abc", olds, { ...news, ...change });
      assert.deepStrictEqual([d.changes, d.replaces], [true, []], JSON.stringify(change));
    }
  });
});

describe("serialized Package provider", function () {
  this.timeout(60_000);

  it("is a small shim that a fresh process loads by package name and runs", async () => {
    const { text, containsSecrets } = await serializeProvider(providerShim("Package"));
    assert.strictEqual(containsSecrets, false);
    assert.ok(text.length < 8 * 1024, `provider text is ${text.length} bytes`);
    assert.match(
      text,
      /"pulumi-panorama\/dist\/provider\/resources\/registry\.js"[\s\S]*require\(registry\)\.implementation\(type\)/,
    );
    assert.match(text, /"Package"/);
    assert.doesNotMatch(text, /client-panorama|smithy|PanoramaClient|AWS_SECRET_ACCESS_KEY/);
    const result = callInFreshProcess(text, "check", [{}, { packageName: "bad name" }]);
    assert.ok(
      result.failures.some(
        (f: { property: string; reason: string }) =>
          f.property === "packageName" && /regular expression/.test(f.reason),
      ),
    );
  });
});

describe("Package provider against the emulator", function () {
  this.timeout(60_000);
  const fx = useEmulator({ timing: { importJob: { mode: "timed", durationMs: 100 } } });

  const inputs = (packageName: string, extra: Record<string, unknown> = {}) => ({
    __provider: PROVIDER,
    packageName,
    waitOptions: FAST,
    ...extra,
  });
  const describePackage = (id: string) =>
    fx().panorama.send(new DescribePackageCommand({ PackageId: id }));
  const tagsOf = async (arn: string) =>
    (await fx().panorama.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;
  const gone = async (id: string) => {
    await assert.rejects(describePackage(id), (e: Error) => e.name === "ResourceNotFoundException");
  };

  it("creates the package and returns every described member", async () => {
    const { id, outs } = await impl.create(inputs("CREATED_PKG", { tags: { team: "vision" } }));
    const described = await describePackage(id);
    assert.match(id, /^package-[a-z0-9]+$/);
    assert.strictEqual(outs!.packageId, id);
    assert.strictEqual(outs!.packageName, "CREATED_PKG");
    assert.strictEqual(outs!.arn, described.Arn!);
    assert.match(
      outs!.arn,
      new RegExp(`^arn:aws:panorama:us-east-1:${fx().emu.accountId}:package/${id}$`),
    );
    assert.deepStrictEqual(Object.keys(outs!.storageLocation).sort(), [
      "binaryPrefixLocation",
      "bucket",
      "generatedPrefixLocation",
      "manifestPrefixLocation",
      "repoPrefixLocation",
    ]);
    assert.strictEqual(outs!.storageLocation.bucket, described.StorageLocation!.Bucket);
    assert.strictEqual(
      outs!.storageLocation.manifestPrefixLocation,
      described.StorageLocation!.ManifestPrefixLocation,
    );
    assert.strictEqual(outs!.createdTime, described.CreatedTime!.toISOString());
    assert.deepStrictEqual(outs!.tags, { team: "vision" });
    assert.strictEqual(outs!.region, "us-east-1");
    assert.strictEqual(outs!.__provider, PROVIDER);
    assert.deepStrictEqual(outs!.waitOptions, FAST);
    assert.ok(!("readAccessPrincipalArns" in outs!), "absent members are not invented");
  });

  it("refuses a second package with the same name, naming the existing one", async () => {
    const { id } = await impl.create(inputs("TAKEN_PKG"));
    await assert.rejects(impl.create(inputs("TAKEN_PKG")), (e: Error) => {
      assert.ok(e.message.includes(id), e.message);
      assert.match(e.message, /already exists in us-east-1/);
      assert.match(e.message, /depend on this Package/);
      return true;
    });
  });

  it('adopts the package an interrupted run created for this resource (its packageKey tag); another key is still "already exists"', async () => {
    const key = { packageKey: "pulumi-0123456789abcdef0123456789abcdef01234567" };
    const first = await impl.create(inputs("KILLED_RUN_PKG", { ...key, tags: { team: "vision" } }));
    // A foreign tag put there meanwhile stays; the program's changed tag is set.
    await fx().panorama.send(
      new TagResourceCommand({ ResourceArn: first.outs!.arn, Tags: { ticket: "outside" } }),
    );
    const again = await impl.create(inputs("KILLED_RUN_PKG", { ...key, tags: { team: "edge" } }));
    assert.strictEqual(again.id, first.id, "the package of the earlier run, not a second one");
    assert.deepStrictEqual(again.outs!.tags, { team: "edge" });
    assert.deepStrictEqual(await tagsOf(first.outs!.arn), {
      team: "edge",
      ticket: "outside",
      [PACKAGE_KEY_TAG]: key.packageKey,
    });
    await assert.rejects(
      impl.create(inputs("KILLED_RUN_PKG", { packageKey: "pulumi-another-resource" })),
      /already exists in us-east-1/,
    );
  });

  describe("when the answer to CreatePackage is lost", () => {
    afterEach(() => fx().emu.control.clearFaults());
    const packagesNamed = async (name: string) =>
      (await fx().panorama.send(new ListPackagesCommand({})))
        .Packages!.filter((p) => p.PackageName === name)
        .map((p) => p.PackageId);
    const creates = () =>
      fx().emu.control.requestCounts().byOperation["panorama:CreatePackage"] ?? 0;

    it("adopts the package the lost answer created, though the SDK's repeat answers 409", async () => {
      const before = creates();
      fx().emu.control.addFault({ operation: "CreatePackage", action: "applyAndDrop", count: 1 });
      const lines: string[] = [];
      const log = console.log;
      console.log = (...args: unknown[]) => void lines.push(args.join(" "));
      const { id, outs } = await impl
        .create(inputs("LOST_ANSWER_PKG", { tags: { team: "vision" } }))
        .finally(() => (console.log = log));
      assert.strictEqual(creates() - before, 2, "the SDK repeated the Create and got 409");
      assert.deepStrictEqual(
        await packagesNamed("LOST_ANSWER_PKG"),
        [id],
        "one package, the one in the outputs",
      );
      assert.strictEqual(outs!.packageId, id);
      assert.strictEqual(outs!.arn, (await describePackage(id)).Arn);
      assert.deepStrictEqual(outs!.tags, { team: "vision" });
      assert.match(outs!.createdTime, /Z$/);
      assert.ok(
        lines.some((l) => l.includes(`the answer to CreatePackage was lost; found ${id}`)),
        lines.join("\n"),
      );
    });

    it('a 409 to the SDK\'s repeat for a package with other tags is still "already exists"', async () => {
      const { id } = await impl.create(inputs("RACED_PKG", { tags: { owner: "someone-else" } }));
      fx().emu.control.addFault({
        operation: "CreatePackage",
        error: "InternalServerException",
        count: 1,
      });
      await assert.rejects(
        impl.create(inputs("RACED_PKG", { tags: { owner: "us" } })),
        (e: Error) => {
          assert.match(
            e.message,
            new RegExp(
              `^Package RACED_PKG: a package with this name already exists in us-east-1 \\(${id}\\)`,
            ),
          );
          return true;
        },
      );
      assert.deepStrictEqual(await packagesNamed("RACED_PKG"), [id]);
    });
  });

  it("refreshes the tags it manages, leaves tags set by others alone, and reports a deleted package as gone", async () => {
    const { id, outs } = await impl.create(inputs("REFRESHED_PKG", { tags: { team: "vision" } }));
    await fx().panorama.send(
      new TagResourceCommand({
        ResourceArn: outs!.arn,
        Tags: { team: "changed", added: "outside" },
      }),
    );
    const refreshed = await impl.read(id, outs!);
    assert.strictEqual(refreshed.id, id);
    assert.deepStrictEqual(
      refreshed.props!.tags,
      { team: "changed" },
      "a tag the program does not set is not stored",
    );
    assert.strictEqual(refreshed.props!.storageLocation.bucket, outs!.storageLocation.bucket);
    // The next `pulumi up` puts the program's tags back, and only those.
    const news = inputs("REFRESHED_PKG", { tags: { team: "vision" } });
    const d = await impl.diff(id, refreshed.props!, news);
    assert.deepStrictEqual([d.changes, d.replaces], [true, []]);
    await impl.update(id, refreshed.props!, news);
    assert.deepStrictEqual(await tagsOf(outs!.arn), { team: "vision", added: "outside" });

    await impl.delete(id, outs!);
    assert.deepStrictEqual(await impl.read(id, outs!), {});
  });

  it("an import job's jobTags on the same package are neither stored by refresh nor removed by up", async () => {
    const name = "JOB_TAGGED_PKG";
    const { id, outs } = await impl.create(inputs(name, { tags: { team: "vision" } }));
    const key = await fx().uploadManifest(
      "manifests/job-tagged.json",
      SAMPLE_MANIFEST.replace('"SAMPLE_CODE"', `"${name}"`),
    );
    await importJob.create({
      __provider: PROVIDER,
      inputConfig: {
        packageVersionInputConfig: { s3Location: { bucketName: MANIFEST_BUCKET, objectKey: key } },
      },
      outputConfig: { packageVersionOutputConfig: { packageName: name, packageVersion: "1.0" } },
      clientToken: "package-test-job-tags",
      jobTags: [{ resourceType: "PACKAGE", tags: { ticket: "secret-ticket-value" } }],
      waitOptions: FAST,
    });
    assert.deepStrictEqual(await tagsOf(outs!.arn), {
      team: "vision",
      ticket: "secret-ticket-value",
    });
    const refreshed = await impl.read(id, outs!);
    assert.deepStrictEqual(refreshed.props!.tags, { team: "vision" });
    assert.ok(
      !JSON.stringify(refreshed.props).includes("secret-ticket-value"),
      "the job's tag value never reaches the Package's state",
    );
    const same = inputs(name, { tags: { team: "vision" } });
    assert.strictEqual((await impl.diff(id, refreshed.props!, same)).changes, false);
    await impl.update(id, refreshed.props!, inputs(name, { tags: { team: "video" } }));
    assert.deepStrictEqual(await tagsOf(outs!.arn), {
      team: "video",
      ticket: "secret-ticket-value",
    });
  });

  it("adopts an existing package by adoptPackageId, setting only the program's tags", async () => {
    const made = await fx().panorama.send(
      new CreatePackageCommand({ PackageName: "ADOPTED_PKG", Tags: { console: "yes" } }),
    );
    const { id, outs } = await impl.create({
      __provider: PROVIDER,
      adoptPackageId: made.PackageId,
      tags: { team: "vision" },
      region: "us-east-1",
      waitOptions: FAST,
    });
    assert.strictEqual(id, made.PackageId);
    assert.strictEqual(outs!.packageName, "ADOPTED_PKG");
    assert.deepStrictEqual(outs!.tags, { team: "vision" });
    assert.deepStrictEqual(await tagsOf(made.Arn!), { console: "yes", team: "vision" });
    await assert.rejects(
      impl.create({
        __provider: PROVIDER,
        adoptPackageId: made.PackageId,
        packageName: "OTHER",
        region: "us-east-1",
      }),
      /^Error: adoptPackageId: package \S+ has another packageName than the program sets; remove packageName/,
    );
    await assert.rejects(
      impl.create({ __provider: PROVIDER, adoptPackageId: "package-missing", region: "us-east-1" }),
      /^Error: adoptPackageId: package package-missing does not exist in us-east-1/,
    );
  });

  it("updates tags in place with TagResource and UntagResource", async () => {
    const { id, outs } = await impl.create(
      inputs("TAGGED_PKG", { tags: { keep: "1", change: "old", drop: "x" } }),
    );
    const news = inputs("TAGGED_PKG", { tags: { keep: "1", change: "new", add: "y" } });
    const d = await impl.diff(id, outs!, news);
    assert.deepStrictEqual([d.changes, d.replaces], [true, []]);
    const updated = await impl.update(id, outs!, news);
    assert.deepStrictEqual(await tagsOf(outs!.arn), { keep: "1", change: "new", add: "y" });
    assert.deepStrictEqual(updated.outs!.tags, { keep: "1", change: "new", add: "y" });
    assert.strictEqual(updated.outs!.packageId, id, "outputs are kept");
    assert.strictEqual(updated.outs!.createdTime, outs!.createdTime);

    const cleared = await impl.update(id, updated.outs!, inputs("TAGGED_PKG"));
    assert.deepStrictEqual(await tagsOf(outs!.arn), {});
    assert.deepStrictEqual(cleared.outs!.tags, {});
  });

  it("updates waitOptions and forceDelete without calling the API", async () => {
    const { id, outs } = await impl.create(inputs("OPTIONS_PKG"));
    const before = fx().emu.control.requestCounts();
    const updated = await impl.update(
      id,
      outs!,
      inputs("OPTIONS_PKG", {
        forceDelete: true,
        waitOptions: { timeoutSeconds: 7 },
        __provider: "new code",
      }),
    );
    assert.deepStrictEqual(fx().emu.control.requestCounts(), before);
    assert.strictEqual(updated.outs!.forceDelete, true);
    assert.deepStrictEqual(updated.outs!.waitOptions, { timeoutSeconds: 7 });
    assert.strictEqual(updated.outs!.__provider, "new code");
    assert.strictEqual(updated.outs!.arn, outs!.arn);
  });

  it("deletes the package, and a second delete of the same package is fine", async () => {
    const { id, outs } = await impl.create(inputs("DELETED_PKG"));
    await impl.delete(id, outs!);
    await gone(id);
    await impl.delete(id, outs!);
  });

  describe("with a registered package version", () => {
    let pkg: { id: string; outs: Record<string, any> };

    before(async () => {
      const name = "VERSIONED_PKG";
      const created = await impl.create(inputs(name));
      pkg = { id: created.id, outs: created.outs! };
      const key = await fx().uploadManifest(
        "manifests/versioned.json",
        SAMPLE_MANIFEST.replace('"SAMPLE_CODE"', `"${name}"`),
      );
      const job = await importJob.create({
        __provider: PROVIDER,
        jobType: "NODE_PACKAGE_VERSION",
        inputConfig: {
          packageVersionInputConfig: {
            s3Location: { bucketName: MANIFEST_BUCKET, objectKey: key },
          },
        },
        outputConfig: {
          packageVersionOutputConfig: {
            packageName: name,
            packageVersion: "1.0",
            markLatest: true,
          },
        },
        clientToken: "package-test-versioned",
        waitOptions: FAST,
      });
      assert.strictEqual(job.outs!.status, "SUCCEEDED");
      assert.strictEqual(job.outs!.packageId, pkg.id, "the import went into the Package");
    });

    it("keeps answering 409 without forceDelete: delete fails after its bound and says what to do", async () => {
      const started = Date.now();
      await assert.rejects(
        impl.delete(pkg.id, { ...pkg.outs, waitOptions: { ...FAST, timeoutSeconds: 1 } }),
        (e: Error) => {
          assert.ok(e.message.includes(pkg.id), e.message);
          assert.match(e.message, /409 Conflict: .*registered patch version/);
          assert.match(e.message, /forceDelete: true/);
          assert.match(e.message, /pulumi destroy/);
          return true;
        },
      );
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 900 && elapsed < 5000, `waited ${elapsed}ms for a 1 s bound`);
      await describePackage(pkg.id);
    });

    it("deletes the package with its versions when forceDelete is set", async () => {
      await impl.delete(pkg.id, { ...pkg.outs, forceDelete: true });
      await gone(pkg.id);
    });
  });
});
