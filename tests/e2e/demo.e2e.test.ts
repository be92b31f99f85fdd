// The README's own sequence, as a new user runs it from a fresh clone: `npm run demo`,
// `npm run demo -- --destroy`, `npm run demo` (and the same with `-- --example yaml`, the
// quickstart as a Pulumi YAML program on the provider plugin). The demo keeps the emulator's state (and so its
// history of import jobs) and the stack's backend in .pulumi-state/ between runs, so the third run
// meets the first run's job, whose package the destroy deleted: it must start a new job and deploy.
//
// The project is copied into a throwaway directory (the demo writes .pulumi-state/ and
// Pulumi.dev.yaml next to Pulumi.yaml), node_modules and dist/ linked: `npm run demo` is
// `npm run build` (done before the tests, into dist/) and then scripts/demo.js, which runs here.
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CLI_BUILD_TIMEOUT_MS, engineCli, REPO_ROOT } from "../support/engine";

/** What a clone holds that the demo reads. */
const PROJECT_FILES = [
  "Pulumi.yaml",
  "package.json",
  "tsconfig.json",
  "scripts",
  "examples/quickstart",
  "examples/yaml",
  "bin",
];

/** The two quickstarts: the TypeScript classes' and the YAML program's on the plugin. */
const EXAMPLES = [
  { name: "quickstart", args: [] as string[], stateDir: ".pulumi-state" },
  { name: "yaml", args: ["--example", "yaml"], stateDir: path.join(".pulumi-state", "yaml") },
];

interface DemoRun {
  code: number | null;
  output: string;
}

/** The outputs `pulumi stack output` printed, by name. */
function stackOutputs(output: string): Record<string, string> {
  const table = output.split("=== Stack outputs")[1]?.split("=== pulumi refresh")[0] ?? "";
  return Object.fromEntries(
    [...table.matchAll(/^\s{4}(\w+)\s+(\S.*)$/gm)].map((m) => [m[1], m[2].trim()]),
  );
}

describe("npm run demo; npm run demo -- --destroy; npm run demo", function () {
  this.timeout(600_000);
  let clone: string;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await engineCli({ languages: ["yaml"] });
    clone = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-panorama-demo-"));
    for (const file of PROJECT_FILES)
      fs.cpSync(path.join(REPO_ROOT, file), path.join(clone, file), { recursive: true });
    // The package resolves itself ("pulumi-panorama/emulator") to its own dist/.
    for (const built of ["node_modules", "dist"])
      fs.symlinkSync(path.join(REPO_ROOT, built), path.join(clone, built), "dir");
  });
  after(() => clone && fs.rmSync(clone, { recursive: true, force: true }));

  /** scripts/demo.js in the clone, with a user's environment: no test settings, no AWS profile. */
  function demo(...args: string[]): Promise<DemoRun> {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(AWS_|PULUMI_)/.test(k)),
    );
    const child = spawn(process.execPath, [path.join(clone, "scripts", "demo.js"), ...args], {
      cwd: clone,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
  }

  for (const example of EXAMPLES) {
    const importJobsKept = () =>
      Object.keys(
        JSON.parse(fs.readFileSync(path.join(clone, example.stateDir, "emulator.json"), "utf8"))
          .importJobs,
      );

    it(`${example.name}: all three succeed; the third starts a new import job and ends DEPLOYMENT_SUCCEEDED`, async () => {
      const first = await demo(...example.args);
      assert.strictEqual(first.code, 0, first.output);
      const before = stackOutputs(first.output);
      assert.deepStrictEqual(
        [before.status, before.deploymentStatus, before.healthStatus],
        ["SUCCEEDED", "DEPLOYMENT_SUCCEEDED", "RUNNING"],
        first.output,
      );
      assert.deepStrictEqual(importJobsKept(), [before.jobId]);

      const destroyed = await demo(...example.args, "--destroy");
      assert.strictEqual(destroyed.code, 0, destroyed.output);
      assert.deepStrictEqual(
        importJobsKept(),
        [before.jobId],
        "the service keeps the job as history",
      );

      const again = await demo(...example.args);
      assert.strictEqual(again.code, 0, again.output);
      const after = stackOutputs(again.output);
      assert.deepStrictEqual(
        [after.status, after.deploymentStatus, after.healthStatus],
        ["SUCCEEDED", "DEPLOYMENT_SUCCEEDED", "RUNNING"],
        again.output,
      );
      assert.notStrictEqual(after.jobId, before.jobId, "a new import job, not the first run's");
      assert.notStrictEqual(after.packageId, before.packageId, "into the package created again");
      assert.deepStrictEqual(importJobsKept().sort(), [before.jobId, after.jobId].sort());
      assert.ok(
        !/continuing without packageArn|DEPLOYMENT_FAILED/.test(again.output),
        again.output,
      );
    });
  }
});
