// PutObject, GetObject and HeadObject: bodies plain (optionally with Content-MD5) or aws-chunked
// with trailing checksums, stored decoded; flexible checksums verified and echoed on request;
// byte ranges on reads.
import { headerValue, HttpReply, ServiceRequest } from "../protocol/http";
import { Runtime } from "../state/runtime";
import { ChunkedBodyError, decodeAwsChunked } from "./awsChunked";
import { CHECKSUM_HEADERS, computeChecksum, md5Base64 } from "./checksums";
import { S3Error } from "./errors";
import { getObject, objectBody, putObject, requireBucket } from "./store";

export function putObjectFromRequest(
  rt: Runtime,
  bucket: string,
  key: string,
  req: ServiceRequest,
): HttpReply {
  requireBucket(rt, bucket);
  if (headerValue(req.headers, "x-amz-copy-source"))
    throw new S3Error("NotImplemented", 501, "The S3 emulator does not implement CopyObject.");
  let data = req.body;
  let trailers: Record<string, string> = {};
  const sha = headerValue(req.headers, "x-amz-content-sha256") ?? "";
  const encodings = (headerValue(req.headers, "content-encoding") ?? "")
    .split(",")
    .map((s) => s.trim());
  if (sha.startsWith("STREAMING-") || encodings.includes("aws-chunked")) {
    try {
      ({ data, trailers } = decodeAwsChunked(req.body));
    } catch (e) {
      if (e instanceof ChunkedBodyError) throw new S3Error("IncompleteBody", 400, e.message);
      throw e;
    }
    const declared = headerValue(req.headers, "x-amz-decoded-content-length");
    if (declared !== undefined && Number(declared) !== data.length)
      throw new S3Error(
        "IncompleteBody",
        400,
        `You did not provide the number of bytes specified by x-amz-decoded-content-length (${declared}; got ${data.length}).`,
      );
  }
  const md5 = headerValue(req.headers, "content-md5");
  if (md5 !== undefined) {
    if (!/^[A-Za-z0-9+/]{22}==$/.test(md5))
      throw new S3Error("InvalidDigest", 400, "The Content-MD5 you specified is not valid.");
    if (md5Base64(data) !== md5)
      throw new S3Error(
        "BadDigest",
        400,
        "The Content-MD5 you specified did not match what we received.",
      );
  }
  const checksums: Record<string, string> = {};
  for (const name of CHECKSUM_HEADERS) {
    const value = headerValue(req.headers, name) ?? trailers[name];
    if (value === undefined) continue;
    const actual = computeChecksum(name, data);
    if (actual !== undefined && actual !== value)
      throw new S3Error(
        "BadDigest",
        400,
        `The ${name.slice("x-amz-checksum-".length).toUpperCase()} you specified did not match the calculated checksum.`,
      );
    checksums[name] = value;
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (name.startsWith("x-amz-meta-") && typeof value === "string")
      metadata[name.slice("x-amz-meta-".length)] = value;
  const record = putObject(rt, bucket, key, {
    data,
    contentType: headerValue(req.headers, "content-type") ?? "binary/octet-stream",
    metadata,
    checksums,
  });
  rt.dirty = true;
  return { status: 200, headers: { etag: record.etag, ...checksums } };
}

export function readObject(
  rt: Runtime,
  bucket: string,
  key: string,
  req: ServiceRequest,
  headOnly: boolean,
): HttpReply {
  requireBucket(rt, bucket);
  const object = getObject(rt.state, bucket, key);
  if (!object)
    throw new S3Error("NoSuchKey", 404, "The specified key does not exist.", {
      Key: key,
      BucketName: bucket,
    });
  const headers: Record<string, string> = {
    "content-type": object.contentType,
    etag: object.etag,
    "last-modified": new Date(object.lastModified).toUTCString(),
    "accept-ranges": "bytes",
  };
  for (const [name, value] of Object.entries(object.metadata))
    headers[`x-amz-meta-${name}`] = value;
  let status = 200;
  let r: { start: number; end: number } | undefined;
  const range = headerValue(req.headers, "range");
  if (range !== undefined) {
    r = parseRange(range, object.size);
    if (!r)
      throw new S3Error("InvalidRange", 416, "The requested range is not satisfiable.", {
        RangeRequested: range,
      });
    headers["content-range"] = `bytes ${r.start}-${r.end}/${object.size}`;
    status = 206;
  } else if (headerValue(req.headers, "x-amz-checksum-mode") === "ENABLED") {
    Object.assign(headers, object.checksums);
  }
  headers["content-length"] = String(r ? r.end - r.start + 1 : object.size);
  return { status, headers, body: headOnly ? undefined : objectBody(rt, object, r) };
}

function parseRange(text: string, size: number): { start: number; end: number } | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(text.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : undefined;
}
