#!/usr/bin/env node
// Generates Pulumi SDKs from a package schema (schema.json) with pulumi-sdkgen: a small Go program
// (scripts/pulumi-sdkgen) that calls the code generators of github.com/pulumi/pulumi/pkg/v3
// v3.248.0 for nodejs, python and go. `pulumi package gen-sdk` reaches the same generators only
// through each language's host, and the Python and Go hosts are not served by the Go module proxy.
// pulumi-sdkgen is found or built like the CLI, into the CLI's cache (same lock, same Go flags).
//
// Plain Node and no dependencies, so it runs before `npm run build`.
//   npm run gen-sdk     this project's SDKs: schema.json → sdk/nodejs, sdk/python, sdk/go (committed;
//                       tests/tools/sdkDrift.test.ts fails when they are stale)
//   node scripts/gen-sdk.js <schema.json> <outDir> [--language nodejs,python,go] [--version 1.2.3]
//       writes <outDir>/nodejs, <outDir>/python, <outDir>/go
//   node scripts/gen-sdk.js --print-bin     only find or build pulumi-sdkgen; prints its path
//   require("./scripts/gen-sdk").generateSdks({ schema, outDir }) → { languages, sdkgenPath }
"use strict";

const childProcess = require("child_process");
const fs = require("fs");
const path = require("path");
const { ToolBuildError, ensureGoTool, isBuiltFrom, stampOf } = require("./go-tools");
const { defaultCacheDir } = require("./ensure-pulumi");

const LANGUAGES = ["nodejs", "python", "go"];
const NAME = "pulumi-sdkgen";
const moduleDir = path.join(__dirname, "pulumi-sdkgen");
const ROOT = path.resolve(__dirname, "..");
/** This project's schema and the directory its committed SDKs live in. */
const PROJECT_SCHEMA = path.join(ROOT, "schema.json");
const PROJECT_SDK_DIR = path.join(ROOT, "sdk");
/** The command that regenerates this project's SDKs, for messages. */
const REGENERATE = "npm run gen-sdk";

/**
 * Returns the path of pulumi-sdkgen, building it into `<cacheDir>/bin` when missing or stale.
 * @param {{cacheDir?: string, log?: (line: string) => void}} [options]
 * @returns {Promise<{path: string, built: boolean, seconds?: number}>}
 */
function ensureSdkgen(options = {}) {
  const binDir = path.join(path.resolve(options.cacheDir || defaultCacheDir()), "bin");
  const log = options.log || ((line) => process.stderr.write(`gen-sdk: ${line}\n`));
  const stamp = stampOf({
    sources: ["main.go", "go.mod", "go.sum"].map((f) => path.join(moduleDir, f)),
  });
  return ensureGoTool(
    binDir,
    {
      name: NAME,
      pkg: ".",
      cwd: moduleDir,
      stamp,
      isCurrent: () => isBuiltFrom(binDir, NAME, stamp),
      about:
        "about 20 s once the Pulumi CLI is built (it reuses the CLI's Go modules and compiled packages)",
      alternative: "generate the SDKs where Go is installed",
    },
    log,
  );
}

/**
 * Writes one SDK per language under `outDir` from the schema, then replaces the `${VERSION}`
 * placeholder the nodejs generator leaves in package.json (schemas without `meta.supportPack`).
 *
 * @param {object} options
 * @param {string} options.schema path of schema.json
 * @param {string} options.outDir receives one directory per language
 * @param {string[]} [options.languages] @default ["nodejs", "python", "go"]
 * @param {string} [options.version] @default the schema's `version`
 * @param {string} [options.cacheDir] where pulumi-sdkgen is cached
 * @param {(line: string) => void} [options.log]
 */
async function generateSdks(options) {
  const languages = options.languages || LANGUAGES;
  const unknown = languages.filter((language) => !LANGUAGES.includes(language));
  if (unknown.length > 0) {
    throw new ToolBuildError(
      `unknown language ${unknown.join(", ")}; supported: ${LANGUAGES.join(", ")}`,
    );
  }
  const schemaPath = path.resolve(options.schema);
  const version = options.version || JSON.parse(fs.readFileSync(schemaPath, "utf8")).version;
  const sdkgen = await ensureSdkgen(options);
  const result = childProcess.spawnSync(
    sdkgen.path,
    ["-schema", schemaPath, "-out", path.resolve(options.outDir), "-language", languages.join(",")],
    { encoding: "utf8" },
  );
  if (result.error)
    throw new ToolBuildError(`could not run ${sdkgen.path}: ${result.error.message}`);
  if (result.status !== 0)
    throw new ToolBuildError(result.stderr.trim() || `${NAME} exited ${result.status}`);

  if (languages.includes("nodejs")) {
    const packageJson = path.join(options.outDir, "nodejs", "package.json");
    const text = fs.readFileSync(packageJson, "utf8");
    if (text.includes("${VERSION}")) {
      if (!version) {
        throw new ToolBuildError(
          `${schemaPath} has no "version" and none was given (--version), so ${packageJson} cannot get one`,
        );
      }
      fs.writeFileSync(packageJson, text.split("${VERSION}").join(version));
    }
  }
  if (languages.includes("python")) copyPythonReadme(path.join(options.outDir, "python"));
  return { languages, sdkgenPath: sdkgen.path, output: result.stdout };
}

// pyproject.toml says `readme = "README.md"` beside it, but the generator writes README.md into the
// package directory only, and `pip install` refuses a project whose readme is missing.
function copyPythonReadme(python) {
  const readme = path.join(python, "README.md");
  if (!fs.existsSync(path.join(python, "pyproject.toml")) || fs.existsSync(readme)) return;
  const packageDir = fs
    .readdirSync(python, { withFileTypes: true })
    .find((d) => d.isDirectory() && fs.existsSync(path.join(python, d.name, "README.md")));
  if (packageDir) fs.copyFileSync(path.join(python, packageDir.name, "README.md"), readme);
}

module.exports = {
  LANGUAGES,
  PROJECT_SCHEMA,
  PROJECT_SDK_DIR,
  REGENERATE,
  ensureSdkgen,
  generateSdks,
};

if (require.main === module) {
  const argv = process.argv.slice(2);
  const option = (name) => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const [value] = argv.splice(i, 2).slice(1);
    return value;
  };
  const fail = (err) => {
    process.stderr.write(`gen-sdk: ${err instanceof ToolBuildError ? err.message : err.stack}\n`);
    process.exit(1);
  };
  if (argv.includes("--print-bin")) {
    ensureSdkgen().then((sdkgen) => process.stdout.write(`${sdkgen.path}\n`), fail);
  } else {
    const languages = option("--language")?.split(",");
    const version = option("--version");
    const [schema = PROJECT_SCHEMA, outDir = PROJECT_SDK_DIR, ...rest] = argv;
    if (argv.length === 1 || rest.length > 0) {
      fail(
        new ToolBuildError(
          "usage: node scripts/gen-sdk.js [<schema.json> <outDir>] [--language nodejs,python,go] [--version X]",
        ),
      );
    }
    generateSdks({ schema, outDir, languages, version }).then(
      (result) => process.stdout.write(result.output),
      fail,
    );
  }
}
