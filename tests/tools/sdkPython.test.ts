// The Python SDK generated from schema.json (sdk/python, `pulumi_panorama`) and the quickstart on
// it (examples/python). Neither can run here (no `pulumi` Python package), so: both byte-compile,
// the package metadata parses and says what the schema says, and the example uses only classes,
// arguments and properties the SDK has (read from its source, not imported).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../support/engine";

const SDK = path.join(REPO_ROOT, "sdk", "python");
const EXAMPLE = path.join(REPO_ROOT, "examples", "python");
const USAGE_CHECK = path.join(REPO_ROOT, "tests", "support", "python_sdk_usage.py");
const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8"));
const PACKAGE = schema.language.python.packageName as string;

function python(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync("python3", args, { encoding: "utf8", env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    output: `${result.stdout}${result.stderr}`,
  };
}

function usageProblems(program: string): string[] {
  const checked = python([USAGE_CHECK, path.join(SDK, PACKAGE), "panorama", program]);
  assert.strictEqual(checked.status, 0, checked.output);
  return JSON.parse(checked.stdout);
}

describe("the generated Python SDK (sdk/python) and examples/python", function () {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-panorama-python-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("byte-compile (the bytecode kept out of the tree)", () => {
    const prefix = path.join(dir, "pycache");
    const compiled = python(["-m", "compileall", "-q", SDK, EXAMPLE], {
      PYTHONPYCACHEPREFIX: prefix,
    });
    assert.strictEqual(compiled.status, 0, compiled.output);
    const written = fs.readdirSync(path.join(prefix, SDK, PACKAGE));
    assert.ok(
      written.some((f) => f.startsWith("package_import_job.")),
      written.join(", "),
    );
    assert.ok(fs.readdirSync(path.join(prefix, EXAMPLE)).some((f) => f.startsWith("__main__.")));
  });

  it("has pyproject.toml metadata naming the schema's package, version and the pulumi dependency", () => {
    const parsed = python([
      "-c",
      "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))",
      path.join(SDK, "pyproject.toml"),
    ]);
    assert.strictEqual(parsed.status, 0, parsed.output);
    const { project, "build-system": build } = JSON.parse(parsed.stdout);
    assert.strictEqual(project.name, PACKAGE);
    assert.strictEqual(project.version, schema.version);
    assert.ok(
      project.dependencies.includes(`pulumi${schema.language.python.requires.pulumi}`),
      project.dependencies.join(", "),
    );
    assert.ok(fs.existsSync(path.join(SDK, project.readme)), `${project.readme} is missing`);
    assert.strictEqual(build["build-backend"], "setuptools.build_meta");
    // The plugin the SDK's resources ask the engine for.
    assert.deepStrictEqual(
      JSON.parse(fs.readFileSync(path.join(SDK, PACKAGE, "pulumi-plugin.json"), "utf8")),
      { resource: true, name: schema.name, version: schema.version },
    );
  });

  it("examples/python uses only what the SDK has", () => {
    assert.deepStrictEqual(usageProblems(path.join(EXAMPLE, "__main__.py")), []);
  });

  it("the usage check names a misspelt argument and an unknown output", () => {
    const misspelt = path.join(dir, "misspelt.py");
    fs.writeFileSync(
      misspelt,
      fs
        .readFileSync(path.join(EXAMPLE, "__main__.py"), "utf8")
        .replace("force_delete=True", "forceDelete=True")
        .replace('pulumi.export("jobId", job.job_id)', 'pulumi.export("jobId", job.id_of_job)'),
    );
    const problems = usageProblems(misspelt);
    assert.deepStrictEqual(
      problems.map((p) => p.replace(/^line \d+: /, "")),
      [
        "panorama.Package takes no argument forceDelete",
        "PackageImportJob has no property id_of_job",
      ],
    );
  });

  it("examples/python is the quickstart: Pulumi.yaml runs python on this checkout's plugin", () => {
    const project = fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8");
    assert.match(project, /^runtime:\n {2}name: python$/m);
    assert.match(project, /- name: panorama\n\s+path: \.\.\/\.\.\/bin$/m);
    const requirements = fs.readFileSync(path.join(EXAMPLE, "requirements.txt"), "utf8");
    assert.match(requirements, /^\.\.\/\.\.\/sdk\/python$/m);
    assert.ok(fs.existsSync(path.join(EXAMPLE, "../../bin/pulumi-resource-panorama")));
  });
});
