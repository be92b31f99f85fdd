// The PackageVersion provider against the emulator, through the real AWS SDK over HTTP: register
// and wait for REGISTER_COMPLETED, a failed registration, adoption of a registered patch,
// markLatest in place, refresh, and deregistration waited until the patch is gone.
import * as assert from "assert";
import { createHash } from "crypto";
import {
  CreatePackageCommand,
  DescribePackageCommand,
  DescribePackageVersionCommand,
  RegisterPackageVersionCommand,
} from "@aws-sdk/client-panorama";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { packageVersionImplementation as impl } from "../../provider/resources/packageVersion";
import { RecordedFailure } from "../../provider/lifecycle/recordedFailure";
import { SAMPLE_MANIFEST, useEmulator } from "../support/emulatorFixture";

const PROVIDER = "serialized-provider-text";
const FAST = { minDelaySeconds: 0.05, maxDelaySeconds: 0.2, timeoutSeconds: 20 };

describe("PackageVersion check", () => {
  it("names each member that breaks a rule of RegisterPackageVersionRequest, and unknown properties", () => {
    const failures = impl.checkFailures({
      packageId: "package-1",
      packageVersion: "1",
      patchVersion: "p".repeat(300),
      markLatest: "yes",
      colour: "red",
    });
    const text = failures.map((f) => `${f.property} | ${f.reason}`).join("\n");
    assert.match(
      text,
      /^packageVersion \| packageVersion: must satisfy regular expression pattern/m,
    );
    assert.match(text, /^patchVersion \| patchVersion: /m);
    assert.match(text, /^markLatest \| markLatest: /m);
    assert.match(text, /^colour \| colour: unknown property of PackageVersion/m);
    assert.deepStrictEqual(
      impl.checkFailures({ packageVersion: "1.0", patchVersion: "abc" }).map((f) => f.property),
      ["packageId"],
    );
  });

  it("replaces on a new patch and updates markLatest in place", async () => {
    const olds = {
      __provider: PROVIDER,
      packageId: "package-1",
      packageVersion: "1.0",
      patchVersion: "abc",
      status: "REGISTER_COMPLETED",
      region: "us-east-1",
    };
    const news = {
      __provider: PROVIDER,
      packageId: "package-1",
      packageVersion: "1.0",
      patchVersion: "abc",
      region: "us-east-1",
    };
    assert.deepStrictEqual(await impl.diff("id", olds, news), {
      changes: false,
      replaces: [],
      updates: [],
      deleteBeforeReplace: false,
    });
    assert.deepStrictEqual(
      (await impl.diff("id", olds, { ...news, patchVersion: "def" })).replaces,
      ["patchVersion"],
    );
    const latest = await impl.diff("id", olds, { ...news, markLatest: true });
    assert.deepStrictEqual([latest.changes, latest.replaces], [true, []]);
    assert.deepStrictEqual((await impl.diff("id", { ...olds, status: "FAILED" }, news)).replaces, [
      "status",
    ]);
  });
});

describe("PackageVersion provider against the emulator", function () {
  this.timeout(60_000);
  const fx = useEmulator({ timing: { packageVersion: { mode: "timed", durationMs: 300 } } });
  let n = 0;

  /** A package with this test's manifest uploaded where registration reads it; returns the inputs. */
  async function prepared(
    extra: Record<string, unknown> = {},
    manifestName?: string,
  ): Promise<Record<string, any>> {
    const name = `PV_${++n}`;
    const pkg = await fx().panorama.send(new CreatePackageCommand({ PackageName: name }));
    const manifest = SAMPLE_MANIFEST.replace('"SAMPLE_CODE"', `"${manifestName ?? name}"`);
    const patch = createHash("sha256").update(manifest).digest("hex");
    const loc = pkg.StorageLocation!;
    await fx().s3.send(
      new PutObjectCommand({
        Bucket: loc.Bucket,
        Key: `${loc.ManifestPrefixLocation}/1.0/${patch}.json`,
        Body: manifest,
      }),
    );
    return {
      __provider: PROVIDER,
      packageId: pkg.PackageId,
      packageVersion: "1.0",
      patchVersion: patch,
      region: "us-east-1",
      waitOptions: FAST,
      ...extra,
    };
  }

  const describeVersion = (i: Record<string, any>) =>
    fx().panorama.send(
      new DescribePackageVersionCommand({
        PackageId: i.packageId,
        PackageVersion: i.packageVersion,
        PatchVersion: i.patchVersion,
      }),
    );

  it("registers the patch, waits for REGISTER_COMPLETED and returns what DescribePackageVersion says", async () => {
    const inputs = await prepared({ markLatest: true });
    const { id, outs } = await impl.create(inputs);
    assert.strictEqual(id, `${inputs.packageId}/1.0/${inputs.patchVersion}`);
    assert.strictEqual(outs!.status, "REGISTER_COMPLETED");
    assert.strictEqual(outs!.isLatestPatch, true);
    assert.strictEqual(outs!.statusDescription, "");
    assert.match(outs!.registeredTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(outs!.packageArn, /^arn:aws:panorama:us-east-1:\d{12}:package\//);
    assert.match(outs!.packageName, /^PV_/);
    assert.match(outs!.ownerAccount, /^\d{12}$/);
    assert.strictEqual(outs!.__provider, PROVIDER);
    assert.strictEqual((await describeVersion(inputs)).Status, "REGISTER_COMPLETED");
    const refreshed = await impl.read(id, outs!);
    assert.deepStrictEqual(refreshed, { id, props: outs });
  });

  it("records a FAILED registration with the service's description and the next step", async () => {
    const inputs = await prepared({}, "NOT_THIS_PACKAGE");
    const e = await impl.create(inputs).then(
      () => assert.fail("expected the registration to fail"),
      (err) => err,
    );
    assert.ok(e instanceof RecordedFailure, String(e));
    assert.strictEqual(e.properties.status, "FAILED");
    assert.match(
      e.reasons[0],
      /is FAILED: The package manifest at s3:\/\/.* names package NOT_THIS_PACKAGE/,
    );
    assert.match(e.reasons[0], /run `pulumi up` again/);
    assert.deepStrictEqual(
      (await impl.diff(e.id, e.properties, inputs)).replaces,
      ["status"],
      "the service's ownerAccount is no change",
    );
  });

  it("adopts a patch registered outside the stack without registering it again", async () => {
    const inputs = await prepared();
    await fx().panorama.send(
      new RegisterPackageVersionCommand({
        PackageId: inputs.packageId,
        PackageVersion: "1.0",
        PatchVersion: inputs.patchVersion,
      }),
    );
    fx().emu.control.advanceClock(1000);
    const before = fx().emu.control.requestCounts();
    const { outs } = await impl.create(inputs);
    assert.strictEqual(outs!.status, "REGISTER_COMPLETED");
    const registers = (c: { byOperation: Record<string, number> }) =>
      c.byOperation["panorama:RegisterPackageVersion"] ?? 0;
    assert.strictEqual(registers(fx().emu.control.requestCounts()), registers(before));
    assert.ok(registers(before) > 0);
  });

  it("turns markLatest on in place by registering the patch again", async () => {
    const older = await prepared({ markLatest: true });
    await impl.create(older);
    // A second patch of the same version, registered without markLatest: the older one stays latest.
    const manifest = SAMPLE_MANIFEST.replace('"SAMPLE_CODE"', `"PV_${n}"`) + "\n"; // other bytes, another patch
    const patch = createHash("sha256").update(manifest).digest("hex");
    const loc = (
      await fx().panorama.send(new DescribePackageCommand({ PackageId: older.packageId }))
    ).StorageLocation!;
    await fx().s3.send(
      new PutObjectCommand({
        Bucket: loc.Bucket,
        Key: `${loc.ManifestPrefixLocation}/1.0/${patch}.json`,
        Body: manifest,
      }),
    );
    const newer = { ...older, patchVersion: patch, markLatest: false };
    const { id, outs } = await impl.create(newer);
    assert.strictEqual(outs!.isLatestPatch, false);
    const d = await impl.diff(id, outs!, { ...newer, markLatest: true });
    assert.deepStrictEqual([d.changes, d.replaces], [true, []]);
    const updated = await impl.update(id, outs!, { ...newer, markLatest: true });
    assert.strictEqual(updated.outs!.isLatestPatch, true);
    assert.strictEqual(updated.outs!.markLatest, true);
    assert.strictEqual((await describeVersion(older)).IsLatestPatch, false);
  });

  it("deregisters on delete and waits until the patch is gone; a second delete and a refresh see it gone", async () => {
    const inputs = await prepared();
    const { id, outs } = await impl.create(inputs);
    await impl.delete(id, outs!);
    await assert.rejects(describeVersion(inputs), { name: "ResourceNotFoundException" });
    await impl.delete(id, outs!);
    assert.deepStrictEqual(await impl.read(id, outs!), {});
  });
});
