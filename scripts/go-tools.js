// Builds this project's Go tools (the Pulumi CLI, the language hosts, pulumi-sdkgen) into one cache
// directory, the same way for each: the Go check, one build lock per tool across processes, builds
// that never leave a partial binary under the final name, and source stamps that tell a current
// build from a stale one.
//
// Plain Node and no dependencies, so it runs before `npm run build`.
"use strict";

const childProcess = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const GO_MIN_VERSION = "1.25.11"; // pkg/v3 and sdk/v3 at v3.248.0 say `go 1.25.11`

// The release flags (goreleaser). Every tool is built with the same ones, so compiled packages are
// shared through the Go build cache: on the CLI's cache pulumi-sdkgen builds in ~20 s, not minutes.
const GO_BUILD_FLAGS = ["-trimpath", "-tags", "osusergo,grpcnotrace"];

class ToolBuildError extends Error {}

/**
 * A tool's stamp: what it is built from. `sources` are files whose content counts; `identity` names
 * a build from the module proxy (`pkg@version`).
 */
function stampOf({ sources = [], identity }) {
  const hash = crypto.createHash("sha256");
  for (const file of sources) hash.update(fs.readFileSync(file));
  if (identity) hash.update(identity);
  return hash.digest("hex");
}

function stampFile(binDir, name) {
  return path.join(binDir, `.${name}.source`);
}

/** True when `<binDir>/<name>` exists and was built from what `stamp` describes. */
function isBuiltFrom(binDir, name, stamp) {
  return (
    isExecutable(path.join(binDir, name)) && safeRead(stampFile(binDir, name)).trim() === stamp
  );
}

/**
 * Returns `<binDir>/<name>`, building it when `tool.isCurrent()` says the binary there is missing or
 * stale. A stamp is written after the binary is in place, so an interrupted build is redone.
 *
 * @param {object} tool
 * @param {string} tool.name  the binary's name
 * @param {string} tool.pkg   a package of the module in `cwd`, or `module/path/cmd@version`
 * @param {string} [tool.cwd] the Go module to build in (not used for `pkg@version`)
 * @param {() => boolean} tool.isCurrent  e.g. `() => isBuiltFrom(binDir, name, stamp)`
 * @param {string} [tool.stamp] written to the stamp file after a build
 * @param {string} [tool.ldflags] @default "-w -s"
 * @param {string} tool.about what a first build costs, for the log
 * @param {string} tool.alternative what to do instead of building, for errors
 */
async function ensureGoTool(binDir, tool, log) {
  const output = path.join(binDir, tool.name);
  if (tool.isCurrent()) return { path: output, built: false };
  fs.mkdirSync(binDir, { recursive: true });
  return withBuildLock(path.dirname(binDir), tool.name, log, async () => {
    // Another process may have finished the work while we waited for the lock.
    if (tool.isCurrent()) return { path: output, built: false };
    checkGo(tool.name, tool.alternative);
    log(`building ${tool.name} into ${binDir}; ${tool.about}`);
    const seconds = await goBuild(tool, output, log);
    if (tool.stamp) fs.writeFileSync(stampFile(binDir, tool.name), tool.stamp + "\n");
    log(`built ${tool.name} in ${seconds.toFixed(0)} s`);
    return { path: output, built: true, seconds };
  });
}

function checkGo(what, alternative) {
  let out;
  try {
    out = run("go", ["env", "GOVERSION"]).trim();
  } catch {
    throw new ToolBuildError(
      `${what} is not built and Go is not installed, so it cannot be built. Install Go >= ${GO_MIN_VERSION} ` +
        `(with access to a Go module proxy), or ${alternative}.`,
    );
  }
  const version = out.replace(/^go/, "");
  if (compareVersions(version, GO_MIN_VERSION) < 0) {
    throw new ToolBuildError(
      `Go ${version} is too old to build ${what}; it needs Go >= ${GO_MIN_VERSION}`,
    );
  }
}

// `go build -o` a temporary name and rename, so an interrupted build never looks like a good one.
// A `pkg@version` is built on its own go.mod by `go install` into a private GOBIN.
function goBuild(tool, output, log) {
  const started = Date.now();
  const partial = `${output}.partial-${process.pid}`;
  const flags = [...GO_BUILD_FLAGS, "-ldflags", tool.ldflags || "-w -s"];
  const fromProxy = tool.pkg.includes("@");
  const args = fromProxy
    ? ["install", ...flags, tool.pkg]
    : ["build", ...flags, "-o", partial, tool.pkg];
  // A go.work above the checkout must not change what gets built.
  const env = { ...process.env, GOWORK: "off", ...(fromProxy ? { GOBIN: partial } : {}) };
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn("go", args, {
      cwd: fromProxy ? undefined : tool.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let outputText = "";
    const collect = (chunk) => {
      outputText += chunk;
      if (outputText.length > 200000) outputText = outputText.slice(-100000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const ticker = setInterval(
      () => log(`  still building ${tool.name} (${Math.round((Date.now() - started) / 1000)} s)`),
      30000,
    );
    child.on("error", (err) => {
      clearInterval(ticker);
      reject(new ToolBuildError(`could not run go: ${err.message}`));
    });
    child.on("close", (code) => {
      clearInterval(ticker);
      if (code === 0) {
        fs.renameSync(
          fromProxy ? path.join(partial, path.basename(tool.pkg.split("@")[0])) : partial,
          output,
        );
        fs.rmSync(partial, { recursive: true, force: true });
        resolve((Date.now() - started) / 1000);
        return;
      }
      fs.rmSync(partial, { recursive: true, force: true });
      reject(
        new ToolBuildError(
          explainGoFailure(`go ${args[0]} ${tool.pkg}`, outputText, tool.alternative),
        ),
      );
    });
  });
}

function explainGoFailure(command, output, alternative) {
  const tail = output.trim().split("\n").slice(-15).join("\n");
  const proxy = safeRun("go", ["env", "GOPROXY"]).trim() || "the Go module proxy";
  if (
    /dial tcp|no such host|connection refused|i\/o timeout|TLS handshake|403 Forbidden|404 Not Found|proxyconnect/.test(
      output,
    )
  ) {
    return (
      `${command} could not download Go modules from ${proxy}. Make the proxy reachable (or point GOPROXY ` +
      `at a mirror), or ${alternative}.\n${tail}`
    );
  }
  return `${command} failed:\n${tail}`;
}

/**
 * Runs `fn` holding `<cacheDir>/.<name>.build.lock`: one build of a tool at a time across
 * processes (parallel test runs); a lock left by a dead process is taken over.
 */
async function withBuildLock(cacheDir, name, log, fn) {
  const lock = path.join(cacheDir, `.${name}.build.lock`);
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
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
  const release = () => fs.rmSync(lock, { force: true });
  process.once("exit", release);
  try {
    return await fn();
  } finally {
    process.removeListener("exit", release);
    release();
  }
}

function compareVersions(a, b) {
  const pa = a.replace(/^v/, "").split(/[.+-]/).slice(0, 3).map(Number);
  const pb = b.replace(/^v/, "").split(/[.+-]/).slice(0, 3).map(Number);
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

module.exports = {
  GO_BUILD_FLAGS,
  ToolBuildError,
  compareVersions,
  ensureGoTool,
  isBuiltFrom,
  isExecutable,
  run,
  stampOf,
  which,
  withBuildLock,
};
