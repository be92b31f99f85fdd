// The PackageImportJob provider's methods against the emulator, through the real AWS SDK over
// HTTP: what `pulumi up`, `pulumi refresh` and `pulumi destroy` make them do.
import * as assert from "assert";
import { createHash } from "crypto";
import {
  DeletePackageCommand,
  DescribePackageCommand,
  DescribePackageVersionCommand,
  ListPackageImportJobsCommand,
} from "@aws-sdk/client-panorama";
import { packageImportJobImplementation as impl } from "../../provider/resources/packageImportJob";
import { RecordedFailure } from "../../provider/lifecycle/recordedFailure";
import { UNKNOWN } from "../../provider/lifecycle/unknowns";
import { logged } from "../support/logged";
import {
  emulatorControl,
  MANIFEST_BUCKET,
  SAMPLE_MANIFEST,
  useEmulator,
} from "../support/emulatorFixture";

const PROVIDER = "serialized-provider-text";

function inputs(key: string, extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    __provider: PROVIDER,
    jobType: "NODE_PACKAGE_VERSION",
    inputConfig: {
      packageVersionInputConfig: { s3Location: { bucketName: MANIFEST_BUCKET, objectKey: key } },
    },
    outputConfig: {
      packageVersionOutputConfig: {
        packageName: "SAMPLE_CODE",
        packageVersion: "1.0",
        markLatest: true,
      },
    },
    clientToken: `token-${key.replace(/[^a-zA-Z0-9]/g, "-")}`,
    waitOptions: { minDelaySeconds: 0.05, maxDelaySeconds: 0.2, timeoutSeconds: 20 },
    ...extra,
  };
}

async function rejection(p: Promise<unknown>): Promise<RecordedFailure> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RecordedFailure, `expected a RecordedFailure, got ${e}`);
    return e;
  }
  assert.fail("expected the call to fail");
}

describe("PackageImportJob provider against the emulator", function () {
  this.timeout(30_000);
  const fx = useEmulator({ timing: { importJob: { mode: "timed", durationMs: 300 } } });
  let n = 0;
  const uniqueKey = (name: string) => `manifests/${name}-${++n}.json`;
  const jobCount = async () =>
    (await fx().panorama.send(new ListPackageImportJobsCommand({}))).PackageImportJobs!.length;

  async function waitUntilGone(packageId: string) {
    for (let i = 0; i < 100; i++) {
      const found = await fx()
        .panorama.send(new DescribePackageCommand({ PackageId: packageId }))
        .catch(() => undefined);
      if (!found) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`package ${packageId} was not deleted`);
  }

  afterEach(async () =>
    emulatorControl(fx().emu, "POST", "timing", { importJob: { mode: "timed", durationMs: 300 } }),
  );

  it("creates the job, waits for SUCCEEDED and returns every output", async () => {
    const key = await fx().uploadManifest(uniqueKey("ok"));
    const { id, outs } = await impl.create(inputs(key));
    assert.match(id, /^[a-zA-Z0-9\-_]+$/);
    assert.strictEqual(outs!.jobId, id);
    assert.strictEqual(outs!.status, "SUCCEEDED");
    assert.strictEqual(
      outs!.patchVersion,
      createHash("sha256").update(SAMPLE_MANIFEST).digest("hex"),
    );
    assert.strictEqual(outs!.packageVersion, "1.0");
    assert.strictEqual(outs!.packageName, "SAMPLE_CODE");
    assert.match(outs!.packageId, /^package-/);
    assert.strictEqual(outs!.output.patchVersion, outs!.patchVersion);
    assert.match(outs!.packageArn, /^arn:aws:panorama:us-east-1:\d{12}:package\//);
    assert.match(outs!.ownerAccount, /^\d{12}$/);
    assert.match(outs!.createdTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(outs!.lastUpdatedTime, /Z$/);
    assert.strictEqual(outs!.region, "us-east-1");
    assert.strictEqual(outs!.__provider, PROVIDER);
    assert.deepStrictEqual(outs!.inputConfig, inputs(key).inputConfig);
    assert.strictEqual(typeof outs!.statusMessage, "string");
  });

  it("records a FAILED job with its id, StatusMessage and the next step", async () => {
    const key = await fx().uploadManifest(
      uniqueKey("wrong-name"),
      SAMPLE_MANIFEST.replace('"SAMPLE_CODE"', '"OTHER_CODE"'),
    );
    const e = await rejection(impl.create(inputs(key)));
    assert.match(e.id, /^[a-zA-Z0-9\-_]+$/);
    assert.strictEqual(e.properties.status, "FAILED");
    assert.strictEqual(e.properties.jobId, e.id);
    assert.strictEqual(
      e.properties.__provider,
      PROVIDER,
      "refresh and destroy load the provider from these outputs",
    );
    assert.ok((e.properties.statusMessage as string).length > 0);
    const reason = e.reasons[0];
    assert.ok(reason.includes(e.id), reason);
    assert.ok(reason.includes("FAILED"), reason);
    assert.ok(reason.includes(e.properties.statusMessage as string), reason);
    assert.ok(reason.includes(`s3://${MANIFEST_BUCKET}/${key}`), reason);
    assert.match(reason, /run `pulumi up` again/);
  });

  it("retries a FAILED job with a fresh token once the manifest is fixed", async () => {
    const key = uniqueKey("fixed-later");
    await fx().uploadManifest(key, "{ not json");
    const failed = await rejection(impl.create(inputs(key)));
    await fx().uploadManifest(key);
    const { id, outs } = await impl.create(inputs(key));
    assert.notStrictEqual(id, failed.id);
    assert.strictEqual(outs!.status, "SUCCEEDED");
    assert.strictEqual(outs!.clientToken, `${inputs(key).clientToken}-r1`);
    assert.strictEqual(outs!.requestedClientToken, inputs(key).clientToken);
  });

  it("is idempotent: the same inputs again re-adopt the same job, no duplicate", async () => {
    const key = await fx().uploadManifest(uniqueKey("idem"));
    const before = await jobCount();
    const first = await impl.create(inputs(key));
    const second = await impl.create(inputs(key));
    assert.strictEqual(second.id, first.id);
    assert.strictEqual(await jobCount(), before + 1);
  });

  it("records a timed-out job as PENDING and update() resumes the same job", async () => {
    await emulatorControl(fx().emu, "POST", "timing", { importJob: { mode: "manual" } });
    const key = await fx().uploadManifest(uniqueKey("slow"));
    const before = await jobCount();
    const slow = inputs(key, {
      waitOptions: { minDelaySeconds: 0.05, maxDelaySeconds: 0.1, timeoutSeconds: 0.5 },
    });
    const e = await rejection(impl.create(slow));
    assert.strictEqual(e.properties.status, "PENDING");
    assert.match(e.reasons[0], /still PENDING after 0.5s .*run `pulumi up` again to resume/);
    // The engine forces an update for a resource with init errors; diff agrees there is work.
    const d = await impl.diff(e.id, e.properties, slow);
    assert.deepStrictEqual([d.changes, d.replaces], [true, []]);
    await emulatorControl(fx().emu, "POST", `import-jobs/${e.id}/complete`, {});
    const { outs } = await impl.update(e.id, e.properties, {
      ...slow,
      waitOptions: { timeoutSeconds: 10, minDelaySeconds: 0.05 },
    });
    assert.strictEqual(outs!.status, "SUCCEEDED");
    assert.strictEqual(outs!.jobId, e.id);
    assert.strictEqual(await jobCount(), before + 1);
  });

  it("does not wait when waiting is disabled", async () => {
    await emulatorControl(fx().emu, "POST", "timing", { importJob: { mode: "manual" } });
    const key = await fx().uploadManifest(uniqueKey("nowait"));
    const { outs } = await impl.create(inputs(key, { waitOptions: { enabled: false } }));
    assert.strictEqual(outs!.status, "PENDING");
    assert.strictEqual(outs!.packageVersion, "1.0");
    const d = await impl.diff(outs!.jobId, outs!, inputs(key, { waitOptions: { enabled: false } }));
    assert.strictEqual(d.changes, false, "a PENDING job is not waited on while waiting is off");
  });

  it("read() refreshes status and outputs, and reports a vanished job as gone", async () => {
    const key = await fx().uploadManifest(uniqueKey("refresh"));
    const { id, outs } = await impl.create(inputs(key));
    await emulatorControl(fx().emu, "POST", `import-jobs/${id}/status`, {
      status: "FAILED",
      statusMessage: "Package was withdrawn",
    });
    const r = await impl.read(id, outs!);
    assert.strictEqual(r.id, id);
    assert.strictEqual(r.props!.status, "FAILED");
    assert.strictEqual(r.props!.statusMessage, "Package was withdrawn");
    assert.strictEqual(r.props!.patchVersion, outs!.patchVersion, "nothing known is dropped");
    assert.strictEqual(r.props!.__provider, PROVIDER);
    const d = await impl.diff(id, r.props!, inputs(key));
    assert.ok(d.replaces!.includes("status"), "a FAILED job is replaced by the next up");
    assert.deepStrictEqual(
      await impl.read("packageImportJob-doesnotexist0000000000000", outs!),
      {},
    );
  });

  describe("diff", () => {
    const olds = {
      ...inputs("k"),
      requestedClientToken: inputs("k").clientToken,
      clientToken: "sent",
      status: "SUCCEEDED",
      packageArn: "arn:aws:panorama:us-east-1:123456789012:package/package-abc",
      region: "us-east-1",
    };
    it("is empty when nothing changed", async () => {
      assert.deepStrictEqual(await impl.diff("id", olds, inputs("k")), {
        changes: false,
        replaces: [],
        updates: [],
        deleteBeforeReplace: false,
      });
    });
    it("replaces a SUCCEEDED job whose packageArn could not be had (its patch was gone)", async () => {
      const { packageArn, ...incomplete } = olds;
      assert.ok(packageArn);
      assert.deepStrictEqual((await impl.diff("id", incomplete, inputs("k"))).replaces, ["status"]);
    });
    it("replaces on any job parameter", async () => {
      const cases: [string, Record<string, unknown>][] = [
        ["inputConfig", { inputConfig: inputs("other").inputConfig }],
        [
          "outputConfig",
          {
            outputConfig: {
              packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion: "2.0" },
            },
          },
        ],
        ["jobType", { jobType: "MARKETPLACE_NODE_PACKAGE_VERSION" }],
        ["clientToken", { clientToken: "another" }],
        ["jobTags", { jobTags: [{ resourceType: "PACKAGE", tags: { a: "b" } }] }],
        ["region", { region: "eu-west-1" }],
      ];
      for (const [key, change] of cases) {
        const d = await impl.diff("id", olds, { ...inputs("k"), ...change });
        assert.deepStrictEqual([d.changes, d.replaces], [true, [key]], key);
      }
    });
    it("only updates on waiting options, deregisterOnDelete and new provider code", async () => {
      for (const change of [
        { waitOptions: { timeoutSeconds: 99 } },
        { deregisterOnDelete: true },
        { __provider: "new code" },
      ]) {
        const d = await impl.diff("id", olds, { ...inputs("k"), ...change });
        assert.deepStrictEqual([d.changes, d.replaces], [true, []], JSON.stringify(change));
      }
    });
    it("treats unknown job parameters in preview as a replacement", async () => {
      const d = await impl.diff("id", olds, {
        ...inputs("k"),
        inputConfig: {
          packageVersionInputConfig: { s3Location: { bucketName: UNKNOWN, objectKey: "k" } },
        },
      });
      assert.deepStrictEqual(d.replaces, ["inputConfig"]);
    });
  });

  it("update() with new waiting options keeps every output", async () => {
    const key = await fx().uploadManifest(uniqueKey("update"));
    const { id, outs } = await impl.create(inputs(key));
    const news = { ...inputs(key), waitOptions: { timeoutSeconds: 5 }, __provider: "new code" };
    const { outs: updated } = await impl.update(id, outs!, news);
    assert.deepStrictEqual(updated, {
      ...outs,
      waitOptions: { timeoutSeconds: 5 },
      __provider: "new code",
    });
  });

  it("delete() forgets the job and keeps the patch unless deregisterOnDelete", async () => {
    const key = await fx().uploadManifest(
      uniqueKey("delete"),
      SAMPLE_MANIFEST.replace("Quickstart", "Delete test"),
    );
    const { id, outs } = await impl.create(inputs(key));
    const patch = {
      PackageId: outs!.packageId,
      PackageVersion: "1.0",
      PatchVersion: outs!.patchVersion,
    };
    await impl.delete(id, outs!);
    assert.strictEqual(
      (await fx().panorama.send(new DescribePackageVersionCommand(patch))).Status,
      "REGISTER_COMPLETED",
    );
    await impl.delete(id, { ...outs!, deregisterOnDelete: true });
    await assert.rejects(fx().panorama.send(new DescribePackageVersionCommand(patch)), {
      name: "ResourceNotFoundException",
    });
  });

  it("adopts an existing job by id and refuses a mismatching one", async () => {
    const key = await fx().uploadManifest(uniqueKey("adopt"));
    const { id, outs } = await impl.create(inputs(key));
    const adopted = await impl.create({ __provider: PROVIDER, adoptJobId: id });
    assert.strictEqual(adopted.id, id);
    assert.strictEqual(adopted.outs!.patchVersion, outs!.patchVersion);
    assert.deepStrictEqual(adopted.outs!.outputConfig, outs!.outputConfig);
    await assert.rejects(
      impl.create({
        __provider: PROVIDER,
        adoptJobId: id,
        outputConfig: {
          packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion: "9.9" },
        },
      }),
      /^Error: adoptJobId: package import job \S+ has another outputConfig than the program sets; remove outputConfig from the program or make it match\.$/,
    );
    await assert.rejects(
      impl.create({ __provider: PROVIDER, adoptJobId: "packageImportJob-missing" }),
      (e: Error) => {
        assert.match(
          e.message,
          /^adoptJobId: package import job packageImportJob-missing does not exist in us-east-1\. /,
        );
        assert.match(
          e.message,
          /\. Check the id and the region .*; list the region's package import jobs with `aws panorama list-package-import-jobs --region us-east-1`\.$/,
        );
        return true;
      },
    );
  });

  it("a client token used by another job: the message names that job and never prints the token", async () => {
    const first = await impl.create(inputs(await fx().uploadManifest(uniqueKey("token-a"))));
    const other = inputs(await fx().uploadManifest(uniqueKey("token-b")), {
      clientToken: first.outs!.requestedClientToken,
    });
    await assert.rejects(impl.create(other), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(
          `the client token \\(secret\\) was already used for a different import job \\(${first.id}\\)`,
        ),
      );
      assert.ok(!e.message.includes(other.clientToken), e.message);
      return true;
    });
  });

  it("re-adopts its job through the token only while the imported patch exists; then starts a new one and says so", async () => {
    const key = await fx().uploadManifest(
      uniqueKey("history"),
      SAMPLE_MANIFEST.replace("Quickstart", "History test"),
    );
    const first = await impl.create(inputs(key));
    const again = await impl.create(inputs(key));
    assert.strictEqual(again.id, first.id, "a valid job is re-adopted");
    // The stack was destroyed with the package (forceDelete); the service keeps the job's history.
    await fx().panorama.send(
      new DeletePackageCommand({ PackageId: first.outs!.packageId, ForceDelete: true }),
    );
    await waitUntilGone(first.outs!.packageId);
    const { value, lines } = await logged(() => impl.create(inputs(key)));
    assert.notStrictEqual(value.id, first.id, "a job whose patch is gone is history");
    assert.strictEqual(value.outs!.status, "SUCCEEDED");
    assert.match(value.outs!.clientToken, /-r1$/);
    assert.ok(value.outs!.packageArn, "later resources get the new package's ARN");
    assert.notStrictEqual(value.outs!.packageId, first.outs!.packageId);
    assert.ok(
      lines.some(
        (l) =>
          l.includes(`earlier import job ${first.id}`) &&
          /no longer exists; starting a new one with the next client token/.test(l),
      ),
      lines.join("\n"),
    );
  });

  it("takes the region from aws:region config when the input and AWS_REGION are absent", async () => {
    const saved = process.env.AWS_REGION;
    delete process.env.AWS_REGION;
    try {
      const key = await fx().uploadManifest(uniqueKey("no-region"));
      await assert.rejects(
        impl.create(inputs(key)),
        /No AWS region: set the resource's `region` input, the stack config `aws:region`/,
      );
      await impl.configure({
        config: {
          get: (k: string) => (k === "aws:region" ? "us-east-1" : undefined),
          require: () => "",
        },
      } as any);
      const { outs } = await impl.create(inputs(key));
      assert.strictEqual(outs!.region, "us-east-1");
    } finally {
      process.env.AWS_REGION = saved;
      await impl.configure({ config: { get: () => undefined, require: () => "" } } as any);
    }
  });
});
