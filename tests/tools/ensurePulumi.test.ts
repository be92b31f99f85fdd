// Which Pulumi CLI ensure-pulumi.js settles on when a YAML host is asked for: a `pulumi` on PATH
// only with a current pulumi-language-yaml beside its real path (from PATH alone the CLI would warn
// on every run), else the cache. And the Go modules of the tools agree on their pins, so they share
// one module cache and one build cache.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CLI_BUILD_TIMEOUT_MS, EngineCli, REPO_ROOT, engineCli } from "../support/engine";
import { ensurePulumi, PULUMI_VERSION } from "../../scripts/ensure-pulumi";

const BUNDLED = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

function requirements(goMod: string): Map<string, string> {
  const text = fs.readFileSync(path.join(REPO_ROOT, "scripts", goMod), "utf8");
  return new Map([...text.matchAll(/^\s+(\S+) (v\S+)/gm)].map((m) => [m[1], m[2]]));
}

describe("ensure-pulumi with the YAML language host", function () {
  let cli: EngineCli;
  let dir: string;
  const savedPath = process.env.PATH;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    cli = await engineCli({ languages: ["yaml"] });
  });

  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-panorama-path-cli-"))));

  afterEach(() => {
    process.env.PATH = savedPath;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A directory that looks like an official install: the binaries themselves, not symlinks. */
  function installOnPath(names: string[]): string {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    for (const name of names) {
      const source =
        name === "pulumi-language-yaml" ? cli.languageHosts.yaml : path.join(cli.binDir, name);
      try {
        fs.linkSync(source, path.join(bin, name));
      } catch {
        fs.copyFileSync(source, path.join(bin, name));
      }
    }
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    return bin;
  }

  it("uses a pulumi on PATH that has pulumi-language-yaml beside it", async function () {
    this.timeout(60000);
    const bin = installOnPath([...BUNDLED, "pulumi-language-yaml"]);
    const found = await ensurePulumi({ languages: ["yaml"], log: () => {} });
    assert.strictEqual(found.source, "path");
    assert.strictEqual(found.pulumiPath, path.join(bin, "pulumi"));
    assert.deepStrictEqual(found.languageHosts, { yaml: path.join(bin, "pulumi-language-yaml") });
  });

  it("passes over a pulumi on PATH without pulumi-language-yaml beside it, for the cache", async function () {
    this.timeout(60000);
    const bin = installOnPath(BUNDLED);
    const log: string[] = [];
    const found = await ensurePulumi({ languages: ["yaml"], log: (line) => log.push(line) });
    assert.strictEqual(found.source, "cache");
    assert.strictEqual(found.binDir, cli.binDir);
    assert.match(
      log.join("\n"),
      new RegExp(`ignoring ${bin}/pulumi .*pulumi-language-yaml is missing`),
    );

    // Without the YAML host asked for, the same pulumi is good enough.
    assert.strictEqual((await ensurePulumi({ log: () => {} })).source, "path");
  });

  it("refuses an unknown language host by name", async function () {
    await assert.rejects(
      ensurePulumi({ languages: ["cobol"] }),
      /no language host for cobol; available: yaml/,
    );
  });

  it("pins pkg/v3 at the CLI's version in every Go module, with the same versions of shared modules", function () {
    const cliModule = requirements("pulumi-cli/go.mod");
    const sdkgenModule = requirements("pulumi-sdkgen/go.mod");
    assert.strictEqual(cliModule.get("github.com/pulumi/pulumi/pkg/v3"), `v${PULUMI_VERSION}`);
    assert.strictEqual(sdkgenModule.get("github.com/pulumi/pulumi/pkg/v3"), `v${PULUMI_VERSION}`);
    const differing = [...sdkgenModule]
      .filter(([module, version]) => cliModule.has(module) && cliModule.get(module) !== version)
      .map(([module, version]) => `${module} ${version} vs ${cliModule.get(module)}`);
    assert.deepStrictEqual(differing, []);
  });
});
