// The /_emulator/ control API over HTTP (as other processes use it), request counts, and the
// request-hook seam for faults.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { operations } from "../../model/panoramaModel";
import { CreatePackageCommand, ListPackagesCommand } from "@aws-sdk/client-panorama";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import {
  controlRequest,
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import { raw } from "../support/signedRequests";
import { createImportJob, nodePackageManifest, upload } from "../support/packageFixtures";
import type { HookDecision } from "../../emulator";

describe("emulator: control API", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));
  beforeEach(() => ctx.emu.control.reset());

  const control = (method: string, path: string, body?: unknown) =>
    controlRequest(ctx.emu, method, path, body);

  it("health answers ok, the version and each service's operations (every Panorama operation of the model)", async () => {
    const res = await control("GET", "health");
    assert.strictEqual(res.status, 200);
    const version = JSON.parse(
      fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"),
    ).version;
    assert.strictEqual(res.body.ok, true);
    assert.strictEqual(res.body.version, version);
    assert.deepStrictEqual(Object.keys(res.body.services), ["panorama", "s3"]);
    const { panorama, s3 } = res.body.services;
    assert.deepStrictEqual(
      panorama.operations,
      operations()
        .map((op) => op.name)
        .sort(),
    );
    assert.strictEqual(panorama.operationCount, 34);
    assert.ok(s3.operations.includes("PutObject") && s3.operations.includes("ListObjectsV2"));
    assert.strictEqual(s3.operationCount, s3.operations.length);
  });

  it("counts requests per operation and in total; counts can be reset", async () => {
    await ctx.panorama.send(new ListPackagesCommand({}));
    await ctx.panorama.send(new ListPackagesCommand({}));
    await ctx.s3.send(new PutObjectCommand({ Bucket: ctx.emu.storageBucket, Key: "k", Body: "v" }));
    const counts = (await control("GET", "requests")).body;
    assert.deepStrictEqual(counts, {
      total: 3,
      byOperation: { "panorama:ListPackages": 2, "s3:PutObject": 1 },
      throttled: 0,
      faults: 0,
    });
    assert.strictEqual((await control("POST", "requests/reset")).status, 200);
    assert.deepStrictEqual((await control("GET", "requests")).body, {
      total: 0,
      byOperation: {},
      throttled: 0,
      faults: 0,
    });
  });

  it("reset empties the state but keeps seeded devices and the storage bucket", async () => {
    await ctx.panorama.send(new CreatePackageCommand({ PackageName: "before_reset" }));
    await control("POST", "reset");
    assert.deepStrictEqual((await ctx.panorama.send(new ListPackagesCommand({}))).Packages, []);
    const state = (await control("GET", "state")).body;
    assert.strictEqual(Object.keys(state.devices).length, 1);
    assert.ok(state.buckets[ctx.emu.storageBucket]);
    assert.strictEqual(state.accountId, "123456789012");
  });

  it("GET/POST timing reads and changes the transition settings, refusing nonsense", async () => {
    const timing = (await control("GET", "timing")).body;
    assert.deepStrictEqual(timing.importJob, { mode: "timed", durationMs: 1000, jitter: 0 });
    const changed = await control("POST", "timing", {
      importJob: { mode: "manual" },
      deployment: { durationMs: 10 },
    });
    assert.strictEqual(changed.body.importJob.mode, "manual");
    assert.strictEqual(changed.body.deployment.durationMs, 10);
    const bad = await control("POST", "timing", { importJob: { mode: "sometimes" } });
    assert.strictEqual(bad.status, 400);
    assert.match(bad.body.error, /timing\.importJob\.mode must be one of immediate, timed, manual/);
    await control("POST", "reset");
    assert.strictEqual((await control("GET", "timing")).body.importJob.mode, "timed");
  });

  it("completes, fails and sets import jobs by id; answers 404/409 when it cannot", async () => {
    await control("POST", "timing", { importJob: { mode: "manual" } });
    await upload(ctx, "p.json", nodePackageManifest("pkg"));
    const a = await createImportJob(ctx, { key: "p.json", name: "pkg" });
    const b = await createImportJob(ctx, { key: "p.json", name: "pkg" });
    const c = await createImportJob(ctx, { key: "p.json", name: "pkg" });
    assert.strictEqual(
      (await control("POST", `import-jobs/${a}/complete`)).body.Status,
      "SUCCEEDED",
    );
    const failed = await control("POST", `import-jobs/${b}/fail`, { message: "nope" });
    assert.deepStrictEqual([failed.body.Status, failed.body.StatusMessage], ["FAILED", "nope"]);
    const set = await control("POST", `import-jobs/${c}/status`, {
      status: "FAILED",
      statusMessage: "withdrawn",
    });
    assert.deepStrictEqual([set.body.Status, set.body.StatusMessage], ["FAILED", "withdrawn"]);
    assert.strictEqual((await control("POST", `import-jobs/${a}/complete`)).status, 409);
    assert.strictEqual(
      (await control("POST", "import-jobs/packageImportJob-nope/complete")).status,
      404,
    );
    assert.strictEqual((await control("POST", "no/such/endpoint")).status, 404);
  });

  it("advances the emulator clock", async () => {
    await upload(ctx, "p.json", nodePackageManifest("pkg"));
    await createImportJob(ctx, { key: "p.json", name: "pkg" });
    await control("POST", "clock/advance", { ms: 5000 });
    const state = (await control("GET", "state")).body;
    assert.strictEqual(
      (Object.values(state.importJobs)[0] as { status: string }).status,
      "SUCCEEDED",
    );
    assert.strictEqual(state.clockOffsetMs, 5000);
  });

  it("refuses web pages: a foreign Origin, a non-JSON POST, a rebinding Host (403/415, state untouched)", async () => {
    await ctx.panorama.send(new CreatePackageCommand({ PackageName: "kept" }));
    const evil = await controlRequest(ctx.emu, "POST", "reset", undefined, {
      origin: "http://evil.example",
    });
    assert.strictEqual(evil.status, 403);
    assert.match(evil.body.error, /Origin http:\/\/evil\.example/);
    const nullOrigin = await controlRequest(ctx.emu, "POST", "reset", undefined, {
      origin: "null",
    });
    assert.strictEqual(nullOrigin.status, 403);
    const textPlain = await controlRequest(ctx.emu, "POST", "reset", "{}", {
      "content-type": "text/plain",
    });
    assert.strictEqual(textPlain.status, 415);
    assert.match(textPlain.body.error, /Content-Type: application\/json/);
    const noType = await raw(ctx.emu, { method: "POST", path: "/_emulator/reset" });
    assert.strictEqual(noType.status, 415);
    const rebound = await controlRequest(ctx.emu, "GET", "state", undefined, {
      host: "attacker.example:4566",
    });
    assert.strictEqual(rebound.status, 403);
    assert.match(rebound.body.error, /loopback host/);
    assert.doesNotMatch(JSON.stringify(rebound.body), /kept/);
    assert.deepStrictEqual(
      (await ctx.panorama.send(new ListPackagesCommand({}))).Packages!.map((p) => p.PackageName),
      ["kept"],
    );
  });

  it("answers local tools: loopback Host names with any port, a loopback Origin", async () => {
    for (const host of [
      "localhost",
      "localhost:1",
      "127.0.0.1",
      "127.1.2.3:80",
      "[::1]:4566",
      "LOCALHOST:9",
    ])
      assert.strictEqual(
        (await controlRequest(ctx.emu, "GET", "health", undefined, { host })).status,
        200,
        host,
      );
    for (const host of ["localhost.evil.example", "127.0.0.1.nip.io", "evil.example", "[::2]:1"])
      assert.strictEqual(
        (await controlRequest(ctx.emu, "GET", "health", undefined, { host })).status,
        403,
        host,
      );
    const local = await controlRequest(ctx.emu, "POST", "requests/reset", undefined, {
      origin: "http://localhost:3000",
      "content-type": "application/json; charset=utf-8",
    });
    assert.strictEqual(local.status, 200);
  });

  it("answers a malformed %-escape in a control path with 400, not 500", async () => {
    const res = await controlRequest(ctx.emu, "POST", "import-jobs/%E0%A4%A/complete");
    assert.strictEqual(res.status, 400);
    assert.match(res.body.error, /malformed %-escape/);
    assert.strictEqual((await controlRequest(ctx.emu, "GET", "health")).status, 200);
  });
});

describe("emulator: control API with a bearer token", () => {
  const token = "t0ken-for-remote-tools-0123";
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator({ controlToken: token })));
  after(() => stopTestEmulator(ctx));

  it("requires the token, and then answers any Host", async () => {
    const bare = { host: "emulator.internal:4566" };
    const missing = await raw(ctx.emu, { method: "GET", path: "/_emulator/health", headers: bare });
    assert.strictEqual(missing.status, 401);
    assert.match(missing.headers["www-authenticate"] as string, /^Bearer/);
    assert.match(missing.json().error, /Authorization: Bearer/);
    const wrong = await raw(ctx.emu, {
      method: "GET",
      path: "/_emulator/health",
      headers: { ...bare, authorization: `Bearer ${token}x` },
    });
    assert.strictEqual(wrong.status, 401);
    assert.doesNotMatch(wrong.text, new RegExp(token), "the refusal never echoes the token");
    const loopbackWithout = await raw(ctx.emu, { method: "GET", path: "/_emulator/health" });
    assert.strictEqual(
      loopbackWithout.status,
      401,
      "with a token set, loopback clients need it too",
    );
    assert.strictEqual(
      (await controlRequest(ctx.emu, "GET", "state", undefined, bare)).status,
      200,
    );
    assert.strictEqual(
      (await controlRequest(ctx.emu, "POST", "reset", undefined, bare)).status,
      200,
    );
    const fromPage = await controlRequest(ctx.emu, "POST", "reset", undefined, {
      ...bare,
      origin: "https://evil.example",
    });
    assert.strictEqual(
      fromPage.status,
      403,
      "a web page is refused even when it somehow has the token",
    );
  });

  it("refuses a short token at start, naming the option and the variable", async () => {
    await assert.rejects(
      startTestEmulator({ controlToken: "short" }),
      /controlToken \(or PANORAMA_EMULATOR_CONTROL_TOKEN\) must be at least 16 characters/,
    );
  });
});

describe("emulator: request hooks (the seam for faults and rate limits)", () => {
  let ctx: EmulatorFixture;
  let decision: HookDecision | undefined;
  const seen: string[] = [];
  before(
    async () =>
      (ctx = await startTestEmulator({
        hooks: [{ onRequest: (c) => (seen.push(`${c.service}:${c.operation}`), decision) }],
      })),
  );
  after(() => stopTestEmulator(ctx));
  beforeEach(() => {
    decision = undefined;
    seen.length = 0;
    ctx.emu.control.reset();
  });

  it("sees every routed request with its operation", async () => {
    await ctx.panorama.send(new ListPackagesCommand({}));
    await ctx.s3.send(new PutObjectCommand({ Bucket: ctx.emu.storageBucket, Key: "k", Body: "v" }));
    assert.deepStrictEqual(seen, ["panorama:ListPackages", "s3:PutObject"]);
  });

  it("fail: answers the given error without touching the state", async () => {
    decision = {
      action: "fail",
      status: 429,
      errorType: "ThrottlingException",
      message: "Rate exceeded",
    };
    const e = await rejects(
      ctx.panorama.send(new CreatePackageCommand({ PackageName: "throttled" })),
      "ThrottlingException",
    );
    assert.strictEqual(e.$metadata.httpStatusCode, 429);
    decision = undefined;
    assert.deepStrictEqual((await ctx.panorama.send(new ListPackagesCommand({}))).Packages, []);
  });

  it("applyAndDrop: the change happens but the client gets no answer", async () => {
    decision = { action: "applyAndDrop" };
    await assert.rejects(
      ctx.panorama.send(new CreatePackageCommand({ PackageName: "lost_answer" })),
    );
    decision = undefined;
    assert.deepStrictEqual(
      (await ctx.panorama.send(new ListPackagesCommand({}))).Packages!.map((p) => p.PackageName),
      ["lost_answer"],
    );
  });

  it("drop: nothing happens and the connection closes", async () => {
    decision = { action: "drop" };
    await assert.rejects(ctx.panorama.send(new CreatePackageCommand({ PackageName: "dropped" })));
    decision = undefined;
    assert.deepStrictEqual((await ctx.panorama.send(new ListPackagesCommand({}))).Packages, []);
  });
});
