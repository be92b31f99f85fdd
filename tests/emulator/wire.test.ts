// The raw wire: exact status codes, headers and JSON bodies, as a non-SDK client sees them.
import * as assert from "assert";
import { CreatePackageCommand, DescribePackageCommand } from "@aws-sdk/client-panorama";
import { startTestEmulator, stopTestEmulator, EmulatorFixture } from "../support/emulatorFixture";
import { raw } from "../support/signedRequests";
import { importPackage } from "../support/packageFixtures";

describe("emulator: restJson1 on the wire", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));
  beforeEach(() => ctx.emu.control.reset());

  const signed = (
    method: string,
    path: string,
    extra: { query?: Record<string, string | string[]>; body?: unknown } = {},
  ) =>
    raw(ctx.emu, {
      method,
      path,
      query: extra.query,
      body:
        extra.body === undefined
          ? undefined
          : typeof extra.body === "string"
            ? extra.body
            : JSON.stringify(extra.body),
      headers: extra.body === undefined ? {} : { "content-type": "application/json" },
      service: "panorama",
    });

  it("success: 200, application/json, x-amzn-requestid, timestamps as epoch-second numbers with ms", async () => {
    await importPackage(ctx, "wire_pkg");
    const res = await signed("GET", "/packages/metadata/packageName%2Fwire_pkg");
    assert.strictEqual(res.status, 200);
    assert.strictEqual(res.headers["content-type"], "application/json");
    assert.match(String(res.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
    const body = res.json();
    assert.strictEqual(typeof body.CreatedTime, "number");
    assert.ok(body.CreatedTime > 1.7e9 && body.CreatedTime < 1e11, "seconds, not milliseconds");
    assert.ok(
      Math.abs(body.CreatedTime * 1000 - Math.round(body.CreatedTime * 1000)) < 1e-3,
      "at most millisecond precision",
    );
    assert.doesNotMatch(res.text, /"CreatedTime":"/);
    const viaSdk = await ctx.panorama.send(
      new DescribePackageCommand({ PackageId: body.PackageId }),
    );
    assert.ok(viaSdk.CreatedTime instanceof Date);
    assert.strictEqual(
      viaSdk.CreatedTime!.getTime(),
      Math.round(body.CreatedTime * 1000),
      "the SDK sees the same millisecond",
    );
    const jobs = (await signed("GET", "/packages/import-jobs")).json();
    assert.strictEqual(typeof jobs.PackageImportJobs[0].CreatedTime, "number");
    assert.strictEqual(typeof jobs.PackageImportJobs[0].LastUpdatedTime, "number");
  });

  it("ValidationException: 400, x-amzn-errortype, Message, Reason and Fields", async () => {
    const res = await signed("POST", "/packages", { body: { PackageName: "bad name!" } });
    assert.strictEqual(res.status, 400);
    assert.strictEqual(res.headers["x-amzn-errortype"], "ValidationException");
    assert.strictEqual(res.headers["content-type"], "application/json");
    assert.ok(res.headers["x-amzn-requestid"]);
    assert.deepStrictEqual(res.json(), {
      Message:
        "1 validation error detected: Value at 'PackageName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-\\_]+$",
      Reason: "FIELD_VALIDATION_FAILED",
      Fields: [
        {
          Name: "PackageName",
          Message: "Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-\\_]+$",
        },
      ],
    });
  });

  it("malformed JSON is a ValidationException with Reason CANNOT_PARSE", async () => {
    const res = await signed("POST", "/packages", { body: "{not json" });
    assert.strictEqual(res.status, 400);
    assert.strictEqual(res.headers["x-amzn-errortype"], "ValidationException");
    assert.strictEqual(res.json().Reason, "CANNOT_PARSE");
  });

  it("unknown members in the body are refused by name", async () => {
    const res = await signed("POST", "/packages", { body: { PackageName: "ok", Colour: "red" } });
    assert.strictEqual(res.status, 400);
    assert.deepStrictEqual(res.json().Fields, [
      { Name: "Colour", Message: "Member is not part of the API" },
    ]);
  });

  it("ResourceNotFoundException and ConflictException carry ResourceId and ResourceType", async () => {
    const missing = await signed("GET", "/packages/import-jobs/packageImportJob-missing");
    assert.strictEqual(missing.status, 404);
    assert.strictEqual(missing.headers["x-amzn-errortype"], "ResourceNotFoundException");
    assert.deepStrictEqual(missing.json(), {
      Message: "Package import job packageImportJob-missing was not found.",
      ResourceId: "packageImportJob-missing",
      ResourceType: "PackageImportJob",
    });
    const { PackageId } = await ctx.panorama.send(new CreatePackageCommand({ PackageName: "dup" }));
    const dup = await signed("POST", "/packages", { body: { PackageName: "dup" } });
    assert.strictEqual(dup.status, 409);
    assert.strictEqual(dup.headers["x-amzn-errortype"], "ConflictException");
    assert.strictEqual(dup.json().ResourceId, PackageId);
    assert.strictEqual(dup.json().ResourceType, "Package");
  });

  it("query keys use each operation's exact casing; wrong casing is ignored", async () => {
    for (let i = 0; i < 3; i++)
      await ctx.panorama.send(new CreatePackageCommand({ PackageName: `p${i}` }));
    assert.strictEqual(
      (await signed("GET", "/packages", { query: { maxResults: "2" } })).json().Packages.length,
      2,
    );
    assert.strictEqual(
      (await signed("GET", "/packages", { query: { MaxResults: "2" } })).json().Packages.length,
      3,
    );
    const devices = await signed("GET", "/devices", { query: { MaxResults: "1" } });
    assert.strictEqual(devices.json().Devices.length, 1);
    const bad = await signed("GET", "/packages", { query: { maxResults: "lots" } });
    assert.strictEqual(bad.status, 400);
    assert.deepStrictEqual(bad.json().Fields, [
      { Name: "MaxResults", Message: "Member must be an integer" },
    ]);
    const bool = await signed("DELETE", "/packages/package-x", { query: { ForceDelete: "maybe" } });
    assert.deepStrictEqual(bool.json().Fields, [
      { Name: "ForceDelete", Message: "Member must be a boolean" },
    ]);
  });

  it("repeated query keys are lists and labels are percent-decoded per segment (ARNs)", async () => {
    const { Arn } = await ctx.panorama.send(
      new CreatePackageCommand({ PackageName: "tagged", Tags: { a: "1", "b c": "2", d: "3" } }),
    );
    const path = `/tags/${encodeURIComponent(Arn!)}`;
    const untag = await signed("DELETE", path, { query: { tagKeys: ["a", "b c"] } });
    assert.strictEqual(untag.status, 200);
    assert.deepStrictEqual(untag.json(), {});
    assert.deepStrictEqual((await signed("GET", path)).json(), { Tags: { d: "3" } });
  });

  it("unknown routes answer 404 UnknownOperationException", async () => {
    const unknown = await signed("GET", "/no/such/thing");
    assert.strictEqual(unknown.status, 404);
    assert.strictEqual(unknown.headers["x-amzn-errortype"], "UnknownOperationException");
    assert.match(unknown.json().Message, /No Panorama operation has the path \/no\/such\/thing/);
    const wrongMethod = await signed("PATCH", "/packages");
    assert.strictEqual(wrongMethod.status, 404);
    assert.match(wrongMethod.json().Message, /No Panorama operation answers PATCH \/packages/);
  });

  it("answers 413 for bodies over the Panorama limit", async () => {
    const small = await startTestEmulator({ maxBodyBytes: { panorama: 1000 } });
    try {
      const res = await raw(small.emu, {
        method: "POST",
        path: "/packages",
        body: JSON.stringify({ PackageName: "x".repeat(2000) }),
        headers: { "content-type": "application/json" },
        service: "panorama",
      });
      assert.strictEqual(res.status, 413);
      assert.strictEqual(res.headers["x-amzn-errortype"], "RequestEntityTooLargeException");
    } finally {
      await stopTestEmulator(small);
    }
  });
});
