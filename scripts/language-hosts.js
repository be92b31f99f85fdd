// The language hosts the Pulumi CLI starts to run programs, as Go tools for go-tools.js: the
// Node.js host of our own (scripts/pulumi-cli/language-nodejs) and the official Pulumi YAML host
// from the Go module proxy. Both live beside `pulumi`, where the CLI looks for bundled plugins
// first, so it finds them without PATH and prints no "using … from $PATH" warning.
"use strict";

const childProcess = require("child_process");
const path = require("path");
const { isBuiltFrom, run, stampOf } = require("./go-tools");

const PULUMI_VERSION = "3.248.0";
const YAML_VERSION = "1.25.0";
const cliModuleDir = path.join(__dirname, "pulumi-cli");
const repoRoot = path.resolve(__dirname, "..");

// The official release flags and the version stamp the Automation API needs.
const CLI_LDFLAGS = `-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}`;

const nodejsHost = (binDir) => {
  const name = "pulumi-language-nodejs";
  const stamp = stampOf({
    sources: ["language-nodejs/main.go", "go.mod", "go.sum"].map((f) => path.join(cliModuleDir, f)),
  });
  return {
    name,
    pkg: "./language-nodejs",
    cwd: cliModuleDir,
    ldflags: CLI_LDFLAGS,
    stamp,
    // Ours, so current only if built from this source.
    isCurrent: () =>
      isBuiltFrom(binDir, name, stamp) &&
      versionFlag(path.join(binDir, name)) === `v${PULUMI_VERSION}`,
    about: "about 15 s once the CLI is built (it reuses its compiled packages)",
    alternative: `put pulumi >= ${PULUMI_VERSION} and ${name} on PATH`,
  };
};

const yamlHost = (binDir) => {
  const name = "pulumi-language-yaml";
  // On its own go.mod (pkg/sdk v3.206): it does not compile against pkg v3.248.
  const pkg = `github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v${YAML_VERSION}`;
  const stamp = stampOf({ identity: pkg });
  return {
    name,
    version: YAML_VERSION,
    pkg,
    ldflags: `-w -s -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v${YAML_VERSION}`,
    stamp,
    isCurrent: () => isBuiltFrom(binDir, name, stamp),
    about:
      "a first build downloads ~95 MB of Go modules (~70 MB beyond the CLI's) and compiles for about 4 CPU-minutes (6.5 min alone on a busy 2-core machine)",
    alternative: `install the official Pulumi CLI, whose ${name} (>= ${YAML_VERSION}) sits beside pulumi`,
  };
};

function versionFlag(host) {
  try {
    return run(host, ["-version"]).trim();
  } catch {
    return undefined;
  }
}

/** Language hosts built on request (`ensurePulumi({ languages })`); Node.js is always there. */
const OPTIONAL_HOSTS = { yaml: yamlHost };

/**
 * The version a language host reports through its own GetPluginInfo (e.g. "v1.25.0"), for hosts
 * we did not build: they have no --version flag.
 */
async function reportedVersion(hostPath) {
  const resolve = (id) => require.resolve(id, { paths: [repoRoot] });
  const grpc = require(resolve("@grpc/grpc-js"));
  const { LanguageRuntimeClient } = require(resolve("@pulumi/pulumi/proto/language_grpc_pb"));
  const { Empty } = require(resolve("google-protobuf/google/protobuf/empty_pb"));
  const child = childProcess.spawn(hostPath, [], { stdio: ["ignore", "pipe", "ignore"] });
  try {
    const port = await new Promise((resolvePort, reject) => {
      let out = "";
      child.stdout.on("data", (chunk) => {
        out += chunk;
        if (out.includes("\n")) resolvePort(out.trim());
      });
      child.on("error", reject);
      child.on("close", (code) => reject(new Error(`${hostPath} exited (${code}) before serving`)));
    });
    const client = new LanguageRuntimeClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    try {
      return await new Promise((resolveVersion, reject) =>
        client.getPluginInfo(new Empty(), { deadline: Date.now() + 10000 }, (err, info) =>
          err ? reject(err) : resolveVersion(info.getVersion()),
        ),
      );
    } finally {
      client.close();
    }
  } finally {
    child.kill();
  }
}

module.exports = {
  CLI_LDFLAGS,
  OPTIONAL_HOSTS,
  PULUMI_VERSION,
  YAML_VERSION,
  nodejsHost,
  reportedVersion,
  yamlHost,
};
