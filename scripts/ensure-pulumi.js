#!/usr/bin/env node
// Finds or builds the Pulumi CLI this project tests against, with the two "bundled" plugins the
// engine needs to run Node.js programs offline: the language host `pulumi-language-nodejs` and
// the dynamic-provider shim `pulumi-resource-pulumi-nodejs`; on request also the Pulumi YAML
// language host `pulumi-language-yaml` (v1.25.0), built beside `pulumi`.
//
// Order: a `pulumi` on PATH (>= 3.248.0, with the language hosts asked for beside it); else the
// cache ($PULUMI_PANORAMA_CLI_CACHE or ~/.cache/pulumi-panorama/cli-v3.248.0/bin); else build into
// the cache with Go and the Go module proxy, because the official installer is not reachable from
// our machines (see reference/pulumi-dynamic-providers.md §4.2). The CLI and the YAML host share
// no module versions, so they are built side by side.
//
// Plain Node and no dependencies, so it runs before `npm run build`.
//   node scripts/ensure-pulumi.js              progress on stderr, the bin dir as the last stdout line
//   node scripts/ensure-pulumi.js --print-bin  only the bin dir
//   node scripts/ensure-pulumi.js --with yaml  also the Pulumi YAML language host
//   node scripts/ensure-pulumi.js --no-path    ignore a `pulumi` on PATH
//   require("./scripts/ensure-pulumi").ensurePulumi() → {binDir, pulumiPath, version, source, root}
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const {
  ToolBuildError,
  compareVersions,
  ensureGoTool,
  isExecutable,
  run,
  which,
} = require("./go-tools");
const hosts = require("./language-hosts");

const { PULUMI_VERSION, CLI_LDFLAGS, OPTIONAL_HOSTS } = hosts;
const SHIM = "pulumi-resource-pulumi-nodejs";
const repoRoot = path.resolve(__dirname, "..");
const EnsurePulumiError = ToolBuildError;

function defaultCacheDir() {
  return (
    process.env.PULUMI_PANORAMA_CLI_CACHE ||
    path.join(os.homedir(), ".cache", "pulumi-panorama", `cli-v${PULUMI_VERSION}`)
  );
}

/**
 * Returns a directory holding `pulumi` v3.248.0+ together with the Node.js language host, the
 * dynamic-provider shim and the language hosts asked for, building into the cache what is missing.
 *
 * @param {object} [options]
 * @param {string} [options.cacheDir] @default $PULUMI_PANORAMA_CLI_CACHE or ~/.cache/pulumi-panorama/cli-v3.248.0
 * @param {boolean} [options.usePath] consider a `pulumi` on PATH. @default true
 * @param {string[]} [options.languages] more language hosts beside `pulumi`: "yaml". @default []
 * @param {(line: string) => void} [options.log] progress lines. @default writes to stderr
 * @returns {Promise<{binDir: string, pulumiPath: string, version: string, source: "path" | "cache" | "built", root: string, languageHosts: Record<string, string>}>}
 *   `root` satisfies `PulumiCommand.get({root})`, which runs `<root>/bin/pulumi`.
 */
async function ensurePulumi(options = {}) {
  const cacheDir = path.resolve(options.cacheDir || defaultCacheDir());
  const languages = [...new Set(options.languages || [])];
  const log = options.log || ((line) => process.stderr.write(`ensure-pulumi: ${line}\n`));
  const unknown = languages.filter((language) => !OPTIONAL_HOSTS[language]);
  if (unknown.length > 0) {
    throw new EnsurePulumiError(
      `no language host for ${unknown.join(", ")}; available: ${Object.keys(OPTIONAL_HOSTS).join(", ")}`,
    );
  }

  if (options.usePath !== false) {
    const found = await fromPath(log, cacheDir, languages);
    if (found) return found;
  }

  const binDir = path.join(cacheDir, "bin");
  const pulumiPath = path.join(binDir, "pulumi");
  const cli = {
    name: "pulumi",
    pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    cwd: path.join(__dirname, "pulumi-cli"),
    ldflags: CLI_LDFLAGS,
    isCurrent: () => versionOf(pulumiPath) === PULUMI_VERSION,
    about:
      "a first build downloads ~260 MB of Go modules and compiles for about 5 minutes on 2 cores",
    alternative: `put pulumi >= ${PULUMI_VERSION} and pulumi-language-nodejs on PATH`,
  };
  const optional = languages.map((language) => OPTIONAL_HOSTS[language](binDir));
  const builds = await Promise.allSettled([
    (async () => {
      const results = [await ensureGoTool(binDir, cli, log)];
      // Built in the CLI's module, so after it: it reuses the CLI's compiled packages.
      results.push(await ensureGoTool(binDir, hosts.nodejsHost(binDir), log));
      installShim(binDir, log);
      return results;
    })(),
    ...optional.map((tool) => ensureGoTool(binDir, tool, log)),
  ]);
  const failed = builds.find((b) => b.status === "rejected");
  if (failed) throw failed.reason;

  const version = versionOf(pulumiPath);
  if (version !== PULUMI_VERSION) {
    throw new EnsurePulumiError(
      `${pulumiPath} was built but \`pulumi version\` prints ${version || "nothing"}`,
    );
  }
  const built = builds.flatMap((b) => b.value).some((result) => result.built);
  const languageHosts = Object.fromEntries(
    languages.map((language, i) => [language, path.join(binDir, optional[i].name)]),
  );
  return {
    binDir,
    pulumiPath,
    version,
    source: built ? "built" : "cache",
    root: cacheDir,
    languageHosts,
  };
}

async function fromPath(log, cacheDir, languages) {
  const pulumiPath = which("pulumi");
  if (!pulumiPath) return undefined;
  const version = versionOf(pulumiPath);
  if (!version || compareVersions(version, PULUMI_VERSION) < 0) {
    log(`ignoring ${pulumiPath}: version ${version || "unknown"} is older than ${PULUMI_VERSION}`);
    return undefined;
  }
  // The engine finds bundled plugins beside the real path of `pulumi` or on PATH.
  const realBin = path.dirname(fs.realpathSync(pulumiPath));
  const missing = ["pulumi-language-nodejs", SHIM].filter(
    (name) => !isExecutable(path.join(realBin, name)) && !which(name),
  );
  if (missing.length > 0) {
    log(
      `ignoring ${pulumiPath} v${version}: ${missing.join(" and ")} not found beside it or on PATH`,
    );
    return undefined;
  }
  const languageHosts = {};
  for (const language of languages) {
    // Only beside it: from PATH the CLI would warn on every run.
    const host = OPTIONAL_HOSTS[language](realBin);
    const hostPath = path.join(realBin, host.name);
    const hostVersion = isExecutable(hostPath)
      ? await hosts.reportedVersion(hostPath).catch(() => undefined)
      : undefined;
    if (!hostVersion || compareVersions(hostVersion, host.version) < 0) {
      log(
        `ignoring ${pulumiPath} v${version}: ${hostPath} ` +
          (hostVersion
            ? `is v${hostVersion}, older than ${host.version}`
            : "is missing or does not answer"),
      );
      return undefined;
    }
    languageHosts[language] = hostPath;
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
  return { binDir, pulumiPath, version, source: "path", root, languageHosts };
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

module.exports = { ensurePulumi, EnsurePulumiError, PULUMI_VERSION, defaultCacheDir };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const quiet = argv.includes("--print-bin");
  const withIndex = argv.indexOf("--with");
  const languages = withIndex >= 0 ? (argv[withIndex + 1] || "").split(",").filter(Boolean) : [];
  ensurePulumi({
    usePath: !argv.includes("--no-path"),
    languages,
    log: quiet ? () => {} : undefined,
  }).then(
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
