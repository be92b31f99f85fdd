// The usage examples in schema.json (schemagen/examples/, one code block per language, carried
// into each SDK's doc comments) are programs on the generated SDKs: the TypeScript type-checks
// strictly against sdk/nodejs, the Go compiles against sdk/go, the Python byte-compiles and uses
// only what sdk/python has, the YAML names resource types of the schema.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GO_BUILD_FLAGS } from "../../scripts/go-tools";
import { EXAMPLE_DIR as GO_EXAMPLE } from "../../scripts/go-quickstart";
import { REPO_ROOT } from "../support/engine";

const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8"));
const LANGUAGES = ["typescript", "python", "go", "yaml"];

/** Resource token → language → the example code blocks of its description. */
function examples(): Map<string, Map<string, string[]>> {
  const found = new Map<string, Map<string, string[]>>();
  for (const [token, resource] of Object.entries<any>(schema.resources)) {
    const text: string = resource.description ?? "";
    if (!text.includes("{{% examples %}}")) continue;
    const byLanguage = new Map<string, string[]>();
    for (const [, language, code] of text.matchAll(/```(\w+)\n([\s\S]*?)```/g))
      byLanguage.set(language, [...(byLanguage.get(language) ?? []), code]);
    found.set(token, byLanguage);
  }
  return found;
}

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(cmd, args, { encoding: "utf8", ...options });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    output: `${result.stdout}${result.stderr}`,
  };
}

describe("the usage examples in schema.json", function () {
  const all = examples();
  const programs = (language: string) =>
    [...all].flatMap(([token, byLanguage]) =>
      (byLanguage.get(language) ?? []).map((code, i) => ({
        name: `${token.split(":")[2]}-${i}`,
        code,
      })),
    );
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-panorama-examples-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exist for the import job, in TypeScript, Python, Go and YAML", () => {
    const job = all.get("panorama:index:PackageImportJob");
    assert.ok(job, "PackageImportJob has examples");
    assert.deepStrictEqual([...job.keys()].sort(), [...LANGUAGES].sort());
    for (const [token, byLanguage] of all)
      for (const language of byLanguage.keys())
        assert.ok(LANGUAGES.includes(language), `${token}: a ${language} example`);
  });

  it("TypeScript: each type-checks strictly against sdk/nodejs", function () {
    this.timeout(120_000);
    const project = path.join(dir, "ts");
    fs.mkdirSync(project);
    const sdk = path.join(REPO_ROOT, "sdk", "nodejs");
    for (const p of programs("typescript")) {
      const code = p.code.replace(`"${schema.language.nodejs.packageName}"`, JSON.stringify(sdk));
      assert.notStrictEqual(
        code,
        p.code,
        `${p.name} imports ${schema.language.nodejs.packageName}`,
      );
      fs.writeFileSync(path.join(project, `${p.name}.ts`), code);
    }
    fs.writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          module: "commonjs",
          skipLibCheck: true,
          typeRoots: [path.join(REPO_ROOT, "node_modules", "@types")],
          types: ["node"],
        },
        include: ["*.ts"],
      }),
    );
    const checked = run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project]);
    assert.strictEqual(checked.status, 0, checked.output);
  });

  it("Python: each byte-compiles and uses only what sdk/python has", () => {
    const sdk = path.join(REPO_ROOT, "sdk", "python", schema.language.python.packageName);
    const check = path.join(REPO_ROOT, "tests", "support", "python_sdk_usage.py");
    for (const p of programs("python")) {
      const file = path.join(dir, `${p.name}.py`);
      fs.writeFileSync(file, p.code);
      const compiled = run("python3", ["-m", "py_compile", file]);
      assert.strictEqual(compiled.status, 0, compiled.output);
      const usage = run("python3", [check, sdk, "panorama", file]);
      assert.strictEqual(usage.status, 0, usage.output);
      assert.deepStrictEqual(JSON.parse(usage.stdout), [], p.name);
    }
  });

  it("Go: each compiles against sdk/go (offline, on the Go quickstart's modules)", function () {
    this.timeout(20 * 60 * 1000);
    for (const p of programs("go")) {
      const module = path.join(dir, "go", p.name);
      fs.mkdirSync(module, { recursive: true });
      const goMod = fs
        .readFileSync(path.join(GO_EXAMPLE, "go.mod"), "utf8")
        .replace(/^module .*$/m, `module example/${p.name}`)
        .replace("=> ../../sdk/go", `=> ${path.join(REPO_ROOT, "sdk", "go")}`);
      fs.writeFileSync(path.join(module, "go.mod"), goMod);
      fs.copyFileSync(path.join(GO_EXAMPLE, "go.sum"), path.join(module, "go.sum"));
      fs.writeFileSync(path.join(module, "main.go"), p.code);
      const built = run("go", ["build", ...GO_BUILD_FLAGS, "-o", "program", "."], {
        cwd: module,
        env: { ...process.env, GOWORK: "off", GOPROXY: "off", GOFLAGS: "-mod=mod" },
      });
      assert.strictEqual(built.status, 0, `${p.name}:\n${built.output}`);
    }
  });

  it("YAML: each names only resource types of the schema", () => {
    for (const p of programs("yaml")) {
      const types = [...p.code.matchAll(/^\s+type: (\S+)$/gm)].map((m) => m[1]);
      assert.ok(types.length > 0, p.name);
      for (const type of types) assert.ok(type in schema.resources, `${p.name}: ${type}`);
    }
  });
});
