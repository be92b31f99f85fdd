// ListObjects and ListObjectsV2 answers: prefix, delimiter, max-keys, markers and continuation
// tokens, optionally URL-encoded, as S3's XML.
import { HttpReply } from "../protocol/http";
import { first, Query } from "../protocol/query";
import { Runtime } from "../state/runtime";
import { S3Error } from "./errors";
import { listObjects, requireBucket } from "./store";
import { XmlNode, xmlReply } from "./xml";

export function listObjectsReply(
  rt: Runtime,
  bucket: string,
  query: Query,
  v2: boolean,
): HttpReply {
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
  return xmlReply(200, "ListBucketResult", body);
}

function decodeContinuation(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) return undefined;
  const key = Buffer.from(token, "base64url").toString("utf8");
  return Buffer.from(key, "utf8").toString("base64url") === token ? key : undefined;
}
