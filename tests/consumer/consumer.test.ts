// The package as a user gets it: `npm pack`, the tarball installed into an empty project, consumer
// code type-checked with tsc, and the README's Install program run with `pulumi up` through the
// real engine against the emulator.
//
// Offline: the tarball is unpacked into the project's node_modules as `npm install <tarball>` would,
// and the third-party packages are links to the repository's node_modules (the npm cache holds
// tarballs but not the registry metadata an offline `npm install` needs); the test checks that they
// satisfy every range the packed package.json declares.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import {
  CLI_BUILD_TIMEOUT_MS,
  createSandbox,
  engineCli,
  REPO_ROOT,
  Sandbox,
} from "../support/engine";
import { Emulator, startFixture } from "../support/emulatorFixture";

const PROJECT_TEMPLATE = path.join(__dirname, "project");
const semver = require(
  require.resolve("semver", { paths: [require.resolve("@pulumi/pulumi/package.json")] }),
);

interface PackedFile {
  path: string;
}

describe("consumer: the packed package installed into an empty project", function () {
  this.timeout(CLI_BUILD_TIMEOUT_MS);
  let work: string;
  let project: string;
  let packed: PackedFile[];

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-panorama-consumer-"));
    // `npm test` has built dist/ already; --ignore-scripts skips the rebuild `prepare` would do.
    const [pack] = JSON.parse(
      npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], REPO_ROOT),
    );
    packed = pack.files;
    project = path.join(work, "my-stack");
    const installed = path.join(project, "node_modules", "pulumi-panorama");
    fs.mkdirSync(installed, { recursive: true });
    execFileSync("tar", [
      "-xzf",
      path.join(work, pack.filename),
      "-C",
      installed,
      "--strip-components=1",
    ]);
    linkThirdPartyPackages(path.join(project, "node_modules"));
    fs.cpSync(PROJECT_TEMPLATE, project, { recursive: true });
    const readme = installSection();
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), codeBlock(readme, "yaml"));
    fs.writeFileSync(path.join(project, "index.ts"), codeBlock(readme, "ts"));
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it("the tarball carries LICENSE, README, types, and no source map without its source", () => {
    const files = packed.map((f) => f.path);
    assert.ok(
      files.includes("LICENSE") && files.includes("README.md"),
      "LICENSE or README.md missing",
    );
    assert.match(
      fs.readFileSync(path.join(project, "node_modules/pulumi-panorama/LICENSE"), "utf8"),
      /Apache License\s+Version 2\.0/,
    );
    for (const types of ["dist/provider/index.d.ts", "dist/emulator/index.d.ts"])
      assert.ok(files.includes(types), `${types} missing`);
    const maps = files.filter((f) => f.endsWith(".map"));
    assert.ok(maps.length > 0, "no source maps packed");
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(
        fs.readFileSync(path.join(project, "node_modules/pulumi-panorama", map), "utf8"),
      );
      sources.forEach((source: string, i: number) => {
        const shipped = files.includes(path.posix.join(path.posix.dirname(map), source));
        assert.ok(
          shipped || typeof sourcesContent?.[i] === "string",
          `${map} points at ${source}, which is neither shipped nor embedded`,
        );
      });
    }
    assert.deepStrictEqual(
      files.filter((f) => /^(tests|bench|scripts|examples)\//.test(f)),
      [],
    );
    const cli = fs.readFileSync(
      path.join(project, "node_modules/pulumi-panorama/dist/emulator/cli.js"),
      "utf8",
    );
    assert.ok(
      cli.startsWith("#!/usr/bin/env node"),
      "the pulumi-panorama-emulator bin has no shebang",
    );
  });

  it("declares @pulumi/pulumi as a peer, and the linked packages satisfy every declared range", () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(project, "node_modules/pulumi-panorama/package.json"), "utf8"),
    );
    assert.deepStrictEqual(manifest.peerDependencies, { "@pulumi/pulumi": ">=3.248 <4" });
    assert.strictEqual(manifest.dependencies["@pulumi/pulumi"], undefined);
    for (const [name, range] of Object.entries<string>({
      ...manifest.dependencies,
      ...manifest.peerDependencies,
    })) {
      const { version } = JSON.parse(
        fs.readFileSync(path.join(project, "node_modules", name, "package.json"), "utf8"),
      );
      assert.ok(semver.satisfies(version, range), `${name}@${version} does not satisfy ${range}`);
    }
  });

  it("exports the API, the emulator and the provider entries serialized state loads, and nothing else", () => {
    const resolve = resolverIn(project);
    assert.strictEqual(resolve("pulumi-panorama"), "dist/provider/index.js");
    assert.strictEqual(resolve("pulumi-panorama/emulator"), "dist/emulator/index.js");
    assert.strictEqual(resolve("pulumi-panorama/package.json"), "package.json");
    // The serialized shims load every implementation through the registry.
    assert.strictEqual(
      resolve("pulumi-panorama/dist/provider/resources/registry.js"),
      "dist/provider/resources/registry.js",
    );
    for (const resource of ["packageImportJob", "package", "applicationInstance"]) {
      // Stacks written by 0.1.0 load the provider from its old path.
      assert.strictEqual(
        resolve(`pulumi-panorama/dist/provider/${resource}Provider.js`),
        `dist/provider/${resource}Provider.js`,
      );
    }
    assert.strictEqual(
      resolve("pulumi-panorama/dist/provider/calls/wait.js"),
      "ERR_PACKAGE_PATH_NOT_EXPORTED",
    );
    assert.strictEqual(
      resolve("pulumi-panorama/dist/emulator/server/pipeline.js"),
      "ERR_PACKAGE_PATH_NOT_EXPORTED",
    );
  });

  for (const tsconfig of ["tsconfig.json", "tsconfig.node16.json"]) {
    it(`consumer code type-checks with tsc (${tsconfig}): nested outputs, a StackReference, the manifest builder fed from outputs`, () => {
      const tsc = path.join(project, "node_modules/typescript/bin/tsc");
      try {
        execFileSync(process.execPath, [tsc, "-p", tsconfig], {
          cwd: project,
          encoding: "utf8",
          stdio: "pipe",
        });
      } catch (e) {
        assert.fail(`tsc -p ${tsconfig} failed:\n${(e as { stdout?: string }).stdout}`);
      }
    });
  }

  describe("the README's Install program, with `pulumi up`", () => {
    let emu: Emulator;
    let sandbox: Sandbox;
    before(async () => {
      await engineCli();
      emu = (await startFixture()).emu;
      sandbox = createSandbox();
    });
    after(async () => {
      await emu?.stop();
      sandbox?.dispose();
    });

    it("creates the package and finds the emulator's device, configured as the README says", async () => {
      const cli = await engineCli();
      const env = {
        ...sandbox.env,
        AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
      };
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "dev", workDir: project },
        { pulumiHome: sandbox.pulumiHome, pulumiCommand: cli.command, envVars: env },
      );
      try {
        await stack.setConfig("aws:region", { value: emu.region });
        await stack.setConfig("aws:endpoints[0].panorama", { value: emu.url }, true);
        const up = await stack.up();
        assert.match(up.outputs.deviceId.value, /^device-/);
        assert.match(up.outputs.packageId.value, /^package-/);
        assert.strictEqual(up.outputs.storageBucket.value, emu.storageBucket);
        const state = JSON.stringify(await stack.exportStack());
        assert.ok(
          state.includes("pulumi-panorama/dist/provider/resources/registry.js"),
          "the serialized provider does not load the installed package by name",
        );
        await stack.destroy();
        assert.strictEqual(emu.control.requestCounts().byOperation["panorama:DeletePackage"], 1);
      } finally {
        await stack.workspace.removeStack("dev", { force: true }).catch(() => undefined);
      }
    });
  });
});

/**
 * Resolves specifiers as the project's own code does, in a process started there (this test file
 * sits inside the package, where Node would resolve `pulumi-panorama` to itself); returns the path
 * inside the installed package, or the error code.
 */
function resolverIn(project: string): (specifier: string) => string {
  const installed = path.join(project, "node_modules", "pulumi-panorama");
  return (specifier) => {
    const script = `try { console.log(require.resolve(${JSON.stringify(specifier)})) } catch (e) { console.log(e.code) }`;
    const out = execFileSync(process.execPath, ["-e", script], {
      cwd: project,
      encoding: "utf8",
    }).trim();
    return path.isAbsolute(out) ? path.relative(installed, out) : out;
  };
}

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Every package of the repository's node_modules but this one, linked into the consumer's. */
function linkThirdPartyPackages(nodeModules: string): void {
  const source = path.join(REPO_ROOT, "node_modules");
  for (const entry of fs.readdirSync(source)) {
    if (entry === "pulumi-panorama" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(source, entry), path.join(nodeModules, entry), "dir");
  }
}

/** The README's "## Install" section. */
function installSection(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const section = /^## Install\n([\s\S]*?)^## /m.exec(readme);
  assert.ok(section, "README.md has no ## Install section");
  return section[1];
}

function codeBlock(markdown: string, language: string): string {
  const block = new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(markdown);
  assert.ok(block, `the Install section has no ${language} block`);
  return block[1];
}
