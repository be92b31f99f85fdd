// The `pulumi-panorama-emulator` command. Option parsing and the banner are tested in process;
// one spawned process per signal checks the real start-up output and the clean exit.
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { ListDevicesCommand, PanoramaClient } from "@aws-sdk/client-panorama";
import { packageVersion, startBanner, startFailure } from "../../emulator/cli";
import { parseCli, parseCliOptions } from "../../emulator/cliOptions";
import { startEmulator } from "../../emulator";

const ROOT = path.resolve(__dirname, "..", "..");

function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(ROOT, "emulator", "cli.ts"), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
    },
  );
  let text = "";
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => {
      text += chunk;
      if (/export AWS_REGION=.*\n/.test(text)) resolve(text);
    });
    child.on("exit", (code) => reject(new Error(`CLI exited early with ${code}: ${text}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, ready, exited };
}

describe("emulator: CLI", function () {
  // Spawned processes compile the emulator with ts-node first: slow on a loaded machine.
  this.timeout(120000);

  it("maps its flags onto emulator options", () => {
    const o = parseCliOptions([
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--access-key-id",
      "AKIDCLI",
      "--secret-access-key",
      "s",
      "--account-id",
      "111122223333",
      "--region",
      "eu-west-1",
      "--transition-mode",
      "manual",
      "--import-job-duration-ms",
      "250",
      "--quiet",
    ]);
    if (typeof o === "string") return assert.fail(`parsed as ${o}`);
    assert.strictEqual(o.port, 0);
    assert.deepStrictEqual(o.credentials, { accessKeyId: "AKIDCLI", secretAccessKey: "s" });
    assert.strictEqual(o.accountId, "111122223333");
    assert.strictEqual(o.region, "eu-west-1");
    assert.deepStrictEqual(o.timing!.importJob, { mode: "manual", durationMs: 250 });
    assert.deepStrictEqual(o.timing!.deployment, { mode: "manual" });
    assert.strictEqual(o.log, false);
    assert.strictEqual((parseCliOptions([]) as { port: number }).port, 4566);
    assert.strictEqual(parseCliOptions(["--help"]), "help");
    assert.strictEqual(parseCliOptions(["--version"]), "version");
  });

  it("takes the credentials from PANORAMA_EMULATOR_* variables when the flags are absent; a flag wins", () => {
    const env = {
      PANORAMA_EMULATOR_ACCESS_KEY_ID: "AKIDENV",
      PANORAMA_EMULATOR_SECRET_ACCESS_KEY: "env-secret",
    };
    const fromEnv = parseCli([], console.log, env);
    if (typeof fromEnv === "string") return assert.fail(`parsed as ${fromEnv}`);
    assert.deepStrictEqual(fromEnv.options.credentials, {
      accessKeyId: "AKIDENV",
      secretAccessKey: "env-secret",
    });
    assert.strictEqual(fromEnv.secretSource, "env");
    const fromFlag = parseCli(["--secret-access-key", "flag-secret"], console.log, env);
    if (typeof fromFlag === "string") return assert.fail(`parsed as ${fromFlag}`);
    assert.deepStrictEqual(fromFlag.options.credentials, {
      accessKeyId: "AKIDENV",
      secretAccessKey: "flag-secret",
    });
    assert.strictEqual(fromFlag.secretSource, "flag");
    const none = parseCli([], console.log, {});
    if (typeof none === "string") return assert.fail(`parsed as ${none}`);
    assert.strictEqual(none.options.credentials, undefined);
    assert.strictEqual(none.secretSource, "default");
  });

  it("--accept-any-key, or PANORAMA_EMULATOR_ACCEPT_ANY_KEY=1, accepts any access key id; the banner says so", async () => {
    const accepts = (argv: string[], env: Record<string, string> = {}) => {
      const parsed = parseCli(argv, console.log, env);
      if (typeof parsed === "string") return assert.fail(`parsed as ${parsed}`);
      return parsed.options.acceptAnyAccessKey;
    };
    assert.strictEqual(accepts([]), false);
    assert.strictEqual(accepts(["--accept-any-key"]), true);
    assert.strictEqual(accepts([], { PANORAMA_EMULATOR_ACCEPT_ANY_KEY: "1" }), true);
    assert.strictEqual(accepts([], { PANORAMA_EMULATOR_ACCEPT_ANY_KEY: "false" }), false);
    assert.throws(
      () => parseCli([], console.log, { PANORAMA_EMULATOR_ACCEPT_ANY_KEY: "yes" }),
      /PANORAMA_EMULATOR_ACCEPT_ANY_KEY must be 1, true, 0 or false, got "yes"/,
    );
    const emu = await startEmulator({ port: 0, acceptAnyAccessKey: true });
    try {
      assert.match(
        startBanner(emu).join("\n"),
        /Any access key id is accepted too \(e\.g\. test\/test\)/,
      );
    } finally {
      await emu.stop();
    }
    const strict = await startEmulator({ port: 0 });
    try {
      assert.doesNotMatch(startBanner(strict).join("\n"), /Any access key id/);
    } finally {
      await strict.stop();
    }
  });

  it("a port in use names the --port flag, and LocalStack for 4566", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const failure = await startEmulator({ port }).then(
        () => assert.fail("started on a port in use"),
        (e) => e,
      );
      const message = startFailure(failure, port);
      assert.match(
        message,
        new RegExp(`EADDRINUSE.*127\\.0\\.0\\.1:${port}: port ${port} is in use\\. `),
      );
      assert.match(
        message,
        /Start the emulator on another port with --port <n>, or --port 0 for a free one/,
      );
      assert.doesNotMatch(message, /LocalStack/);
      assert.match(
        startFailure(failure, 4566),
        /4566 is LocalStack's port too: is LocalStack running\?/,
      );
      assert.strictEqual(startFailure(new Error("other"), port), "other");

      const cli = startCli(["--port", String(port), "--quiet"]);
      let err = "";
      cli.child.stderr!.on("data", (c) => (err += c));
      assert.strictEqual(await cli.exited, 2);
      assert.match(
        err,
        new RegExp(
          `pulumi-panorama-emulator: listen EADDRINUSE.*port ${port} is in use.*--port <n>`,
        ),
      );
    } finally {
      taken.close();
    }
  });

  it("refuses bad flags with a message naming them", () => {
    assert.throws(
      () => parseCliOptions(["--port", "abc"]),
      /--port must be a non-negative integer, got "abc"/,
    );
    assert.throws(
      () => parseCliOptions(["--transition-mode", "slow"]),
      /--transition-mode must be one of immediate, timed, manual/,
    );
    assert.throws(
      () => parseCliOptions(["--deployment-duration-ms=-5"]),
      /--deployment-duration-ms must be a non-negative integer/,
    );
    assert.throws(
      () => parseCliOptions(["--colour", "red"]),
      /^Error: unknown flag --colour; see --help for the flags$/,
    );
    assert.throws(
      () => parseCliOptions(["serve"]),
      /^Error: unexpected argument serve; the emulator takes only flags, see --help$/,
    );
    assert.throws(() => parseCliOptions(["--port"]), /--port.*see --help/);
  });

  it("prints the URL and the AWS_* variables to export", async () => {
    const emu = await startEmulator({ port: 0 });
    try {
      const banner = startBanner(emu).join("\n");
      assert.ok(banner.includes(`export AWS_ENDPOINT_URL_PANORAMA=${emu.url}`));
      assert.ok(banner.includes(`export AWS_ENDPOINT_URL_S3=${emu.url}`));
      assert.ok(!/AWS_ENDPOINT_URL=/.test(banner), "never the global endpoint variable");
      assert.ok(banner.includes("export AWS_ACCESS_KEY_ID=AKIDEMULATOR"));
      assert.ok(banner.includes("export AWS_SECRET_ACCESS_KEY=emulator-secret"));
      assert.ok(banner.includes("export AWS_REGION=us-east-1"));
      assert.match(banner, /Control API \/_emulator\/: loopback clients only/);
    } finally {
      await emu.stop();
    }
  });

  it("never prints a secret the user chose: it names where it came from instead", async () => {
    const secret = "my-chosen-secret-value";
    const emu = await startEmulator({
      port: 0,
      credentials: { accessKeyId: "AKIDMINE", secretAccessKey: secret },
      controlToken: "a-control-token-0123456789",
    });
    try {
      const fromEnv = startBanner(emu, "env").join("\n");
      assert.ok(
        fromEnv.includes('export AWS_SECRET_ACCESS_KEY="$PANORAMA_EMULATOR_SECRET_ACCESS_KEY"'),
        fromEnv,
      );
      const fromFlag = startBanner(emu, "flag").join("\n");
      assert.ok(
        fromFlag.includes("export AWS_SECRET_ACCESS_KEY=<the --secret-access-key you chose>"),
        fromFlag,
      );
      for (const banner of [fromEnv, fromFlag]) {
        assert.ok(!banner.includes(secret));
        assert.ok(!banner.includes("a-control-token-0123456789"));
        assert.match(banner, /requires the bearer token from PANORAMA_EMULATOR_CONTROL_TOKEN/);
      }
    } finally {
      await emu.stop();
    }
  });

  it("--version prints the package's version", async () => {
    const cli = startCli(["--version"]);
    let out = "";
    cli.child.stdout!.on("data", (c) => (out += c));
    assert.strictEqual(await cli.exited, 0);
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
    assert.strictEqual(out, `${version}\n`);
    assert.strictEqual(packageVersion(), version);
  });

  it("as a process: serves SDK clients with the printed settings and exits 0 on SIGTERM and on SIGINT", async () => {
    const args = ["--port", "0", "--access-key-id", "AKIDCLI", "--region", "eu-west-1", "--quiet"];
    const byTerm = startCli(args, { PANORAMA_EMULATOR_SECRET_ACCESS_KEY: "cli-secret" });
    const byInt = startCli(["--port", "0", "--quiet"]);
    const text = await byTerm.ready;
    assert.ok(!text.includes("cli-secret"), "the chosen secret is not printed");
    const env = Object.fromEntries(
      [...text.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]),
    );
    assert.strictEqual(env.AWS_SECRET_ACCESS_KEY, '"$PANORAMA_EMULATOR_SECRET_ACCESS_KEY"');
    assert.match(env.AWS_ENDPOINT_URL_PANORAMA, /^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new PanoramaClient({
      endpoint: env.AWS_ENDPOINT_URL_PANORAMA,
      region: env.AWS_REGION,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: "cli-secret" },
    });
    assert.strictEqual((await client.send(new ListDevicesCommand({}))).Devices!.length, 1);
    client.destroy();
    byTerm.child.kill("SIGTERM");
    assert.strictEqual(await byTerm.exited, 0);
    await byInt.ready;
    byInt.child.kill("SIGINT");
    assert.strictEqual(await byInt.exited, 0);
  });
});
