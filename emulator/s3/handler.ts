// The slice of S3 that Panorama workflows need: buckets, objects and listings, with S3's XML
// bodies and error codes. Routing is in routing.ts; objects.ts and listing.ts answer the object
// and listing operations.
import { HttpReply, ServiceCall, ServiceRequest, headerValue } from "../protocol/http";
import { Runtime } from "../state/runtime";
import { S3Error, s3ErrorResponse } from "./errors";
import { listObjectsReply } from "./listing";
import { putObjectFromRequest, readObject } from "./objects";
import { routeS3, S3Route, s3Path } from "./routing";
import { ensureBucket, requireBucket } from "./store";
import { escapeXml, xmlReply } from "./xml";

const MAX_KEY_BYTES = 1024;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Names the operation a signed S3 request is for, and how to answer it. */
export function routeS3Request(rt: Runtime, req: ServiceRequest): ServiceCall {
  let route: S3Route;
  try {
    route = routeS3(req.method, s3Path(headerValue(req.headers, "host"), req.rawPath), req.query);
  } catch (e) {
    if (e instanceof S3Error)
      return { reply: s3ErrorResponse(e, req.requestId, req.method === "HEAD") };
    throw e;
  }
  return { operation: route.operation, run: () => handleS3(rt, route, req) };
}

function handleS3(rt: Runtime, route: S3Route, req: ServiceRequest): HttpReply {
  try {
    return dispatch(rt, route, req);
  } catch (e) {
    if (e instanceof S3Error) return s3ErrorResponse(e, req.requestId, req.method === "HEAD");
    throw e;
  }
}

function dispatch(rt: Runtime, route: S3Route, req: ServiceRequest): HttpReply {
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
      return listObjectsReply(rt, bucket!, req.query, route.operation === "ListObjectsV2");
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

function listBuckets(rt: Runtime): HttpReply {
  const names = Object.keys(rt.state.buckets).sort();
  return xmlReply(200, "ListAllMyBucketsResult", {
    Owner: { ID: rt.options.accountId, DisplayName: "emulator" },
    Buckets: {
      Bucket: names.map((n) => ({
        Name: n,
        CreationDate: new Date(rt.state.buckets[n].createdAt).toISOString(),
      })),
    },
  });
}

function createBucket(rt: Runtime, bucket: string): HttpReply {
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
