#!/usr/bin/env node
// Builds examples/go (the quickstart as a Go program on the generated Go SDK, sdk/go, run by the
// Automation API) into the Go tools' cache, stamped with its sources and the SDK's: the first build
// takes minutes (the Pulumi Go SDK), later runs find it in milliseconds, and any change to the
// example or a regenerated sdk/go builds it again. .ci/run builds it in its set-up, where Go modules
// may still be downloaded; the tests then only run it.
//
// Plain Node and no dependencies, so it runs before `npm run build`.
//   node scripts/go-quickstart.js --print-bin     find or build it; prints its path
//   require("./scripts/go-quickstart").ensureGoQuickstart() → { path, built, seconds? }
"use strict";

const fs = require("fs");
const path = require("path");
const { ToolBuildError, ensureGoTool, isBuiltFrom, stampOf } = require("./go-tools");
const { defaultCacheDir } = require("./ensure-pulumi");

const ROOT = path.resolve(__dirname, "..");
const EXAMPLE_DIR = path.join(ROOT, "examples", "go");
const SDK_DIR = path.join(ROOT, "sdk", "go");
const NAME = "panorama-quickstart-go";

/** Files of a Go module that go into its build, relative to `dir`, sorted. */
function goSources(dir, prefix = "") {
  const files = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...goSources(dir, relative));
    else if (/\.go$|^go\.(mod|sum)$/.test(entry.name)) files.push(relative);
  }
  return files.sort();
}

/** What the binary is built from: the example's and the SDK's sources, by name and content. */
function quickstartStamp() {
  const sources = [
    ...goSources(EXAMPLE_DIR).map((f) => path.join(EXAMPLE_DIR, f)),
    ...goSources(SDK_DIR).map((f) => path.join(SDK_DIR, f)),
  ];
  return stampOf({ sources, identity: sources.map((f) => path.relative(ROOT, f)).join("\n") });
}

/**
 * Returns the path of the built Go quickstart, building it into `<cacheDir>/examples` when
 * missing or stale.
 * @param {{cacheDir?: string, log?: (line: string) => void}} [options]
 * @returns {Promise<{path: string, built: boolean, seconds?: number}>}
 */
function ensureGoQuickstart(options = {}) {
  const binDir = path.join(path.resolve(options.cacheDir || defaultCacheDir()), "examples");
  const log = options.log || ((line) => process.stderr.write(`go-quickstart: ${line}\n`));
  const stamp = quickstartStamp();
  return ensureGoTool(
    binDir,
    {
      name: NAME,
      pkg: ".",
      cwd: EXAMPLE_DIR,
      stamp,
      isCurrent: () => isBuiltFrom(binDir, NAME, stamp),
      about: "about 3 minutes the first time on 2 cores (the Pulumi Go SDK), seconds after",
      alternative: "run the TypeScript or YAML quickstart instead",
    },
    log,
  );
}

module.exports = { EXAMPLE_DIR, ensureGoQuickstart };

if (require.main === module) {
  if (process.argv[2] !== "--print-bin" || process.argv.length > 3) {
    process.stderr.write("usage: node scripts/go-quickstart.js --print-bin\n");
    process.exit(2);
  }
  ensureGoQuickstart().then(
    (built) => process.stdout.write(`${built.path}\n`),
    (err) => {
      process.stderr.write(
        `go-quickstart: ${err instanceof ToolBuildError ? err.message : err.stack}\n`,
      );
      process.exit(1);
    },
  );
}
