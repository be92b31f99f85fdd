// SDKs generated from a package schema by scripts/gen-sdk.js (pulumi-sdkgen, on the code generators
// of pkg/v3 v3.248.0), each checked the way its language would: the nodejs SDK type-checks under
// strict TypeScript 5 and drives the fixture plugin through the real engine, a Go program on the Go
// SDK compiles offline from the module cache the Go tools filled, the Python SDK byte-compiles.
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  CLI_BUILD_TIMEOUT_MS,
  REPO_ROOT,
  engineCli,
  inlineStack,
  withStack,
} from "../support/engine";
import { ensureSdkgen, generateSdks } from "../../scripts/gen-sdk";
import { GO_BUILD_FLAGS } from "../../scripts/go-tools";

const FIXTURE = path.join(__dirname, "..", "fixtures", "localfile-provider");
const SCHEMA = path.join(FIXTURE, "schema.json");
const schema = JSON.parse(fs.readFileSync(SCHEMA, "utf8"));

/** A Go program compiles in minutes the first time on 2 cores (the Pulumi Go SDK), seconds after. */
const GO_BUILD_TIMEOUT_MS = 15 * 60 * 1000;

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(cmd, args, { encoding: "utf8", ...options });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function tsc(project: string) {
  return run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project]);
}

describe("SDKs generated from a package schema", function () {
  let dir: string;
  let sdk: string;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-panorama-sdkgen-"));
    sdk = path.join(dir, "sdk");
    await ensureSdkgen({ log: (line) => console.log(`      [gen-sdk] ${line}`) });
    await generateSdks({ schema: SCHEMA, outDir: sdk, log: console.log });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  let compiledSdk: string | undefined;
  /** tsc over the nodejs SDK with its own (strict) tsconfig, once; returns the compiled package. */
  function compileNodejsSdk(): string {
    if (compiledSdk) return compiledSdk;
    const nodejs = path.join(sdk, "nodejs");
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(nodejs, "node_modules"), "dir");
    const compiled = tsc(nodejs);
    assert.strictEqual(compiled.status, 0, compiled.output);
    // The published package is bin/ with the package.json beside it (the SDK reads its version
    // from there), as Pulumi's provider builds lay it out.
    fs.copyFileSync(path.join(nodejs, "package.json"), path.join(nodejs, "bin", "package.json"));
    compiledSdk = path.join(nodejs, "bin");
    return compiledSdk;
  }

  it("nodejs: carries the schema's version, type-checks strictly, and its types require the inputs", function () {
    this.timeout(5 * 60 * 1000);
    const nodejs = path.join(sdk, "nodejs");
    const packageJson = JSON.parse(fs.readFileSync(path.join(nodejs, "package.json"), "utf8"));
    assert.strictEqual(packageJson.name, schema.language.nodejs.packageName);
    assert.strictEqual(packageJson.version, schema.version);
    assert.match(fs.readFileSync(path.join(nodejs, "tsconfig.json"), "utf8"), /"strict": true/);
    compileNodejsSdk();

    // A consumer that forgets a required input does not compile, and the error names it.
    const consumer = path.join(dir, "consumer");
    fs.mkdirSync(consumer);
    fs.writeFileSync(
      path.join(consumer, "index.ts"),
      `import { File } from "../sdk/nodejs/bin";\nnew File("note", { path: "/tmp/x" });\n`,
    );
    fs.writeFileSync(
      path.join(consumer, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] } }),
    );
    const rejected = tsc(consumer);
    assert.notStrictEqual(rejected.status, 0);
    assert.match(rejected.output, /Property 'content' is missing/);
  });

  it("nodejs: creates and deletes the resource through the real engine and the installed plugin", async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    const cli = await engineCli();
    const target = path.join(dir, "note.txt");
    // `pulumi plugin install --file` wants an archive holding the plugin executable.
    const pluginDir = path.join(dir, "plugin");
    fs.mkdirSync(pluginDir);
    fs.writeFileSync(
      path.join(pluginDir, "pulumi-resource-localfile"),
      `#!/bin/sh\nexec node ${JSON.stringify(path.join(FIXTURE, "provider.js"))} "$@"\n`,
      { mode: 0o755 },
    );
    const archive = path.join(dir, "localfile.tar.gz");
    execFileSync("tar", ["-czf", archive, "-C", pluginDir, "."]);

    const { File } = require(compileNodejsSdk());
    const program = async () => {
      const note = new File("note", { path: target, content: "from the generated SDK" });
      return { size: note.size };
    };
    await withStack(inlineStack({ program }), async (s) => {
      execFileSync(
        cli.pulumiPath,
        ["plugin", "install", "resource", "localfile", schema.version, "--file", archive],
        { env: { ...process.env, ...s.env }, stdio: "pipe" },
      );
      const up = await s.stack.up();
      assert.strictEqual(up.outputs.size.value, "from the generated SDK".length);
      assert.strictEqual(fs.readFileSync(target, "utf8"), "from the generated SDK");
      await s.stack.destroy();
      assert.strictEqual(fs.existsSync(target), false);
    });
  });

  it("go: a program on the generated module compiles offline", function () {
    this.timeout(GO_BUILD_TIMEOUT_MS);
    const goSdk = path.join(sdk, "go");
    const sdkModule = /^module (\S+)$/m.exec(
      fs.readFileSync(path.join(goSdk, "go.mod"), "utf8"),
    )![1];
    assert.strictEqual(sdkModule, path.posix.dirname(schema.language.go.importBasePath));
    const program = path.join(dir, "goprogram");
    fs.mkdirSync(program);
    // pulumi-sdkgen's requirements pin every module at a version its build put in the module
    // cache, so the program builds with GOPROXY=off; its go.sum has their hashes.
    const sdkgenModule = path.join(REPO_ROOT, "scripts", "pulumi-sdkgen");
    const goMod = fs
      .readFileSync(path.join(sdkgenModule, "go.mod"), "utf8")
      .replace(/^module .*$/m, "module sdkcheck");
    fs.writeFileSync(
      path.join(program, "go.mod"),
      `${goMod}\nrequire ${sdkModule} v0.0.0\n\nreplace ${sdkModule} => ${goSdk}\n`,
    );
    fs.copyFileSync(path.join(sdkgenModule, "go.sum"), path.join(program, "go.sum"));
    fs.writeFileSync(
      path.join(program, "main.go"),
      `package main

import (
	"${schema.language.go.importBasePath}"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		note, err := localfile.NewFile(ctx, "note", &localfile.FileArgs{
			Path:    pulumi.String("/tmp/note.txt"),
			Content: pulumi.String("hello"),
		})
		if err != nil {
			return err
		}
		ctx.Export("size", note.Size)
		return nil
	})
}
`,
    );
    const started = Date.now();
    const built = run("go", ["build", ...GO_BUILD_FLAGS, "-o", "program", "."], {
      cwd: program,
      env: { ...process.env, GOWORK: "off", GOPROXY: "off", GOFLAGS: "-mod=mod" },
    });
    assert.strictEqual(built.status, 0, built.output);
    console.log(
      `      go build of a program on the Go SDK: ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    assert.ok(fs.statSync(path.join(program, "program")).size > 0);
  });

  it("python: the package byte-compiles", function () {
    const python = path.join(sdk, "python");
    const packageDir = path.join(python, schema.language.python.packageName);
    const compiled = run("python3", ["-m", "compileall", "-q", python]);
    assert.strictEqual(compiled.status, 0, compiled.output);
    const cached = fs.readdirSync(path.join(packageDir, "__pycache__"));
    assert.ok(
      cached.some((name) => name.startsWith("file.")),
      cached.join(", "),
    );
  });

  it("fills in ${VERSION} for schemas without meta.supportPack, from --version or the schema", async function () {
    const { meta: _meta, ...plain } = schema;
    const plainSchema = path.join(dir, "plain-schema.json");
    fs.writeFileSync(plainSchema, JSON.stringify(plain));
    const versionOf = () =>
      JSON.parse(fs.readFileSync(path.join(dir, "plain", "nodejs", "package.json"), "utf8"))
        .version;

    const outDir = path.join(dir, "plain");
    await generateSdks({ schema: plainSchema, outDir, languages: ["nodejs"], version: "2.3.4" });
    assert.strictEqual(versionOf(), "2.3.4");
    await generateSdks({ schema: plainSchema, outDir, languages: ["nodejs"] });
    assert.strictEqual(versionOf(), schema.version);
    assert.strictEqual(fs.existsSync(path.join(outDir, "go")), false);
  });

  it("rejects a schema that does not bind, naming the property and the rule, and keeps the last SDK", async function () {
    const broken = structuredClone(schema);
    broken.resources["localfile:index:File"].properties.size.type = "int";
    const brokenSchema = path.join(dir, "broken-schema.json");
    fs.writeFileSync(brokenSchema, JSON.stringify(broken));
    const before = fs.readFileSync(path.join(sdk, "nodejs", "file.ts"), "utf8");

    await assert.rejects(
      generateSdks({ schema: brokenSchema, outDir: sdk }),
      /#\/resources\/localfile:index:File\/properties\/size\/type: unknown type kind int/,
    );
    assert.strictEqual(fs.readFileSync(path.join(sdk, "nodejs", "file.ts"), "utf8"), before);
  });
});
