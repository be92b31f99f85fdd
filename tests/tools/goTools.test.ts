// The build mechanism every Go tool here shares (scripts/go-tools.js), on a one-file Go module:
// a tool is built once and reused, rebuilt when its source changes, built once when two processes
// ask at the same time, a dead process's lock is taken over, and a failed build leaves nothing
// that could pass for a good one.
import * as assert from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ToolBuildError, ensureGoTool, isBuiltFrom, stampOf } from "../../scripts/go-tools";

const GO_TOOLS = path.join(__dirname, "..", "..", "scripts", "go-tools.js");

describe("building Go tools into a cache", function () {
  this.timeout(5 * 60 * 1000);
  let dir: string;
  let moduleDir: string;
  let binDir: string;
  const log: string[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-panorama-go-tools-"));
    moduleDir = path.join(dir, "module");
    binDir = path.join(dir, "cache", "bin");
    fs.mkdirSync(moduleDir);
    fs.writeFileSync(path.join(moduleDir, "go.mod"), "module hello\n\ngo 1.25\n");
    writeMain("v1");
    log.length = 0;
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function writeMain(version: string) {
    fs.writeFileSync(
      path.join(moduleDir, "main.go"),
      `package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("${version}") }\n`,
    );
  }

  function tool() {
    const stamp = stampOf({ sources: ["main.go", "go.mod"].map((f) => path.join(moduleDir, f)) });
    return {
      name: "hello",
      pkg: ".",
      cwd: moduleDir,
      stamp,
      isCurrent: () => isBuiltFrom(binDir, "hello", stamp),
      about: "a second or two",
      alternative: "do without it",
    };
  }

  const runHello = () => execFileSync(path.join(binDir, "hello"), { encoding: "utf8" }).trim();

  it("builds once, reuses the build, and rebuilds when the source changes", async function () {
    const first = await ensureGoTool(binDir, tool(), (line) => log.push(line));
    assert.strictEqual(first.built, true);
    assert.strictEqual(runHello(), "v1");
    assert.match(log.join("\n"), /building hello into .*; a second or two/);

    assert.strictEqual((await ensureGoTool(binDir, tool(), () => {})).built, false);

    writeMain("v2");
    assert.strictEqual((await ensureGoTool(binDir, tool(), () => {})).built, true);
    assert.strictEqual(runHello(), "v2");
  });

  it("builds once when two processes ask at the same time", async function () {
    const script = `require(${JSON.stringify(GO_TOOLS)}).ensureGoTool(${JSON.stringify(binDir)}, {
      name: "hello", pkg: ".", cwd: ${JSON.stringify(moduleDir)}, stamp: "s1",
      isCurrent() { return require(${JSON.stringify(GO_TOOLS)}).isBuiltFrom(${JSON.stringify(binDir)}, "hello", "s1"); },
      about: "", alternative: "",
    }, () => {}).then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
    const results = await Promise.all([1, 2].map(() => runNode(script)));
    assert.deepStrictEqual(results.map((r) => r.built).sort(), [false, true]);
    assert.strictEqual(runHello(), "v1");
    assert.deepStrictEqual(leftovers(), []);
  });

  it("takes over the lock of a process that died", async function () {
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => dead.on("close", resolve));
    fs.mkdirSync(binDir, { recursive: true });
    fs.writeFileSync(path.join(dir, "cache", ".hello.build.lock"), String(dead.pid));

    assert.strictEqual((await ensureGoTool(binDir, tool(), () => {})).built, true);
    assert.deepStrictEqual(leftovers(), []);
  });

  it("fails with the compiler's error and leaves no binary, stamp, partial file or lock", async function () {
    fs.writeFileSync(
      path.join(moduleDir, "main.go"),
      "package main\n\nfunc main() { undefinedCall() }\n",
    );
    await assert.rejects(
      ensureGoTool(binDir, tool(), () => {}),
      (err: unknown) => {
        assert.ok(err instanceof ToolBuildError, `expected a ToolBuildError, got ${err}`);
        assert.match(err.message, /go build \. failed:[\s\S]*undefined: undefinedCall/);
        return true;
      },
    );
    assert.deepStrictEqual(fs.readdirSync(binDir), []);
    assert.deepStrictEqual(leftovers(), []);
  });

  /** Lock files and partial builds anywhere in the cache. */
  function leftovers(): string[] {
    const cache = path.join(dir, "cache");
    return [
      ...fs.readdirSync(cache).filter((name) => name.endsWith(".lock")),
      ...fs.readdirSync(binDir).filter((name) => name.includes(".partial-")),
    ];
  }
});

function runNode(script: string): Promise<{ built: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`)),
    );
  });
}
