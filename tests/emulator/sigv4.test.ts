import * as assert from "assert";
import { ListPackagesCommand, PanoramaClient } from "@aws-sdk/client-panorama";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import {
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import { raw } from "../support/signedRequests";

describe("emulator: SigV4 verification", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));

  const clients = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
    const config = { endpoint: ctx.emu.url, region: ctx.emu.region, credentials, maxAttempts: 1 };
    return {
      panorama: new PanoramaClient(config),
      s3: new S3Client({ ...config, forcePathStyle: true }),
    };
  };

  it("accepts requests signed with the configured credentials (and a session token)", async () => {
    await ctx.panorama.send(new ListPackagesCommand({}));
    const withToken = clients({ ...ctx.emu.credentials, sessionToken: "session" } as any);
    await withToken.panorama.send(new ListPackagesCommand({}));
    await withToken.s3.send(new ListBucketsCommand({}));
  });

  it("wrong secret: Panorama AccessDeniedException, S3 SignatureDoesNotMatch (403)", async () => {
    const c = clients({ accessKeyId: "AKIDEMULATOR", secretAccessKey: "wrong" });
    const p = await rejects(c.panorama.send(new ListPackagesCommand({})), "AccessDeniedException");
    assert.strictEqual(p.$metadata.httpStatusCode, 403);
    assert.match(p.message, /signature we calculated does not match/);
    const s = await rejects(c.s3.send(new ListBucketsCommand({})), "SignatureDoesNotMatch");
    assert.strictEqual(s.$metadata.httpStatusCode, 403);
  });

  it("wrong access key: Panorama AccessDeniedException, S3 InvalidAccessKeyId", async () => {
    const c = clients({ accessKeyId: "AKIDOTHER", secretAccessKey: "emulator-secret" });
    const p = await rejects(c.panorama.send(new ListPackagesCommand({})), "AccessDeniedException");
    assert.match(p.message, /access key id AKIDOTHER/);
    await rejects(c.s3.send(new ListBucketsCommand({})), "InvalidAccessKeyId");
  });

  it("X-Amz-Date more than 15 minutes off: Panorama InvalidSignatureException worded as AWS does, S3 RequestTimeTooSkewed", async () => {
    const amz = (ms: number) =>
      new Date(ms)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
    const past = new Date(Date.now() - 20 * 60 * 1000);
    const p = await raw(ctx.emu, {
      method: "GET",
      path: "/packages",
      service: "panorama",
      signingDate: past,
    });
    assert.strictEqual(p.status, 403);
    assert.strictEqual(p.headers["x-amzn-errortype"], "InvalidSignatureException");
    assert.strictEqual(p.headers["x-emulator-auth-failure"], "RequestTimeTooSkewed");
    const expired =
      /^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 15 min\.\)$/.exec(
        p.json().Message,
      );
    assert.ok(expired, p.json().Message);
    assert.strictEqual(expired[1], amz(past.getTime()));
    const parse = (t: string) =>
      Date.parse(t.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
    assert.strictEqual(parse(expired[3]) - parse(expired[2]), 15 * 60 * 1000);
    assert.ok(Math.abs(parse(expired[3]) - Date.now()) < 5000, "the server's own time");

    const future = await raw(ctx.emu, {
      method: "GET",
      path: "/packages",
      service: "panorama",
      signingDate: new Date(Date.now() + 20 * 60 * 1000),
    });
    assert.strictEqual(future.status, 403);
    assert.strictEqual(future.headers["x-amzn-errortype"], "InvalidSignatureException");
    assert.match(
      future.json().Message,
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/,
    );

    const s = await raw(ctx.emu, { method: "GET", path: "/", service: "s3", signingDate: past });
    assert.strictEqual(s.status, 403);
    assert.match(s.text, /<Code>RequestTimeTooSkewed<\/Code>/);
    const recent = await raw(ctx.emu, {
      method: "GET",
      path: "/packages",
      service: "panorama",
      signingDate: new Date(Date.now() - 5 * 60 * 1000),
    });
    assert.strictEqual(recent.status, 200);
  });

  it("a client whose clock is 20 minutes slow succeeds: the SDK corrects its clock offset and signs again", async () => {
    const slow = new PanoramaClient({
      endpoint: ctx.emu.url,
      region: ctx.emu.region,
      credentials: ctx.emu.credentials,
      systemClockOffset: -20 * 60 * 1000,
    });
    const answer = await slow.send(new ListPackagesCommand({}));
    assert.strictEqual(
      answer.$metadata.attempts,
      2,
      "refused once for the signing time, then accepted",
    );
    assert.ok(
      Math.abs(slow.config.systemClockOffset!) < 5000,
      `corrected offset ${slow.config.systemClockOffset} ms`,
    );
    slow.destroy();
  });

  it("a client whose clock is 20 minutes fast is refused once (this SDK signs again only for 'Signature expired'), then succeeds", async () => {
    const fast = new PanoramaClient({
      endpoint: ctx.emu.url,
      region: ctx.emu.region,
      credentials: ctx.emu.credentials,
      systemClockOffset: 20 * 60 * 1000,
    });
    const e = await rejects(fast.send(new ListPackagesCommand({})), "InvalidSignatureException");
    assert.match(e.message, /^Signature not yet current/);
    assert.ok(
      Math.abs(fast.config.systemClockOffset!) < 5000,
      "the refusal's Date header corrected the offset",
    );
    await fast.send(new ListPackagesCommand({}));
    fast.destroy();
  });

  it("a wrong secret is AccessDeniedException whatever the clock, and not repeated by the SDK's skew correction", async () => {
    const wrong = new PanoramaClient({
      endpoint: ctx.emu.url,
      region: ctx.emu.region,
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "wrong" },
      systemClockOffset: -20 * 60 * 1000,
    });
    const e = await rejects(wrong.send(new ListPackagesCommand({})), "AccessDeniedException");
    assert.match(e.message, /signature we calculated does not match/);
    assert.strictEqual(e.$metadata.attempts, 2, "one refusal for the clock, one for the signature");
    const again = await rejects(wrong.send(new ListPackagesCommand({})), "AccessDeniedException");
    assert.strictEqual(again.$metadata.attempts, 1);
    wrong.destroy();
  });

  it("a body changed after signing is refused (with and without x-amz-content-sha256)", async () => {
    const body = JSON.stringify({ PackageName: "signed_name" });
    const tampered = JSON.stringify({ PackageName: "other_name1" });
    const withHash = await raw(ctx.emu, {
      method: "POST",
      path: "/packages",
      body,
      bodyAfterSigning: tampered,
      headers: { "content-type": "application/json" },
      service: "panorama",
    });
    assert.strictEqual(withHash.status, 403);
    assert.strictEqual(withHash.headers["x-amzn-errortype"], "AccessDeniedException");
    const noHash = await raw(ctx.emu, {
      method: "POST",
      path: "/packages",
      body,
      bodyAfterSigning: tampered,
      headers: { "content-type": "application/json" },
      service: "panorama",
      noContentSha256: true,
    });
    assert.strictEqual(noHash.status, 403);
    const s3 = await raw(ctx.emu, {
      method: "PUT",
      path: `/${ctx.emu.storageBucket}/k`,
      body: "aaaa",
      bodyAfterSigning: "bbbb",
      service: "s3",
    });
    assert.strictEqual(s3.status, 403);
    assert.match(s3.text, /<Code>XAmzContentSHA256Mismatch<\/Code>/);
    const untouched = await raw(ctx.emu, {
      method: "POST",
      path: "/packages",
      body,
      headers: { "content-type": "application/json" },
      service: "panorama",
      noContentSha256: true,
    });
    assert.strictEqual(untouched.status, 200, untouched.text);
  });

  it("unsigned requests are refused; the /_emulator/ control API needs no signature", async () => {
    const p = await raw(ctx.emu, { method: "GET", path: "/packages" });
    assert.strictEqual(p.status, 403);
    assert.strictEqual(p.headers["x-amzn-errortype"], "AccessDeniedException");
    const s = await raw(ctx.emu, { method: "GET", path: "/some-bucket/key" });
    assert.strictEqual(s.status, 403);
    assert.match(s.text, /<Code>AccessDenied<\/Code>/);
    const control = await raw(ctx.emu, { method: "GET", path: "/_emulator/requests" });
    assert.strictEqual(control.status, 200);
  });

  it("accepts any region in the credential scope (ARNs keep the emulator's region)", async () => {
    const other = new PanoramaClient({
      endpoint: ctx.emu.url,
      region: "eu-west-1",
      credentials: ctx.emu.credentials,
      maxAttempts: 1,
    });
    const devices = await other.send(
      new (await import("@aws-sdk/client-panorama")).ListDevicesCommand({}),
    );
    assert.ok(devices.Devices!.length >= 1);
    other.destroy();
  });

  it("presigned URLs (query-string signatures) are refused", async () => {
    const res = await raw(ctx.emu, {
      method: "GET",
      path: "/some-bucket/key",
      query: { "X-Amz-Signature": "abc", "X-Amz-Credential": "x" },
    });
    assert.strictEqual(res.status, 403);
    assert.match(res.text, /Presigned URLs are not supported/);
  });

  it("routes by the signing service: a Panorama path signed for s3 is an S3 request", async () => {
    const res = await raw(ctx.emu, { method: "GET", path: "/packages", service: "s3" });
    assert.strictEqual(res.status, 404);
    assert.match(
      res.text,
      /<Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist.<\/Message><BucketName>packages<\/BucketName>/,
    );
  });
});

describe("emulator: SigV4 with acceptAnyAccessKey (--accept-any-key)", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator({ acceptAnyAccessKey: true })));
  after(() => stopTestEmulator(ctx));

  const amzDate = (d: Date) =>
    d
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
  /** A request whose Authorization header is written by hand, not computed. */
  const handSigned = (
    parts: { key?: string; region?: string; signed?: string; signature?: string; date?: Date } = {},
  ) => {
    const date = amzDate(parts.date ?? new Date());
    const scope = `${parts.key ?? "test"}/${date.slice(0, 8)}/${parts.region ?? "us-east-1"}/panorama/aws4_request`;
    return raw(ctx.emu, {
      method: "GET",
      path: "/packages",
      headers: {
        "x-amz-date": date,
        authorization: `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=${parts.signed ?? "host;x-amz-date"}, Signature=${parts.signature ?? "0".repeat(64)}`,
      },
    });
  };

  it("accepts LocalStack's test/test and any other key, for Panorama and S3", async () => {
    for (const credentials of [
      { accessKeyId: "test", secretAccessKey: "test" },
      { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "anything" },
    ]) {
      const config = { endpoint: ctx.emu.url, region: "us-east-1", credentials, maxAttempts: 1 };
      const panorama = new PanoramaClient(config);
      const s3 = new S3Client({ ...config, forcePathStyle: true });
      await panorama.send(new ListPackagesCommand({}));
      await s3.send(new ListBucketsCommand({}));
      panorama.destroy();
      s3.destroy();
    }
  });

  it("still verifies the configured key in full: a wrong secret for it is refused", async () => {
    const c = new PanoramaClient({
      endpoint: ctx.emu.url,
      region: "us-east-1",
      credentials: { accessKeyId: ctx.emu.credentials.accessKeyId, secretAccessKey: "wrong" },
      maxAttempts: 1,
    });
    const e = await rejects(c.send(new ListPackagesCommand({})), "AccessDeniedException");
    assert.match(e.message, /signature we calculated does not match/);
    c.destroy();
  });

  it("checks that a request is signed: shape, date, scope and signed headers, not the value", async () => {
    assert.strictEqual((await handSigned()).status, 200, "the value cannot be checked");
    const refused: [string, Awaited<ReturnType<typeof handSigned>>, RegExp][] = [
      [
        "unsigned",
        await raw(ctx.emu, { method: "GET", path: "/packages" }),
        /missing Authentication Token/,
      ],
      ["host not signed", await handSigned({ signed: "x-amz-date" }), /does not sign host/],
      ["short signature", await handSigned({ signature: "0".repeat(63) }), /64 hexadecimal digits/],
      ["not a region", await handSigned({ region: "nowhere" }), /not a region like us-east-1/],
      [
        "20 minutes old",
        await handSigned({ date: new Date(Date.now() - 20 * 60 * 1000) }),
        /Signature expired/,
      ],
    ];
    for (const [title, res, message] of refused) {
      assert.strictEqual(res.status, 403, title);
      assert.match(res.json().message ?? res.json().Message, message, title);
    }
  });
});

describe("emulator: an unknown access key without acceptAnyAccessKey", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));

  it("is refused with the key the emulator takes and the flag that accepts any", async () => {
    const c = new PanoramaClient({
      endpoint: ctx.emu.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    const e = await rejects(c.send(new ListPackagesCommand({})), "AccessDeniedException");
    assert.strictEqual(
      e.message,
      `The AWS access key id test does not exist in the emulator's records. Sign with the emulator's access key id ${ctx.emu.credentials.accessKeyId}, or start it with --accept-any-key to accept any key.`,
    );
    c.destroy();
  });
});
