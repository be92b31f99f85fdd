// The emulator against clients that misbehave: slow or stalled senders, bodies declared larger than
// the limit, odd content types, names every JS object inherits, and where it listens.
import * as assert from "assert";
import * as net from "net";
import * as os from "os";
import {
  CreatePackageImportJobCommand,
  DescribePackageImportJobCommand,
} from "@aws-sdk/client-panorama";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { startEmulator } from "../../emulator";
import {
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import { raw } from "../support/signedRequests";

/** Writes `text` on a raw connection and collects what comes back until the server closes it. */
function rawExchange(
  port: number,
  host: string,
  text: string,
): Promise<{ response: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let response = "";
    const socket = net.connect(port, host, () => socket.write(text));
    socket.on("data", (d) => (response += d));
    socket.on("error", reject);
    socket.on("close", () => resolve({ response, closedAfterMs: Date.now() - started }));
  });
}

describe("emulator robustness", function () {
  this.timeout(20_000);
  let ctx: EmulatorFixture;
  before(
    async () =>
      (ctx = await startTestEmulator({ serverTimeouts: { headersMs: 300, requestMs: 600 } })),
  );
  after(() => stopTestEmulator(ctx));

  it("a client that never finishes its headers is cut off with 408, while other clients are served", async () => {
    const stalled = rawExchange(ctx.emu.port, "127.0.0.1", "GET /packages HTTP/1.1\r\nHost: x\r\n");
    const served = await raw(ctx.emu, { method: "GET", path: "/packages", service: "panorama" });
    assert.strictEqual(served.status, 200, "no head-of-line blocking");
    const { response, closedAfterMs } = await stalled;
    assert.match(response, /^HTTP\/1\.1 408 /);
    assert.ok(closedAfterMs < 3000, `closed after ${closedAfterMs} ms`);
  });

  it("a client that stalls in the middle of its body is cut off with 408 after the request timeout", async () => {
    const { response, closedAfterMs } = await rawExchange(
      ctx.emu.port,
      "127.0.0.1",
      "PUT /bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part",
    );
    assert.match(response, /^HTTP\/1\.1 408 /);
    assert.ok(closedAfterMs < 3000, `closed after ${closedAfterMs} ms`);
  });

  it("a body declared larger than the limit is refused at once with 413, before it is sent", async () => {
    const emu = await startEmulator({ port: 0, maxBodyBytes: { panorama: 1024 } });
    try {
      const head = `POST /packages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n{`;
      const { response, closedAfterMs } = await rawExchange(emu.port, "127.0.0.1", head);
      assert.match(response, /^HTTP\/1\.1 413 /);
      assert.match(response, /x-amzn-errortype: RequestEntityTooLargeException/i);
      assert.ok(
        closedAfterMs < 1000,
        `answered and closed after ${closedAfterMs} ms, without waiting for the body`,
      );
    } finally {
      await emu.stop();
    }
  });

  it("the content type does not change how a Panorama body is read", async () => {
    const body = JSON.stringify({ PackageName: "typed" });
    for (const contentType of [
      "application/json",
      "application/x-amz-json-1.1",
      "text/plain",
      "application/x-www-form-urlencoded",
      undefined,
    ]) {
      ctx.emu.control.reset();
      const res = await raw(ctx.emu, {
        method: "POST",
        path: "/packages",
        body,
        service: "panorama",
        headers: contentType ? { "content-type": contentType } : {},
      });
      assert.strictEqual(res.status, 200, `${contentType}: ${res.text}`);
    }
  });

  it("ids, client tokens, buckets and keys named like Object members are ordinary names", async () => {
    ctx.emu.control.reset();
    await rejects(
      ctx.panorama.send(new DescribePackageImportJobCommand({ JobId: "constructor" })),
      "ResourceNotFoundException",
    );
    const input = {
      JobType: "NODE_PACKAGE_VERSION" as const,
      InputConfig: {
        PackageVersionInputConfig: { S3Location: { BucketName: "b", ObjectKey: "k" } },
      },
      OutputConfig: { PackageVersionOutputConfig: { PackageName: "p", PackageVersion: "1.0" } },
    };
    const { JobId } = await ctx.panorama.send(
      new CreatePackageImportJobCommand({ ...input, ClientToken: "constructor" }),
    );
    assert.match(JobId!, /^packageImportJob-/);
    assert.strictEqual(
      (
        await ctx.panorama.send(
          new CreatePackageImportJobCommand({ ...input, ClientToken: "constructor" }),
        )
      ).JobId,
      JobId,
    );
    await ctx.s3.send(new CreateBucketCommand({ Bucket: "constructor" }));
    await rejects(
      ctx.s3.send(new GetObjectCommand({ Bucket: "constructor", Key: "toString" })),
      "NoSuchKey",
    );
    await ctx.s3.send(
      new PutObjectCommand({ Bucket: "constructor", Key: "__proto__", Body: "kept" }),
    );
    const got = await ctx.s3.send(
      new GetObjectCommand({ Bucket: "constructor", Key: "__proto__" }),
    );
    assert.strictEqual(await got.Body!.transformToString(), "kept");
    const res = await raw(ctx.emu, {
      method: "GET",
      path: "/packages",
      query: { valueOf: "1", ["__proto__"]: "x" },
      service: "panorama",
    });
    assert.strictEqual(res.status, 200, res.text);
  });

  it("listens on loopback only unless told otherwise", async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
    const listening = (port: number) =>
      new Promise<boolean>((resolve) => {
        const s = net.connect(port, external ?? "127.0.0.2", () => (s.destroy(), resolve(true)));
        s.on("error", () => resolve(false));
      });
    assert.match(ctx.emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.strictEqual(
      await listening(ctx.emu.port),
      false,
      `reachable on ${external ?? "127.0.0.2"}`,
    );

    const everywhere = await startEmulator({ port: 0, host: "0.0.0.0" });
    try {
      assert.strictEqual(
        await listening(everywhere.port),
        true,
        "host 0.0.0.0 listens on every interface",
      );
      if (external) {
        // The control API still only answers loopback clients.
        const res = await fetch(`http://${external}:${everywhere.port}/_emulator/state`);
        assert.strictEqual(res.status, 403);
      }
    } finally {
      await everywhere.stop();
    }
  });
});
