import * as assert from "assert";
import { createHash, randomBytes } from "crypto";
import { Readable } from "stream";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import {
  rejects,
  startTestEmulator,
  stopTestEmulator,
  EmulatorFixture,
} from "../support/emulatorFixture";
import { raw } from "../support/signedRequests";

const md5 = (b: Buffer | string) => createHash("md5").update(b).digest();

describe("emulator: S3 slice", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));
  beforeEach(async () => {
    ctx.emu.control.reset();
    await ctx.s3.send(new CreateBucketCommand({ Bucket: "bucket-one" }));
  });

  describe("buckets", () => {
    it("CreateBucket, HeadBucket, ListBuckets (the package storage bucket exists from the start)", async () => {
      await ctx.s3.send(new HeadBucketCommand({ Bucket: "bucket-one" }));
      const names = (await ctx.s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name);
      assert.deepStrictEqual(names, ["bucket-one", "panorama-123456789012-storage"]);
    });

    it("creating a bucket twice is BucketAlreadyOwnedByYou (409); bad names are InvalidBucketName", async () => {
      const e = await rejects(
        ctx.s3.send(new CreateBucketCommand({ Bucket: "bucket-one" })),
        "BucketAlreadyOwnedByYou",
      );
      assert.strictEqual(e.$metadata.httpStatusCode, 409);
      await rejects(
        ctx.s3.send(new CreateBucketCommand({ Bucket: "Bad_Name" })),
        "InvalidBucketName",
      );
    });

    it("DeleteBucket refuses a non-empty bucket and deletes an empty one", async () => {
      await ctx.s3.send(new PutObjectCommand({ Bucket: "bucket-one", Key: "k", Body: "v" }));
      await rejects(
        ctx.s3.send(new DeleteBucketCommand({ Bucket: "bucket-one" })),
        "BucketNotEmpty",
      );
      await ctx.s3.send(new DeleteObjectCommand({ Bucket: "bucket-one", Key: "k" }));
      await ctx.s3.send(new DeleteBucketCommand({ Bucket: "bucket-one" }));
      await rejects(ctx.s3.send(new HeadBucketCommand({ Bucket: "bucket-one" })), "NotFound");
    });

    it("unknown bucket is NoSuchBucket", async () => {
      const e = await rejects(
        ctx.s3.send(new GetObjectCommand({ Bucket: "no-such-bucket", Key: "k" })),
        "NoSuchBucket",
      );
      assert.strictEqual(e.$metadata.httpStatusCode, 404);
    });
  });

  describe("objects", () => {
    it("PutObject (current client: flexible checksum header) and GetObject round-trip, ETag = quoted md5", async () => {
      const body = '{"hello": "world"}';
      const put = await ctx.s3.send(
        new PutObjectCommand({
          Bucket: "bucket-one",
          Key: "dir/a b/ü.json",
          Body: body,
          ContentType: "application/json",
          Metadata: { owner: "me" },
        }),
      );
      assert.strictEqual(put.ETag, `"${md5(body).toString("hex")}"`);
      const got = await ctx.s3.send(
        new GetObjectCommand({ Bucket: "bucket-one", Key: "dir/a b/ü.json" }),
      );
      assert.strictEqual(await got.Body!.transformToString(), body);
      assert.strictEqual(got.ContentType, "application/json");
      assert.strictEqual(got.ETag, put.ETag);
      assert.deepStrictEqual(got.Metadata, { owner: "me" });
      const head = await ctx.s3.send(
        new HeadObjectCommand({ Bucket: "bucket-one", Key: "dir/a b/ü.json" }),
      );
      assert.strictEqual(head.ContentLength, Buffer.byteLength(body));
      assert.ok(head.LastModified instanceof Date);
    });

    it("PutObject of a stream with ContentLength (aws-chunked, trailing checksum) stores the decoded bytes", async () => {
      const data = randomBytes(200_000);
      const chunks = Array.from({ length: 10 }, (_, i) =>
        data.subarray(i * 20_000, (i + 1) * 20_000),
      );
      const put = await ctx.s3.send(
        new PutObjectCommand({
          Bucket: "bucket-one",
          Key: "stream.bin",
          Body: Readable.from(chunks),
          ContentLength: data.length,
        }),
      );
      assert.strictEqual(put.ETag, `"${md5(data).toString("hex")}"`);
      const got = await ctx.s3.send(
        new GetObjectCommand({ Bucket: "bucket-one", Key: "stream.bin" }),
      );
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data));
      assert.strictEqual(ctx.emu.control.requestCounts().byOperation["s3:PutObject"], 1);
    });

    it("missing key: GetObject is NoSuchKey (404), HeadObject is NotFound", async () => {
      const e = await rejects(
        ctx.s3.send(new GetObjectCommand({ Bucket: "bucket-one", Key: "nope" })),
        "NoSuchKey",
      );
      assert.strictEqual(e.$metadata.httpStatusCode, 404);
      await rejects(
        ctx.s3.send(new HeadObjectCommand({ Bucket: "bucket-one", Key: "nope" })),
        "NotFound",
      );
    });

    it("DeleteObject removes the object and succeeds for missing keys", async () => {
      await ctx.s3.send(new PutObjectCommand({ Bucket: "bucket-one", Key: "gone", Body: "x" }));
      await ctx.s3.send(new DeleteObjectCommand({ Bucket: "bucket-one", Key: "gone" }));
      await rejects(
        ctx.s3.send(new GetObjectCommand({ Bucket: "bucket-one", Key: "gone" })),
        "NoSuchKey",
      );
      await ctx.s3.send(new DeleteObjectCommand({ Bucket: "bucket-one", Key: "gone" }));
    });

    it("GetObject with a Range answers 206 with that slice", async () => {
      await ctx.s3.send(
        new PutObjectCommand({ Bucket: "bucket-one", Key: "r", Body: "0123456789" }),
      );
      const got = await ctx.s3.send(
        new GetObjectCommand({ Bucket: "bucket-one", Key: "r", Range: "bytes=2-5" }),
      );
      assert.strictEqual(await got.Body!.transformToString(), "2345");
      assert.strictEqual(got.ContentRange, "bytes 2-5/10");
    });
  });

  describe("older clients and raw requests", () => {
    it("accepts a plain body with a correct Content-MD5 and refuses a wrong one with BadDigest", async () => {
      const body = "plain body";
      const ok = await raw(ctx.emu, {
        method: "PUT",
        path: "/bucket-one/plain.txt",
        body,
        headers: { "content-md5": md5(body).toString("base64"), "content-type": "text/plain" },
        service: "s3",
      });
      assert.strictEqual(ok.status, 200, ok.text);
      assert.strictEqual(ok.headers.etag, `"${md5(body).toString("hex")}"`);
      const bad = await raw(ctx.emu, {
        method: "PUT",
        path: "/bucket-one/plain.txt",
        body,
        headers: { "content-md5": md5("other").toString("base64") },
        service: "s3",
      });
      assert.strictEqual(bad.status, 400);
      assert.match(bad.text, /<Code>BadDigest<\/Code>/);
      const got = await ctx.s3.send(
        new GetObjectCommand({ Bucket: "bucket-one", Key: "plain.txt" }),
      );
      assert.strictEqual(await got.Body!.transformToString(), body);
    });

    it("verifies x-amz-checksum-crc32 and refuses a mismatch", async () => {
      const bad = await raw(ctx.emu, {
        method: "PUT",
        path: "/bucket-one/crc.txt",
        body: "hello",
        headers: { "x-amz-checksum-crc32": "AAAAAA==" },
        service: "s3",
      });
      assert.strictEqual(bad.status, 400);
      assert.match(
        bad.text,
        /<Code>BadDigest<\/Code><Message>The CRC32 you specified did not match/,
      );
      const good = await raw(ctx.emu, {
        method: "PUT",
        path: "/bucket-one/crc.txt",
        body: "hello",
        headers: { "x-amz-checksum-crc32": "NhCmhg==" },
        service: "s3",
      });
      assert.strictEqual(good.status, 200, good.text);
    });

    it("verifies x-amz-checksum-crc32c: the SDK's own CRC32C is accepted and echoed, a mismatch refused", async () => {
      const put = await ctx.s3.send(
        new PutObjectCommand({
          Bucket: "bucket-one",
          Key: "crc32c.txt",
          Body: "hello",
          ChecksumAlgorithm: "CRC32C",
        }),
      );
      assert.ok(put.ChecksumCRC32C, "the client sent a CRC32C and the emulator echoed it");
      const got = await ctx.s3.send(
        new GetObjectCommand({ Bucket: "bucket-one", Key: "crc32c.txt", ChecksumMode: "ENABLED" }),
      );
      assert.strictEqual(got.ChecksumCRC32C, put.ChecksumCRC32C);
      assert.strictEqual(await got.Body!.transformToString(), "hello");
      const bad = await raw(ctx.emu, {
        method: "PUT",
        path: "/bucket-one/crc32c.txt",
        body: "hello!",
        headers: { "x-amz-checksum-crc32c": put.ChecksumCRC32C! },
        service: "s3",
      });
      assert.strictEqual(bad.status, 400);
      assert.match(
        bad.text,
        /<Code>BadDigest<\/Code><Message>The CRC32C you specified did not match/,
      );
    });

    it("decodes signed aws-chunked bodies (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)", async () => {
      const sig = "0".repeat(64);
      const body = `5;chunk-signature=${sig}\r\nhello\r\n6;chunk-signature=${sig}\r\n world\r\n0;chunk-signature=${sig}\r\n\r\n`;
      const res = await raw(ctx.emu, {
        method: "PUT",
        path: "/bucket-one/signed-chunks.txt",
        body,
        headers: {
          "content-encoding": "aws-chunked",
          "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
          "x-amz-decoded-content-length": "11",
        },
        service: "s3",
      });
      assert.strictEqual(res.status, 200, res.text);
      const got = await ctx.s3.send(
        new GetObjectCommand({ Bucket: "bucket-one", Key: "signed-chunks.txt" }),
      );
      assert.strictEqual(await got.Body!.transformToString(), "hello world");
    });

    it("refuses path traversal in keys", async () => {
      for (const path of ["/bucket-one/a/../b", "/bucket-one/a/%2E%2E/b", "/bucket-one/./b"]) {
        const res = await raw(ctx.emu, { method: "PUT", path, body: "x", service: "s3" });
        assert.strictEqual(res.status, 400, path);
        assert.match(res.text, /<Code>InvalidArgument<\/Code>.*path traversal/);
      }
    });

    it("accepts virtual-hosted style on <bucket>.localhost", async () => {
      const url = new URL(ctx.emu.url);
      const res = await raw(ctx.emu, {
        method: "PUT",
        path: "/vhost.txt",
        body: "v",
        headers: { host: `bucket-one.localhost:${url.port}` },
        service: "s3",
      });
      assert.strictEqual(res.status, 200, res.text);
      const got = await ctx.s3.send(
        new GetObjectCommand({ Bucket: "bucket-one", Key: "vhost.txt" }),
      );
      assert.strictEqual(await got.Body!.transformToString(), "v");
    });

    it("answers unsupported S3 features with 501 NotImplemented", async () => {
      const res = await raw(ctx.emu, {
        method: "POST",
        path: "/bucket-one/big",
        query: { uploads: "" },
        service: "s3",
      });
      assert.strictEqual(res.status, 501);
      assert.match(res.text, /<Code>NotImplemented<\/Code>/);
    });
  });

  describe("ListObjectsV2", () => {
    beforeEach(async () => {
      for (const key of [
        "a/1.json",
        "a/2.json",
        "a/sub/3.json",
        "b/4.json",
        "top.json",
        "with space/5.json",
      ])
        await ctx.s3.send(new PutObjectCommand({ Bucket: "bucket-one", Key: key, Body: key }));
    });

    it("filters by prefix and groups by delimiter", async () => {
      const byPrefix = await ctx.s3.send(
        new ListObjectsV2Command({ Bucket: "bucket-one", Prefix: "a/" }),
      );
      assert.deepStrictEqual(
        byPrefix.Contents!.map((c) => c.Key),
        ["a/1.json", "a/2.json", "a/sub/3.json"],
      );
      assert.strictEqual(byPrefix.Contents![0].Size, "a/1.json".length);
      const grouped = await ctx.s3.send(
        new ListObjectsV2Command({ Bucket: "bucket-one", Delimiter: "/" }),
      );
      assert.deepStrictEqual(
        grouped.Contents!.map((c) => c.Key),
        ["top.json"],
      );
      assert.deepStrictEqual(
        grouped.CommonPrefixes!.map((p) => p.Prefix),
        ["a/", "b/", "with space/"],
      );
      const nested = await ctx.s3.send(
        new ListObjectsV2Command({ Bucket: "bucket-one", Prefix: "a/", Delimiter: "/" }),
      );
      assert.deepStrictEqual(
        nested.CommonPrefixes!.map((p) => p.Prefix),
        ["a/sub/"],
      );
    });

    it("pages with max-keys and continuation tokens", async () => {
      const keys: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await ctx.s3.send(
          new ListObjectsV2Command({ Bucket: "bucket-one", MaxKeys: 2, ContinuationToken: token }),
        );
        assert.ok(page.KeyCount! <= 2);
        keys.push(...(page.Contents ?? []).map((c) => c.Key!));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
        pages++;
      } while (token);
      assert.strictEqual(pages, 3);
      assert.deepStrictEqual(keys, [
        "a/1.json",
        "a/2.json",
        "a/sub/3.json",
        "b/4.json",
        "top.json",
        "with space/5.json",
      ]);
      const after = await ctx.s3.send(
        new ListObjectsV2Command({ Bucket: "bucket-one", StartAfter: "b/4.json" }),
      );
      assert.deepStrictEqual(
        after.Contents!.map((c) => c.Key),
        ["top.json", "with space/5.json"],
      );
    });
  });

  it("answers 413 for bodies over the S3 limit", async () => {
    const small = await startTestEmulator({ maxBodyBytes: { s3: 1024 } });
    try {
      await small.s3.send(new CreateBucketCommand({ Bucket: "bucket-one" }));
      const e = await rejects(
        small.s3.send(
          new PutObjectCommand({ Bucket: "bucket-one", Key: "big", Body: Buffer.alloc(4096) }),
        ),
        "EntityTooLarge",
      );
      assert.strictEqual(e.$metadata.httpStatusCode, 413);
    } finally {
      await stopTestEmulator(small);
    }
  });
});
