// The slice of S3 that Panorama workflows need, path-style (`/bucket/key`): buckets, objects and
// ListObjectsV2, with S3's XML bodies and error codes. Bodies may arrive plain (optionally with
// Content-MD5) or aws-chunked with trailing checksums; the decoded bytes are stored.
import { Runtime } from "../state/runtime";
import { decodeAwsChunked, ChunkedBodyError } from "./awsChunked";
import { CHECKSUM_HEADERS, computeChecksum, md5Base64 } from "./checksums";
import { ensureBucket, getObject, listObjects, objectBody, putObject } from "./store";
import { escapeXml, xmlDocument, XmlNode } from "./xml";
import { first, Query } from "../protocol/query";

export interface S3Request {
  method: string;
  rawPath: string;
  query: Query;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  requestId: string;
}

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

export class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface S3Route {
  operation: string;
  bucket?: string;
  key?: string;
}

const MAX_KEY_BYTES = 1024;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Query keys that select S3 features the emulator does not have. */
const UNSUPPORTED_SUBRESOURCES = [
  "uploads",
  "uploadId",
  "tagging",
  "acl",
  "versioning",
  "policy",
  "cors",
  "lifecycle",
  "website",
  "delete",
  "restore",
  "select",
  "retention",
  "legal-hold",
  "object-lock",
  "encryption",
  "replication",
  "notification",
  "logging",
  "accelerate",
  "requestPayment",
  "analytics",
  "metrics",
  "inventory",
  "intelligent-tiering",
  "ownershipControls",
  "publicAccessBlock",
  "attributes",
  "torrent",
  "versions",
];

/** Names the operation (for counting and hooks) without touching state. */
export function routeS3(method: string, rawPath: string, query: Query): S3Route {
  const slash = rawPath.indexOf("/", 1);
  const rawBucket = slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash);
  const rawKey = slash < 0 ? "" : rawPath.slice(slash + 1);
  const bucket = rawBucket ? decode(rawBucket) : undefined;
  const key = rawKey ? decode(rawKey) : undefined;
  const unsupported = Object.keys(query).find((k) => UNSUPPORTED_SUBRESOURCES.includes(k));
  if (unsupported) return { operation: `Unsupported(${unsupported})`, bucket, key };
  if (!bucket) return { operation: method === "GET" ? "ListBuckets" : "Unsupported", bucket, key };
  if (key === undefined) {
    if (method === "GET" && "location" in query) return { operation: "GetBucketLocation", bucket };
    const byMethod: Record<string, string> = {
      PUT: "CreateBucket",
      HEAD: "HeadBucket",
      DELETE: "DeleteBucket",
      GET: first(query, "list-type") === "2" ? "ListObjectsV2" : "ListObjects",
    };
    return { operation: byMethod[method] ?? "Unsupported", bucket };
  }
  const byMethod: Record<string, string> = {
    PUT: "PutObject",
    GET: "GetObject",
    HEAD: "HeadObject",
    DELETE: "DeleteObject",
  };
  return { operation: byMethod[method] ?? "Unsupported", bucket, key };
}

export function handleS3(rt: Runtime, route: S3Route, req: S3Request): S3Response {
  try {
    return dispatch(rt, route, req);
  } catch (e) {
    if (e instanceof S3Error) return s3ErrorResponse(e, req.requestId, req.method === "HEAD");
    throw e;
  }
}

function dispatch(rt: Runtime, route: S3Route, req: S3Request): S3Response {
  const { bucket, key } = route;
  if (route.operation.startsWith("Unsupported"))
    throw new S3Error(
      "NotImplemented",
      501,
      `The S3 emulator does not implement ${req.method} ${req.rawPath}${route.operation.includes("(") ? ` with ?${route.operation.slice(12, -1)}` : ""}.`,
    );
  if (route.operation === "ListBuckets") return listBuckets(rt);
  if (key !== undefined) checkKey(key);
  switch (route.operation) {
    case "CreateBucket":
      return createBucket(rt, bucket!);
    case "HeadBucket":
      requireBucket(rt, bucket!);
      return { status: 200, headers: { "x-amz-bucket-region": rt.options.region } };
    case "DeleteBucket": {
      const b = requireBucket(rt, bucket!);
      if (Object.keys(b.objects).length)
        throw new S3Error("BucketNotEmpty", 409, "The bucket you tried to delete is not empty.", {
          BucketName: bucket!,
        });
      delete rt.state.buckets[bucket!];
      rt.dirty = true;
      return { status: 204, headers: {} };
    }
    case "GetBucketLocation":
      requireBucket(rt, bucket!);
      // us-east-1 is the empty location constraint.
      return {
        status: 200,
        headers: { "content-type": "application/xml" },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rt.options.region === "us-east-1" ? "" : escapeXml(rt.options.region)}</LocationConstraint>`,
      };
    case "ListObjectsV2":
    case "ListObjects":
      return list(rt, bucket!, req.query, route.operation === "ListObjectsV2");
    case "PutObject":
      return putObjectFromRequest(rt, bucket!, key!, req);
    case "GetObject":
    case "HeadObject":
      return readObject(rt, bucket!, key!, req, route.operation === "HeadObject");
    case "DeleteObject":
      requireBucket(rt, bucket!);
      delete rt.state.buckets[bucket!].objects[key!];
      rt.dirty = true;
      return { status: 204, headers: {} };
  }
  throw new S3Error(
    "NotImplemented",
    501,
    `The S3 emulator does not implement ${route.operation}.`,
  );
}

function listBuckets(rt: Runtime): S3Response {
  const names = Object.keys(rt.state.buckets).sort();
  return xml(200, "ListAllMyBucketsResult", {
    Owner: { ID: rt.options.accountId, DisplayName: "emulator" },
    Buckets: {
      Bucket: names.map((n) => ({
        Name: n,
        CreationDate: new Date(rt.state.buckets[n].createdAt).toISOString(),
      })),
    },
  });
}

function createBucket(rt: Runtime, bucket: string): S3Response {
  if (!BUCKET_NAME.test(bucket) || bucket.includes(".."))
    throw new S3Error("InvalidBucketName", 400, "The specified bucket is not valid.", {
      BucketName: bucket,
    });
  if (rt.state.buckets[bucket])
    throw new S3Error(
      "BucketAlreadyOwnedByYou",
      409,
      "Your previous request to create the named bucket succeeded and you already own it.",
      { BucketName: bucket },
    );
  ensureBucket(rt.state, bucket, rt.clock.now());
  rt.dirty = true;
  return { status: 200, headers: { location: `/${bucket}` } };
}

function requireBucket(rt: Runtime, bucket: string) {
  const b = rt.state.buckets[bucket];
  if (!b)
    throw new S3Error("NoSuchBucket", 404, "The specified bucket does not exist.", {
      BucketName: bucket,
    });
  return b;
}

function checkKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw new S3Error("KeyTooLongError", 400, "Your key is too long.");
  if (key.split("/").some((s) => s === ".." || s === "."))
    throw new S3Error(
      "InvalidArgument",
      400,
      `Object key ${JSON.stringify(key)} has a '.' or '..' path segment; the emulator refuses path traversal.`,
    );
}

function putObjectFromRequest(
  rt: Runtime,
  bucket: string,
  key: string,
  req: S3Request,
): S3Response {
  requireBucket(rt, bucket);
  if (header(req, "x-amz-copy-source"))
    throw new S3Error("NotImplemented", 501, "The S3 emulator does not implement CopyObject.");
  let data = req.body;
  let trailers: Record<string, string> = {};
  const sha = header(req, "x-amz-content-sha256") ?? "";
  const encodings = (header(req, "content-encoding") ?? "").split(",").map((s) => s.trim());
  if (sha.startsWith("STREAMING-") || encodings.includes("aws-chunked")) {
    try {
      ({ data, trailers } = decodeAwsChunked(req.body));
    } catch (e) {
      if (e instanceof ChunkedBodyError) throw new S3Error("IncompleteBody", 400, e.message);
      throw e;
    }
    const declared = header(req, "x-amz-decoded-content-length");
    if (declared !== undefined && Number(declared) !== data.length)
      throw new S3Error(
        "IncompleteBody",
        400,
        `You did not provide the number of bytes specified by x-amz-decoded-content-length (${declared}; got ${data.length}).`,
      );
  }
  const md5 = header(req, "content-md5");
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
    const value = header(req, name) ?? trailers[name];
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
    contentType: header(req, "content-type") ?? "binary/octet-stream",
    metadata,
    checksums,
  });
  rt.dirty = true;
  return { status: 200, headers: { etag: record.etag, ...checksums } };
}

function readObject(
  rt: Runtime,
  bucket: string,
  key: string,
  req: S3Request,
  headOnly: boolean,
): S3Response {
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
  const range = header(req, "range");
  if (range !== undefined) {
    r = parseRange(range, object.size);
    if (!r)
      throw new S3Error("InvalidRange", 416, "The requested range is not satisfiable.", {
        RangeRequested: range,
      });
    headers["content-range"] = `bytes ${r.start}-${r.end}/${object.size}`;
    status = 206;
  } else if (header(req, "x-amz-checksum-mode") === "ENABLED") {
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

function list(rt: Runtime, bucket: string, query: Query, v2: boolean): S3Response {
  const b = requireBucket(rt, bucket);
  const prefix = first(query, "prefix") ?? "";
  const delimiter = first(query, "delimiter") || undefined;
  const maxKeysText = first(query, "max-keys");
  const maxKeys = maxKeysText === undefined ? 1000 : Number(maxKeysText);
  if (!Number.isInteger(maxKeys) || maxKeys < 0)
    throw new S3Error(
      "InvalidArgument",
      400,
      "Provided max-keys not an integer or within integer range.",
    );
  const urlEncoded = first(query, "encoding-type") === "url";
  const enc = (s: string | undefined) =>
    s === undefined ? undefined : urlEncoded ? encodeURIComponent(s).replace(/%2F/g, "/") : s;

  let after: string | undefined;
  const continuationToken = first(query, "continuation-token");
  const startAfter = first(query, "start-after");
  const marker = first(query, "marker");
  if (v2 && continuationToken !== undefined) {
    after = decodeContinuation(continuationToken);
    if (after === undefined)
      throw new S3Error("InvalidArgument", 400, "The continuation token provided is incorrect.");
  } else if (v2 && startAfter) after = startAfter;
  else if (!v2 && marker) after = marker;

  const result = listObjects(b, { prefix, delimiter, maxKeys: Math.min(maxKeys, 1000), after });
  const contents = result.contents.map(({ key, object }) => ({
    Key: enc(key),
    LastModified: new Date(object.lastModified).toISOString(),
    ETag: object.etag,
    Size: object.size,
    StorageClass: "STANDARD",
  }));
  const commonPrefixes = result.commonPrefixes.map((p) => ({ Prefix: enc(p) }));
  const next =
    result.isTruncated && result.lastReturned !== undefined ? result.lastReturned : undefined;
  const common = {
    Name: bucket,
    Prefix: enc(prefix),
    Delimiter: enc(delimiter),
    MaxKeys: maxKeys,
    EncodingType: urlEncoded ? "url" : undefined,
  };
  const body: XmlNode = v2
    ? {
        ...common,
        KeyCount: contents.length + commonPrefixes.length,
        IsTruncated: result.isTruncated,
        ContinuationToken: continuationToken,
        NextContinuationToken:
          next === undefined ? undefined : Buffer.from(next, "utf8").toString("base64url"),
        StartAfter: enc(startAfter),
        Contents: contents,
        CommonPrefixes: commonPrefixes,
      }
    : {
        ...common,
        Marker: enc(marker ?? ""),
        IsTruncated: result.isTruncated,
        NextMarker: delimiter ? enc(next) : undefined,
        Contents: contents,
        CommonPrefixes: commonPrefixes,
      };
  return xml(200, "ListBucketResult", body);
}

function decodeContinuation(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) return undefined;
  const key = Buffer.from(token, "base64url").toString("utf8");
  return Buffer.from(key, "utf8").toString("base64url") === token ? key : undefined;
}

function xml(status: number, root: string, body: XmlNode): S3Response {
  return { status, headers: { "content-type": "application/xml" }, body: xmlDocument(root, body) };
}

export function s3ErrorResponse(e: S3Error, requestId: string, headOnly = false): S3Response {
  const extra = Object.entries(e.extra)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join("");
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message>${extra}<RequestId>${requestId}</RequestId><HostId>emulator</HostId></Error>`;
  return {
    status: e.status,
    headers: { "content-type": "application/xml" },
    body: headOnly ? undefined : body,
  };
}

function header(req: S3Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new S3Error("InvalidURI", 400, "Couldn't parse the specified URI.");
  }
}
