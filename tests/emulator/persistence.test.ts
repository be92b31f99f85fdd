import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribePackageImportJobCommand, ListPackageImportJobsCommand } from "@aws-sdk/client-panorama";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { importPackage, startTestEmulator, stopTestEmulator } from "./helpers";

describe("emulator: persistence to a state file", () => {
  it("a restarted emulator keeps jobs, packages and S3 objects", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "panorama-emulator-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startTestEmulator({ stateFile });
      const job = await importPackage(first, "persisted");
      await stopTestEmulator(first);
      assert.ok(fs.existsSync(stateFile));
      assert.deepStrictEqual(fs.readdirSync(dir), ["state.json"], "no temporary files left behind");

      const second = await startTestEmulator({ stateFile });
      try {
        const again = await second.panorama.send(new DescribePackageImportJobCommand({ JobId: job.JobId }));
        assert.strictEqual(again.Status, "SUCCEEDED");
        assert.deepStrictEqual(again.Output, job.Output);
        const location = again.Output!.OutputS3Location!;
        const object = await second.s3.send(new GetObjectCommand({ Bucket: location.BucketName, Key: location.ObjectKey }));
        assert.strictEqual(await object.Body!.transformToString(), job.manifest);
        assert.strictEqual((await second.panorama.send(new ListPackageImportJobsCommand({}))).PackageImportJobs!.length, 1);
      } finally {
        await stopTestEmulator(second);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a job pending at shutdown settles after restart from its timestamps", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "panorama-emulator-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startTestEmulator({ stateFile, timing: { importJob: { mode: "timed", durationMs: 300 } } });
      const { createImportJob, upload, nodePackageManifest } = await import("./helpers");
      await upload(first, "p.json", nodePackageManifest("later"));
      const jobId = await createImportJob(first, { key: "p.json", name: "later" });
      await stopTestEmulator(first);
      await new Promise((r) => setTimeout(r, 350));
      const second = await startTestEmulator({ stateFile });
      try {
        assert.strictEqual((await second.panorama.send(new DescribePackageImportJobCommand({ JobId: jobId }))).Status, "SUCCEEDED");
      } finally {
        await stopTestEmulator(second);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
