// The emulator's S3 data: buckets and objects as plain records in the emulator state (bodies in
// the blob store), with the listing rules of ListObjectsV2 (prefix, delimiter, max-keys,
// continuation after a key).
import { createHash } from "crypto";
import { Runtime } from "../state/runtime";
import { S3BucketRecord, S3ObjectRecord } from "../state/records";
import { dict, EmulatorState } from "../state/state";
import { S3Error } from "./errors";

export function ensureBucket(state: EmulatorState, name: string, now: number): S3BucketRecord {
  return (state.buckets[name] ??= { createdAt: now, objects: dict() });
}

/** The bucket, or S3's NoSuchBucket. */
export function requireBucket(rt: Runtime, bucket: string): S3BucketRecord {
  const b = rt.state.buckets[bucket];
  if (!b)
    throw new S3Error("NoSuchBucket", 404, "The specified bucket does not exist.", {
      BucketName: bucket,
    });
  return b;
}

export function getObject(
  state: EmulatorState,
  bucket: string,
  key: string,
): S3ObjectRecord | undefined {
  return state.buckets[bucket]?.objects[key];
}

export interface PutObjectInput {
  data: Buffer;
  contentType?: string;
  metadata?: Record<string, string>;
  checksums?: Record<string, string>;
}

export function putObject(
  rt: Runtime,
  bucket: string,
  key: string,
  input: PutObjectInput,
  now = rt.clock.now(),
): S3ObjectRecord {
  const b = rt.state.buckets[bucket];
  if (!b) throw new Error(`Bucket ${bucket} does not exist`);
  const record: S3ObjectRecord = {
    sha256: rt.blobs.put(input.data),
    size: input.data.length,
    etag: `"${createHash("md5").update(input.data).digest("hex")}"`,
    contentType: input.contentType ?? "application/octet-stream",
    lastModified: now,
    metadata: input.metadata ?? {},
    checksums: input.checksums ?? {},
  };
  b.objects[key] = record;
  return record;
}

/** The object's body, or only bytes `[start, end]` of it. */
export function objectBody(
  rt: Runtime,
  object: S3ObjectRecord,
  range?: { start: number; end: number },
): Buffer {
  return rt.blobs.get(object.sha256, range);
}

export function deleteObjectsUnder(state: EmulatorState, bucket: string, prefix: string): number {
  const b = state.buckets[bucket];
  if (!b) return 0;
  let n = 0;
  for (const key of Object.keys(b.objects)) {
    if (key.startsWith(prefix)) {
      delete b.objects[key];
      n++;
    }
  }
  return n;
}

export function hasObjectsUnder(state: EmulatorState, bucket: string, prefix: string): boolean {
  const b = state.buckets[bucket];
  return !!b && Object.keys(b.objects).some((k) => k.startsWith(prefix));
}

export interface ListRequest {
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  /** List keys strictly after this one. */
  after?: string;
}

export interface ListResult {
  contents: { key: string; object: S3ObjectRecord }[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned, to continue after. */
  lastReturned?: string;
}

export function listObjects(bucket: S3BucketRecord, req: ListRequest): ListResult {
  const keys = Object.keys(bucket.objects)
    .filter((k) => k.startsWith(req.prefix))
    .sort(compareKeys);
  const contents: ListResult["contents"] = [];
  const commonPrefixes: string[] = [];
  let lastReturned: string | undefined;
  let isTruncated = false;
  for (const key of keys) {
    let entry = key;
    let isPrefix = false;
    if (req.delimiter) {
      const at = key.indexOf(req.delimiter, req.prefix.length);
      if (at >= 0) {
        entry = key.slice(0, at + req.delimiter.length);
        isPrefix = true;
      }
    }
    if (req.after !== undefined && compareKeys(entry, req.after) <= 0) continue;
    if (isPrefix && commonPrefixes[commonPrefixes.length - 1] === entry) continue;
    if (contents.length + commonPrefixes.length >= req.maxKeys) {
      isTruncated = true;
      break;
    }
    if (isPrefix) commonPrefixes.push(entry);
    else contents.push({ key, object: bucket.objects[key] });
    lastReturned = entry;
  }
  return { contents, commonPrefixes, isTruncated, lastReturned };
}

/** S3 orders keys by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
