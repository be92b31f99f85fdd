// The emulator's fault rules and rate limits, as a test in another process drives them: over the
// /_emulator/ control API, observed through unmodified SDK clients (one attempt each, so every
// answer is seen as sent).
import * as assert from "assert";
import {
  ConflictException,
  CreatePackageCommand,
  DescribePackageCommand,
  ListPackagesCommand,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { startEmulator } from "../../emulator";
import { parseCliOptions } from "../../emulator/cliOptions";
import {
  controlRequest,
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import { raw } from "../support/signedRequests";

describe("emulator: fault rules and rate limits", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));
  beforeEach(() => ctx.emu.control.reset());

  const control = (method: string, path: string, body?: unknown) =>
    controlRequest(ctx.emu, method, path, body);
  const addFault = async (rule: unknown) => {
    const res = await control("POST", "faults", rule);
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    return res.body as { id: string; hits: number };
  };
  const listPackages = () => ctx.panorama.send(new ListPackagesCommand({}));
  const packageNames = async () =>
    (await listPackages()).Packages!.map((p) => p.PackageName).sort();

  describe("control API", () => {
    it("POST adds a rule and returns it with an id; GET lists rules with their hits; DELETE removes one or all", async () => {
      const a = await addFault({
        operation: "ListPackages",
        error: "InternalServerException",
        count: 1,
      });
      const b = await addFault({ operation: ["s3:PutObject"], latencyMs: 10 });
      assert.match(a.id, /^fault-\d+$/);
      assert.notStrictEqual(a.id, b.id);
      assert.deepStrictEqual(
        { ...a, id: "x" },
        {
          id: "x",
          operation: ["ListPackages"],
          action: "fail",
          error: "InternalServerException",
          count: 1,
          latencyMs: 0,
          probability: 1,
          matched: 0,
          hits: 0,
        },
      );
      await rejects(listPackages(), "InternalServerException");
      await listPackages();
      const listed = (await control("GET", "faults")).body.faults;
      assert.deepStrictEqual(
        listed.map((r: any) => [r.id, r.action, r.matched, r.hits]),
        [
          [a.id, "fail", 2, 1],
          [b.id, "delay", 0, 0],
        ],
      );
      assert.strictEqual((await control("DELETE", `faults/${a.id}`)).status, 200);
      assert.deepStrictEqual(
        (await control("GET", "faults")).body.faults.map((r: any) => r.id),
        [b.id],
      );
      assert.strictEqual(
        (await control("DELETE", `faults/${a.id}`)).status,
        404,
        "an unknown id is 404",
      );
      assert.strictEqual((await control("DELETE", "faults")).status, 200);
      assert.deepStrictEqual((await control("GET", "faults")).body, { faults: [] });
    });

    it("refuses impossible rules with 400 and a reason that names the field", async () => {
      const cases: [unknown, RegExp][] = [
        [
          { operation: "CreatePackageImportJobs" },
          /operation "CreatePackageImportJobs" is not an operation/,
        ],
        [{ operation: "dynamodb:PutItem" }, /service prefix must be panorama: or s3:/],
        [{ operation: "*", probability: 0 }, /probability must be a number greater than 0/],
        [{ operation: "*", probability: 1.5 }, /probability/],
        [{ operation: "*", count: 0 }, /count must be a positive integer/],
        [{ operation: "*", latencyMs: -1 }, /latencyMs/],
        [{ operation: "*", status: 200 }, /status must be an HTTP error status/],
        [
          { operation: "*", action: "drop", error: "InternalServerException" },
          /error and status only apply to action "fail"/,
        ],
        [
          { operation: "*", action: "explode" },
          /action must be one of fail, drop, applyAndDrop, delay/,
        ],
        [{ operation: "*", colour: "red" }, /Unknown fault rule field "colour"/],
        [[1, 2], /must be a JSON object/],
      ];
      for (const [rule, reason] of cases) {
        const res = await control("POST", "faults", rule);
        assert.strictEqual(res.status, 400, JSON.stringify(rule));
        assert.match(res.body.error, reason);
      }
      assert.deepStrictEqual(ctx.emu.control.faults(), [], "nothing was added");
    });

    it("the same functions are available in process, and reset restores the start-up rules", async () => {
      const emu = await startEmulator({
        port: 0,
        faults: [{ operation: "ListPackages", error: "ConflictException", count: 1 }],
      });
      try {
        assert.strictEqual(emu.control.faults().length, 1);
        const rule = emu.control.addFault({ operation: "DescribePackage", action: "drop" });
        assert.strictEqual(emu.control.faults().length, 2);
        emu.control.removeFault(rule.id);
        assert.throws(() => emu.control.removeFault(rule.id), /No fault rule/);
        emu.control.clearFaults();
        assert.deepStrictEqual(emu.control.faults(), []);
        emu.control.reset();
        assert.deepStrictEqual(
          emu.control.faults().map((r) => [r.operation, r.error, r.hits]),
          [[["ListPackages"], "ConflictException", 0]],
        );
      } finally {
        await emu.stop();
      }
      await assert.rejects(
        startEmulator({ port: 0, faults: [{ operation: "Nope" }] }),
        /operation "Nope" is not an operation/,
      );
      await assert.rejects(
        startEmulator({ port: 0, rateLimits: { overallPerSecond: 0 } }),
        /overallPerSecond must be a number/,
      );
    });

    it("the command line takes --fault (repeatable) and --rate-limits", async () => {
      const rule = '{"operation":"ListPackages","error":"InternalServerException","count":1}';
      const options = parseCliOptions([
        "--port",
        "0",
        "--quiet",
        "--rate-limits",
        "--fault",
        rule,
        "--fault",
        '{"operation":"s3:*","latencyMs":5}',
      ]);
      if (typeof options === "string") return assert.fail(`parsed as ${options}`);
      const emu = await startEmulator(options);
      try {
        assert.deepStrictEqual(
          emu.control.faults().map((r) => r.action),
          ["fail", "delay"],
        );
        assert.strictEqual(emu.control.getRateLimits().enabled, true);
      } finally {
        await emu.stop();
      }
      assert.throws(
        () => parseCliOptions(["--fault", "{oops"]),
        /--fault #1 must be a JSON fault rule/,
      );
    });
  });

  describe("fail", () => {
    it("answers any modeled error with its model status, class and members; the state is not touched", async () => {
      await addFault({
        operation: "CreatePackage",
        error: "ConflictException",
        members: { ResourceId: "package-x", ResourceType: "Package" },
      });
      const e = await rejects<ConflictException>(
        ctx.panorama.send(new CreatePackageCommand({ PackageName: "never" })),
        "ConflictException",
      );
      assert.ok(e instanceof ConflictException);
      assert.strictEqual(e.$metadata.httpStatusCode, 409);
      assert.strictEqual(e.ResourceId, "package-x");
      assert.match(e.message, /Fault injected by emulator rule fault-1 into CreatePackage/);
      assert.deepStrictEqual(await packageNames(), []);
    });

    it("ThrottlingException is 429 by default; other names 500, or the status given", async () => {
      await addFault({ operation: "ListPackages", error: "ThrottlingException", count: 1 });
      await addFault({
        operation: "ListPackages",
        error: "ServiceUnavailableException",
        status: 503,
        count: 1,
      });
      await addFault({ operation: "ListPackages", count: 1 });
      const throttled = await rejects(listPackages(), "ThrottlingException");
      assert.strictEqual(throttled.$metadata.httpStatusCode, 429);
      assert.strictEqual(throttled.$fault, "client");
      const unavailable = await rejects(listPackages(), "ServiceUnavailableException");
      assert.strictEqual(unavailable.$metadata.httpStatusCode, 503);
      assert.strictEqual(unavailable.$fault, "server");
      const internal = await rejects(listPackages(), "InternalServerException");
      assert.strictEqual(internal.$metadata.httpStatusCode, 500);
      await listPackages();
      assert.deepStrictEqual(ctx.emu.control.requestCounts().faults, 3);
    });

    it("count affects only the first N matching requests", async () => {
      const rule = await addFault({
        operation: "ListPackages",
        error: "InternalServerException",
        count: 2,
      });
      await rejects(listPackages(), "InternalServerException");
      await ctx.panorama
        .send(new DescribePackageCommand({ PackageId: "package-none" }))
        .catch(() => undefined); // not matched
      await rejects(listPackages(), "InternalServerException");
      await listPackages();
      await listPackages();
      const [listed] = ctx.emu.control.faults();
      assert.deepStrictEqual([listed.id, listed.matched, listed.hits], [rule.id, 4, 2]);
    });

    it("probability with a seed repeats exactly; without count the rule never runs out", async () => {
      const outcomes = async () => {
        ctx.emu.control.reset();
        await addFault({
          operation: "ListPackages",
          error: "InternalServerException",
          probability: 0.5,
          seed: 42,
        });
        const seen: boolean[] = [];
        for (let i = 0; i < 40; i++)
          seen.push(
            await listPackages().then(
              () => true,
              () => false,
            ),
          );
        return seen;
      };
      const first = await outcomes();
      const failures = first.filter((ok) => !ok).length;
      assert.ok(failures > 8 && failures < 32, `about half fail, got ${failures}/40`);
      assert.strictEqual(ctx.emu.control.faults()[0].hits, failures);
      assert.deepStrictEqual(await outcomes(), first, "the same seed gives the same pattern");
    });

    it("S3 operations fail with S3 error codes", async () => {
      await addFault({ operation: "s3:PutObject", error: "SlowDown", count: 1 });
      const e = await rejects(
        ctx.s3.send(new PutObjectCommand({ Bucket: ctx.emu.storageBucket, Key: "k", Body: "v" })),
        "SlowDown",
      );
      assert.strictEqual(e.$metadata.httpStatusCode, 503);
      await ctx.s3.send(
        new PutObjectCommand({ Bucket: ctx.emu.storageBucket, Key: "k", Body: "v" }),
      );
      await addFault({ operation: "s3:*", count: 1 });
      await rejects(
        ctx.s3.send(new GetObjectCommand({ Bucket: ctx.emu.storageBucket, Key: "k" })),
        "InternalError",
      );
    });
  });

  describe("latency, drop, applyAndDrop and hang", () => {
    it("latencyMs delays the answer and nothing else", async () => {
      await addFault({ operation: "ListPackages", latencyMs: 300 });
      const started = Date.now();
      await listPackages();
      assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
      const quick = Date.now();
      await ctx.panorama.send(new CreatePackageCommand({ PackageName: "fast" }));
      assert.ok(Date.now() - quick < 250, "other operations are not delayed");
    });

    it("drop closes the connection and changes nothing", async () => {
      await addFault({ operation: "CreatePackage", action: "drop", count: 1 });
      await assert.rejects(
        ctx.panorama.send(new CreatePackageCommand({ PackageName: "dropped" })),
        (e: any) => e.code === "ECONNRESET" || /socket hang up/.test(e.message),
      );
      assert.deepStrictEqual(await packageNames(), []);
    });

    it("applyAndDrop makes the change and loses the answer", async () => {
      await addFault({
        operation: "CreatePackage",
        action: "applyAndDrop",
        latencyMs: 50,
        count: 1,
      });
      await assert.rejects(
        ctx.panorama.send(new CreatePackageCommand({ PackageName: "answer_lost" })),
      );
      assert.deepStrictEqual(await packageNames(), ["answer_lost"]);
    });

    it("hang accepts the connection and never answers: only the client's timeout ends it, and nothing changes", async () => {
      await addFault({ operation: "CreatePackage", action: "hang", count: 1 });
      const { url: endpoint, region, credentials } = ctx.emu;
      const client = new PanoramaClient({
        endpoint,
        region,
        credentials,
        maxAttempts: 1,
        requestHandler: { requestTimeout: 700, throwOnRequestTimeout: true },
      });
      const started = Date.now();
      await assert.rejects(
        client.send(new CreatePackageCommand({ PackageName: "never_answered" })),
        (e: any) => e.name === "TimeoutError",
      );
      const waited = Date.now() - started;
      client.destroy();
      assert.ok(waited >= 650, `gave up after ${waited} ms: the emulator answered or closed early`);
      assert.deepStrictEqual(await packageNames(), [], "a hung request is not handled");
      await ctx.panorama.send(new CreatePackageCommand({ PackageName: "after_the_hang" }));
      assert.deepStrictEqual(
        await packageNames(),
        ["after_the_hang"],
        "count 1: the next request is answered",
      );
    });
  });

  describe("rate limits", () => {
    it("5 requests/s per account: a burst beyond that gets 429 ThrottlingException, counted as throttled", async () => {
      assert.deepStrictEqual((await control("POST", "rate-limits", true)).body, {
        enabled: true,
        overallPerSecond: 5,
        createPerSecond: 1,
      });
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          listPackages().then(
            () => "ok",
            (e) => `${e.name} ${e.$metadata?.httpStatusCode}`,
          ),
        ),
      );
      assert.deepStrictEqual(results.filter((r) => r === "ok").length, 5, results.join(", "));
      assert.ok(
        results.filter((r) => r !== "ok").every((r) => r === "ThrottlingException 429"),
        results.join(", "),
      );
      const counts = (await control("GET", "requests")).body;
      assert.strictEqual(counts.throttled, 5);
      assert.strictEqual(
        counts.byOperation["panorama:ListPackages"],
        10,
        "throttled requests are still requests",
      );
      await new Promise((r) => setTimeout(r, 450));
      await listPackages(); // the bucket refills at 5/s
    });

    it("1 request/s for each create/modify operation, on top of the account limit", async () => {
      ctx.emu.control.setRateLimits(true);
      await ctx.panorama.send(new CreatePackageCommand({ PackageName: "first" }));
      const e = await rejects(
        ctx.panorama.send(new CreatePackageCommand({ PackageName: "second" })),
        "ThrottlingException",
      );
      assert.match(e.message, /1 request\/s for CreatePackage/);
      await listPackages(); // reads are limited only by the account bucket
      await new Promise((r) => setTimeout(r, 1000));
      await ctx.panorama.send(new CreatePackageCommand({ PackageName: "second" }));
      assert.deepStrictEqual(await packageNames(), ["first", "second"]);
    });

    it("rates can be changed and switched off; S3 and the control API are never limited; reset restores the start-up setting", async () => {
      assert.deepStrictEqual((await control("POST", "rate-limits", { overallPerSecond: 2 })).body, {
        enabled: true,
        overallPerSecond: 2,
        createPerSecond: 1,
      });
      const burst = await Promise.all(
        Array.from({ length: 4 }, () =>
          listPackages().then(
            () => 1,
            () => 0,
          ),
        ),
      );
      assert.strictEqual(
        burst.reduce((a: number, b: number) => a + b, 0),
        2,
      );
      for (let i = 0; i < 8; i++)
        await ctx.s3.send(
          new PutObjectCommand({ Bucket: ctx.emu.storageBucket, Key: `k${i}`, Body: "v" }),
        );
      assert.strictEqual((await control("DELETE", "rate-limits")).body.enabled, false);
      await Promise.all(Array.from({ length: 8 }, () => listPackages()));
      assert.strictEqual(
        (await control("POST", "rate-limits", { overallPerSecond: -1 })).status,
        400,
      );
      await control("POST", "rate-limits", true);
      await control("POST", "reset");
      assert.deepStrictEqual((await control("GET", "rate-limits")).body, {
        enabled: false,
        overallPerSecond: 5,
        createPerSecond: 1,
      });
    });

    it("the rateLimits start option turns them on with the service's rates", async () => {
      const emu = await startEmulator({ port: 0, rateLimits: true });
      try {
        assert.deepStrictEqual(emu.control.getRateLimits(), {
          enabled: true,
          overallPerSecond: 5,
          createPerSecond: 1,
        });
        emu.control.setRateLimits(false);
        emu.control.reset();
        assert.strictEqual(emu.control.getRateLimits().enabled, true);
      } finally {
        await emu.stop();
      }
    });
  });
});
