// The environment settings users are told they can change, each shown to change what the provider
// does (so each test fails when its setting is ignored): the HTTP timeouts against a connection
// that never answers, the SDK's AWS_MAX_ATTEMPTS and AWS_RETRY_MODE on the provider's client, and
// PULUMI_PANORAMA_COALESCE on the status checks of several waits, PULUMI_PANORAMA_QUOTA_DIR on where
// the account's quota slots are taken. Real SDK clients, real HTTP, one
// emulator for the file.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribePackageImportJobCommand } from "@aws-sdk/client-panorama";
import { forgetClients, panoramaClient } from "../../provider/calls/awsClients";
import { packageImportJobImplementation as impl } from "../../provider/resources/packageImportJob";
import { MANIFEST_BUCKET, SAMPLE_MANIFEST, useEmulator } from "../support/emulatorFixture";

const SETTINGS = [
  "PULUMI_PANORAMA_REQUEST_TIMEOUT_MS",
  "PULUMI_PANORAMA_CONNECT_TIMEOUT_MS",
  "AWS_MAX_ATTEMPTS",
  "AWS_RETRY_MODE",
  "PULUMI_PANORAMA_COALESCE",
  "PULUMI_PANORAMA_QUOTA_DIR",
];

describe("environment settings change what the provider does", function () {
  this.timeout(30_000);
  const fx = useEmulator({ timing: { importJob: { mode: "timed", durationMs: 1500 } } });
  const saved = Object.fromEntries(SETTINGS.map((k) => [k, process.env[k]]));
  let jobId: string;

  before(async () => {
    await fx().uploadManifest("settings/package.json", manifestFor("SETTINGS_BASE", "1.0"));
    const created = await impl.create(
      importInputs("settings/package.json", "SETTINGS_BASE", "1.0"),
    );
    jobId = created.id;
  });
  beforeEach(() => {
    fx().emu.control.clearFaults();
    fx().emu.control.resetRequestCounts();
    forgetClients();
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    forgetClients();
  });

  const describes = () =>
    fx().emu.control.requestCounts().byOperation["panorama:DescribePackageImportJob"] ?? 0;
  const describeJob = () =>
    panoramaClient("us-east-1").send(new DescribePackageImportJobCommand({ JobId: jobId }));

  describe("PULUMI_PANORAMA_REQUEST_TIMEOUT_MS", () => {
    it("a request the service never answers is abandoned after the timeout and sent again", async () => {
      process.env.PULUMI_PANORAMA_REQUEST_TIMEOUT_MS = "400";
      fx().emu.control.addFault({
        operation: "DescribePackageImportJob",
        action: "hang",
        count: 1,
      });
      const started = Date.now();
      const job = await describeJob();
      const elapsed = Date.now() - started;
      assert.strictEqual(job.JobId, jobId);
      assert.strictEqual(
        fx().emu.control.faults()[0].hits,
        1,
        "the first attempt met the silent connection",
      );
      assert.strictEqual(describes(), 2, "abandoned, then sent once more");
      // The default is a minute: the test's 30 s limit would end first.
      assert.ok(elapsed >= 400 && elapsed < 10_000, `answered after ${elapsed} ms`);
    });

    it("a value that is not a duration is refused, naming the variable, before any request", async () => {
      process.env.PULUMI_PANORAMA_REQUEST_TIMEOUT_MS = "soon";
      assert.throws(
        () => panoramaClient("us-east-1"),
        /PULUMI_PANORAMA_REQUEST_TIMEOUT_MS must be a whole number of milliseconds greater than 0, got "soon"/,
      );
      process.env.PULUMI_PANORAMA_REQUEST_TIMEOUT_MS = "";
      process.env.PULUMI_PANORAMA_CONNECT_TIMEOUT_MS = "-5";
      assert.throws(
        () => panoramaClient("us-east-1"),
        /PULUMI_PANORAMA_CONNECT_TIMEOUT_MS must be a whole number of milliseconds greater than 0, got "-5"/,
      );
      assert.strictEqual(describes(), 0);
    });
  });

  describe("PULUMI_PANORAMA_QUOTA_DIR", () => {
    it("the account's requests take their slots there (one directory per account, named by a hash); off: nowhere", async () => {
      const base = fs.mkdtempSync(path.join(os.tmpdir(), "quota-dir-setting-"));
      try {
        process.env.PULUMI_PANORAMA_QUOTA_DIR = base;
        await describeJob();
        const [account, ...others] = fs.readdirSync(base);
        assert.deepStrictEqual(others, [], "one account, region and endpoint");
        assert.match(account, /^[0-9a-f]{24}$/, "no key or endpoint in the name");
        const slots = fs.readdirSync(path.join(base, account));
        assert.ok(
          slots.length === 1 && /^account@\d+\.\d+\.0$/.test(slots[0]),
          `the describe took a place in the account's slots: ${slots.join(", ")}`,
        );

        forgetClients();
        const off = path.join(base, "not-used");
        process.env.PULUMI_PANORAMA_QUOTA_DIR = "off";
        await describeJob();
        assert.ok(!fs.existsSync(off));
        assert.deepStrictEqual(fs.readdirSync(base), [account], "off: no slots taken");
      } finally {
        fs.rmSync(base, { recursive: true, force: true });
      }
    });
  });

  describe("AWS_MAX_ATTEMPTS", () => {
    it("sets how often the provider's client sends a failing request (6 unless set)", async () => {
      fx().emu.control.addFault({
        operation: "DescribePackageImportJob",
        error: "InternalServerException",
      });
      await assert.rejects(describeJob(), /InternalServerException|Fault injected/);
      assert.strictEqual(describes(), 6, "the provider's default");

      forgetClients();
      fx().emu.control.resetRequestCounts();
      process.env.AWS_MAX_ATTEMPTS = "2";
      await assert.rejects(describeJob(), /InternalServerException|Fault injected/);
      assert.strictEqual(describes(), 2, "AWS_MAX_ATTEMPTS=2");
    });
  });

  describe("AWS_RETRY_MODE", () => {
    /** One throttled answer (then retried), then three more requests; how long those three take. */
    async function afterOneThrottle(): Promise<number> {
      fx().emu.control.addFault({
        operation: "DescribePackageImportJob",
        error: "ThrottlingException",
        count: 1,
      });
      await describeJob();
      const started = Date.now();
      for (let i = 0; i < 3; i++) await describeJob();
      return Date.now() - started;
    }

    it("adaptive: the SDK's client-side rate limiter slows the client after a throttle; the provider's default does not", async () => {
      const standard = await afterOneThrottle();
      forgetClients();
      fx().emu.control.clearFaults();
      process.env.AWS_RETRY_MODE = "adaptive";
      const adaptive = await afterOneThrottle();
      // The SDK's limiter starts at 0.5 requests/s after its first throttle and grows back from there.
      const times = `three requests after a throttle: ${adaptive} ms adaptive, ${standard} ms standard`;
      // Floors only: a loaded machine slows both modes alike, never makes the limiter's waits shorter.
      assert.ok(adaptive >= 1000, times);
      assert.ok(adaptive > standard, times);
    });
  });

  describe("PULUMI_PANORAMA_COALESCE", () => {
    /** Three imports at once; the status checks they made, by operation. */
    async function threeImports(tag: string): Promise<{ lists: number; describes: number }> {
      const versions = ["1.0", "1.1", "1.2"];
      for (const v of versions)
        await fx().uploadManifest(
          `coalesce/${tag}/${v}/package.json`,
          manifestFor(`COALESCE_${tag}`, v),
        );
      fx().emu.control.resetRequestCounts();
      const jobs = await Promise.all(
        versions.map((v) =>
          impl.create(importInputs(`coalesce/${tag}/${v}/package.json`, `COALESCE_${tag}`, v)),
        ),
      );
      assert.ok(jobs.every((j) => j.outs.status === "SUCCEEDED"));
      const counts = fx().emu.control.requestCounts().byOperation;
      return {
        lists: counts["panorama:ListPackageImportJobs"] ?? 0,
        describes: counts["panorama:DescribePackageImportJob"] ?? 0,
      };
    }

    it("false: every wait checks its own job with DescribePackageImportJob, no list pages", async () => {
      const coalesced = await threeImports("ON");
      forgetClients();
      process.env.PULUMI_PANORAMA_COALESCE = "false";
      const separate = await threeImports("OFF");
      assert.ok(
        coalesced.lists > 0,
        `by default the waits share list pages: ${JSON.stringify(coalesced)}`,
      );
      assert.strictEqual(
        separate.lists,
        0,
        `PULUMI_PANORAMA_COALESCE=false: ${JSON.stringify(separate)}`,
      );
      assert.ok(
        separate.describes > coalesced.describes,
        `${JSON.stringify(separate)} vs ${JSON.stringify(coalesced)}`,
      );
    });
  });
});

/** The sample manifest renamed, so each import registers a version of its own. */
function manifestFor(name: string, version: string): string {
  const m = JSON.parse(SAMPLE_MANIFEST);
  m.nodePackage.name = name;
  m.nodePackage.version = version;
  return JSON.stringify(m);
}

function importInputs(
  objectKey: string,
  packageName: string,
  packageVersion: string,
): Record<string, any> {
  return {
    __provider: "serialized-provider-text",
    jobType: "NODE_PACKAGE_VERSION",
    inputConfig: {
      packageVersionInputConfig: { s3Location: { bucketName: MANIFEST_BUCKET, objectKey } },
    },
    outputConfig: { packageVersionOutputConfig: { packageName, packageVersion, markLatest: true } },
    clientToken: `settings-${packageName}-${packageVersion.replace(".", "_")}`,
    waitOptions: { minDelaySeconds: 0.1, maxDelaySeconds: 0.3, timeoutSeconds: 20 },
  };
}
