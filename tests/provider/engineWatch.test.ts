// The provider plugin's watch on the engine, in a real child process standing in for the plugin
// (its main module at …/cmd/dynamic-provider/index.js, the engine's address as its first argument):
// it lives while the address accepts connections and exits once they are refused. The real engine
// case (kill -9 of `pulumi up`) is in tests/reliability/engineLoss.test.ts.
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { parseAddress, watchEngine } from "../../provider/lifecycle/engineWatch";

describe("engineWatch", function () {
  this.timeout(30_000);

  it("reads the engine address as the engine passes it, and nothing else", () => {
    assert.deepStrictEqual(parseAddress("127.0.0.1:40819"), { host: "127.0.0.1", port: 40819 });
    assert.deepStrictEqual(parseAddress("[::1]:5000"), { host: "::1", port: 5000 });
    for (const text of [
      undefined,
      "",
      "tests/provider/x.test.ts",
      "127.0.0.1",
      "host:0",
      "host:70000",
    ])
      assert.strictEqual(parseAddress(text), undefined, String(text));
  });

  it("does nothing outside the dynamic-provider plugin (programs, tests)", async () => {
    // Port 1 refuses connections: a watch started here would end this process within 2 s.
    watchEngine(["node", "mocha", "127.0.0.1:1"], "/x/node_modules/mocha/bin/mocha.js");
    await new Promise((r) => setTimeout(r, 2500));
  });

  it("a plugin process stays while the engine's address answers and exits within seconds once it is refused", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-watch-"));
    const main = path.join(dir, "cmd", "dynamic-provider", "index.js");
    fs.mkdirSync(path.dirname(main), { recursive: true });
    // Stays alive like the plugin's gRPC server would, until the watch ends it.
    fs.writeFileSync(
      main,
      `require(${JSON.stringify(require.resolve("../../provider/lifecycle/engineWatch"))}).watchEngine();\nsetInterval(() => {}, 1000);\n`,
    );
    const engine = net.createServer((socket) => socket.destroy());
    await new Promise<void>((r) => engine.listen(0, "127.0.0.1", r));
    const port = (engine.address() as net.AddressInfo).port;
    const plugin = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", main, `127.0.0.1:${port}`],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    plugin.stderr!.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => plugin.on("exit", (code) => r(code)));
    try {
      const early = await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r("alive"), 3500)),
      ]);
      assert.strictEqual(early, "alive", `exited while the engine answered: ${stderr}`);
      await new Promise<void>((r) => engine.close(() => r()));
      const closedAt = Date.now();
      const code = await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r("still alive"), 8000)),
      ]);
      assert.strictEqual(code, 1, stderr);
      assert.ok(Date.now() - closedAt < 5000, `took ${Date.now() - closedAt} ms`);
      assert.match(
        stderr,
        new RegExp(
          `the Pulumi engine at 127\\.0\\.0\\.1:${port} is gone; this provider process stops its waits and exits`,
        ),
      );
    } finally {
      plugin.kill("SIGKILL");
      engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
