#!/usr/bin/env node
// Finds or builds the Pulumi CLI this project tests against, with the two "bundled" plugins the
// engine needs to run Node.js programs offline: the language host `pulumi-language-nodejs` and
// the dynamic-provider shim `pulumi-resource-pulumi-nodejs`.
//
// Order: a `pulumi` on PATH (>= 3.248.0, language host and shim beside it or on PATH); else the
// cache ($PULUMI_PANORAMA_CLI_CACHE or ~/.cache/pulumi-panorama/cli-v3.248.0/bin); else build into
// the cache from scripts/pulumi-cli with Go and the Go module proxy, because the official installer
// is not reachable from our machines (see reference/pulumi-dynamic-providers.md §4.2).
//
// Plain Node and no dependencies, so it runs before `npm run build`.
//   node scripts/ensure-pulumi.js              progress on stderr, the bin dir as the last stdout line
//   node scripts/ensure-pulumi.js --print-bin  only the bin dir
//   node scripts/ensure-pulumi.js --no-path    ignore a `pulumi` on PATH
//   require("./scripts/ensure-pulumi").ensurePulumi() → {binDir, pulumiPath, version, source, root}
"use strict";

const childProcess = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const PULUMI_VERSION = "3.248.0";
const GO_MIN_VERSION = "1.25.11"; // pkg/v3 and sdk/v3 at v3.248.0 say `go 1.25.11`
const LANGUAGE_HOST = "pulumi-language-nodejs";
const SHIM = "pulumi-resource-pulumi-nodejs";

const repoRoot = path.resolve(__dirname, "..");
const moduleDir = path.join(__dirname, "pulumi-cli");
// Official release flags (goreleaser); the version stamp is required by the Automation API.
const goBuildFlags = [
  "-trimpath",
  "-tags",
  "osusergo,grpcnotrace",
  "-ldflags",
  `-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}`,
];

class EnsurePulumiError extends Error {}

function defaultCacheDir() {
  return (
    process.env.PULUMI_PANORAMA_CLI_CACHE ||
    path.join(os.homedir(), ".cache", "pulumi-panorama", `cli-v${PULUMI_VERSION}`)
  );
}

/**
 * Returns a directory holding `pulumi` v3.248.0+ together with the Node.js language host and the
 * dynamic-provider shim, building them into the cache when nothing usable exists.
 *
 * @param {object} [options]
 * @param {string} [options.cacheDir] @default $PULUMI_PANORAMA_CLI_CACHE or ~/.cache/pulumi-panorama/cli-v3.248.0
 * @param {boolean} [options.usePath] consider a `pulumi` on PATH. @default true
 * @param {(line: string) => void} [options.log] progress lines. @default writes to stderr
 * @returns {Promise<{binDir: string, pulumiPath: string, version: string, source: "path" | "cache" | "built", root: string}>}
 *   `root` satisfies `PulumiCommand.get({root})`, which runs `<root>/bin/pulumi`.
 */
async function ensurePulumi(options = {}) {
  const cacheDir = path.resolve(options.cacheDir || defaultCacheDir());
  const usePath = options.usePath !== false;
  const log = options.log || ((line) => process.stderr.write(`ensure-pulumi: ${line}\n`));

  if (usePath) {
    const found = fromPath(log, cacheDir);
    if (found) return found;
  }

  const binDir = path.join(cacheDir, "bin");
  const pulumiPath = path.join(binDir, "pulumi");
  const cached = versionOf(pulumiPath);
  const hostCurrent = languageHostIsCurrent(binDir);
  if (cached === PULUMI_VERSION && hostCurrent && isExecutable(path.join(binDir, SHIM))) {
    log(`using the cached Pulumi CLI v${cached} in ${binDir}`);
    return { binDir, pulumiPath, version: cached, source: "cache", root: cacheDir };
  }

  fs.mkdirSync(binDir, { recursive: true });
  const release = await acquireBuildLock(cacheDir, log);
  let built = false;
  try {
    // Another process may have finished the work while we waited for the lock.
    if (versionOf(pulumiPath) !== PULUMI_VERSION) {
      checkGo();
      log(
        `building the Pulumi CLI v${PULUMI_VERSION} from the Go module proxy into ${binDir}; ` +
          "a first build downloads ~260 MB of Go modules and compiles for about 5 minutes on 2 cores",
      );
      const seconds = await goBuild("github.com/pulumi/pulumi/pkg/v3/cmd/pulumi", pulumiPath, log);
      log(`built pulumi in ${seconds.toFixed(0)} s`);
      built = true;
    }
    if (!languageHostIsCurrent(binDir)) {
      checkGo();
      log(`building ${LANGUAGE_HOST} from scripts/pulumi-cli/language-nodejs`);
      const seconds = await goBuild("./language-nodejs", path.join(binDir, LANGUAGE_HOST), log);
      fs.writeFileSync(
        path.join(binDir, `.${LANGUAGE_HOST}.source`),
        languageHostSourceHash() + "\n",
      );
      log(`built ${LANGUAGE_HOST} in ${seconds.toFixed(0)} s`);
      built = true;
    }
    installShim(binDir, log);
  } finally {
    release();
  }

  const version = versionOf(pulumiPath);
  if (version !== PULUMI_VERSION) {
    throw new EnsurePulumiError(
      `${pulumiPath} was built but \`pulumi version\` prints ${version || "nothing"}`,
    );
  }
  return { binDir, pulumiPath, version, source: built ? "built" : "cache", root: cacheDir };
}

function fromPath(log, cacheDir) {
  const pulumiPath = which("pulumi");
  if (!pulumiPath) return undefined;
  const version = versionOf(pulumiPath);
  if (!version || compareVersions(version, PULUMI_VERSION) < 0) {
    log(`ignoring ${pulumiPath}: version ${version || "unknown"} is older than ${PULUMI_VERSION}`);
    return undefined;
  }
  // The engine finds bundled plugins beside the real path of `pulumi` or on PATH.
  const realBin = path.dirname(fs.realpathSync(pulumiPath));
  const missing = [LANGUAGE_HOST, SHIM].filter(
    (name) => !isExecutable(path.join(realBin, name)) && !which(name),
  );
  if (missing.length > 0) {
    log(
      `ignoring ${pulumiPath} v${version}: ${missing.join(" and ")} not found beside it or on PATH`,
    );
    return undefined;
  }
  log(`using ${pulumiPath} v${version} from PATH`);
  const binDir = path.dirname(pulumiPath);
  let root = path.dirname(binDir);
  if (path.basename(binDir) !== "bin") {
    // The release tarball has no bin/ directory; give PulumiCommand.get a <root>/bin/pulumi link.
    root = path.join(cacheDir, "path-cli");
    const link = path.join(root, "bin", "pulumi");
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.rmSync(link, { force: true });
    fs.symlinkSync(fs.realpathSync(pulumiPath), link);
  }
  return { binDir, pulumiPath, version, source: "path", root };
}

function languageHostSourceHash() {
  const hash = crypto.createHash("sha256");
  for (const file of ["language-nodejs/main.go", "go.mod", "go.sum"]) {
    hash.update(fs.readFileSync(path.join(moduleDir, file)));
  }
  return hash.digest("hex");
}

// The language host is ours, so a cached build is current only if it was built from this source.
function languageHostIsCurrent(binDir) {
  const host = path.join(binDir, LANGUAGE_HOST);
  if (!isExecutable(host)) return false;
  try {
    const stamp = fs.readFileSync(path.join(binDir, `.${LANGUAGE_HOST}.source`), "utf8").trim();
    return (
      stamp === languageHostSourceHash() && run(host, ["-version"]).trim() === `v${PULUMI_VERSION}`
    );
  } catch {
    return false;
  }
}

function installShim(binDir, log) {
  const target = path.join(binDir, SHIM);
  let source;
  try {
    source = path.join(
      path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] })),
      SHIM,
    );
  } catch {
    throw new EnsurePulumiError(
      `cannot find @pulumi/pulumi in ${repoRoot}/node_modules; run \`npm install\` first (the ${SHIM} shim ships in it)`,
    );
  }
  const wanted = fs.readFileSync(source);
  if (isExecutable(target) && fs.readFileSync(target).equals(wanted)) return;
  fs.writeFileSync(`${target}.tmp`, wanted, { mode: 0o755 });
  fs.renameSync(`${target}.tmp`, target);
  log(`installed ${SHIM} from ${source}`);
}

function checkGo() {
  let out;
  try {
    out = run("go", ["env", "GOVERSION"]).trim();
  } catch {
    throw new EnsurePulumiError(
      `no usable Pulumi CLI was found and Go is not installed, so it cannot be built. Install Go >= ${GO_MIN_VERSION} ` +
        `(with access to a Go module proxy), or put pulumi >= ${PULUMI_VERSION} and ${LANGUAGE_HOST} on PATH.`,
    );
  }
  const version = out.replace(/^go/, "");
  if (compareVersions(version, GO_MIN_VERSION) < 0) {
    throw new EnsurePulumiError(
      `Go ${version} is too old to build the Pulumi CLI; it needs Go >= ${GO_MIN_VERSION}`,
    );
  }
}

// Builds to a temporary name and renames, so an interrupted build never looks like a good one.
function goBuild(pkg, output, log) {
  const started = Date.now();
  const partial = `${output}.partial-${process.pid}`;
  const args = ["build", ...goBuildFlags, "-o", partial, pkg];
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn("go", args, {
      cwd: moduleDir,
      // A go.work above the checkout must not change what gets built.
      env: { ...process.env, GOWORK: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output_ = "";
    const collect = (chunk) => {
      output_ += chunk;
      if (output_.length > 200000) output_ = output_.slice(-100000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const ticker = setInterval(
      () =>
        log(
          `  still building ${path.basename(output)} (${Math.round((Date.now() - started) / 1000)} s)`,
        ),
      30000,
    );
    child.on("error", (err) => {
      clearInterval(ticker);
      reject(new EnsurePulumiError(`could not run go: ${err.message}`));
    });
    child.on("close", (code) => {
      clearInterval(ticker);
      if (code === 0) {
        fs.renameSync(partial, output);
        resolve((Date.now() - started) / 1000);
        return;
      }
      fs.rmSync(partial, { force: true });
      reject(new EnsurePulumiError(explainGoFailure(pkg, output_)));
    });
  });
}

function explainGoFailure(pkg, output) {
  const tail = output.trim().split("\n").slice(-15).join("\n");
  const proxy = safeRun("go", ["env", "GOPROXY"]).trim() || "the Go module proxy";
  if (
    /dial tcp|no such host|connection refused|i\/o timeout|TLS handshake|403 Forbidden|404 Not Found|proxyconnect/.test(
      output,
    )
  ) {
    return (
      `go build ${pkg} could not download Go modules from ${proxy}. The Pulumi CLI is built from Go modules ` +
      `because the official installer is unreachable; make the proxy reachable (or point GOPROXY at a mirror), ` +
      `or put pulumi >= ${PULUMI_VERSION} and ${LANGUAGE_HOST} on PATH.\n${tail}`
    );
  }
  return `go build ${pkg} failed:\n${tail}`;
}

// One build at a time per cache dir; a lock left by a dead process is taken over.
async function acquireBuildLock(cacheDir, log) {
  const lock = path.join(cacheDir, ".build.lock");
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      const release = () => fs.rmSync(lock, { force: true });
      process.once("exit", release);
      return () => {
        process.removeListener("exit", release);
        release();
      };
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
    }
    const owner = Number(safeRead(lock));
    if (!owner || !isAlive(owner)) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (!announced) {
      log(`waiting for the build already running in process ${owner} (${lock})`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function versionOf(pulumiPath) {
  if (!isExecutable(pulumiPath)) return undefined;
  try {
    const out = run(pulumiPath, ["version"], { PULUMI_SKIP_UPDATE_CHECK: "true" }).trim();
    const match = /^v?(\d+\.\d+\.\d+\S*)$/.exec(out);
    return match ? match[1] : undefined;
  } catch {
    return undefined;
  }
}

function compareVersions(a, b) {
  const pa = a.split(/[.+-]/).slice(0, 3).map(Number);
  const pb = b.split(/[.+-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) {
    if ((pa[i] || 0) !== (pb[i] || 0)) return (pa[i] || 0) - (pb[i] || 0);
  }
  return 0;
}

function which(name) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

function run(cmd, args, env) {
  return childProcess.execFileSync(cmd, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
    timeout: 60000,
  });
}

function safeRun(cmd, args) {
  try {
    return run(cmd, args);
  } catch {
    return "";
  }
}

function safeRead(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

module.exports = { ensurePulumi, EnsurePulumiError, PULUMI_VERSION, defaultCacheDir };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const quiet = argv.includes("--print-bin");
  ensurePulumi({ usePath: !argv.includes("--no-path"), log: quiet ? () => {} : undefined }).then(
    (result) => {
      if (!quiet) {
        process.stderr.write(`ensure-pulumi: pulumi v${result.version} (${result.source}) ready\n`);
      }
      process.stdout.write(`${result.binDir}\n`);
    },
    (err) => {
      process.stderr.write(
        `ensure-pulumi: ${err instanceof EnsurePulumiError ? err.message : err.stack}\n`,
      );
      process.exit(1);
    },
  );
}
