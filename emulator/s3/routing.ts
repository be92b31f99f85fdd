// Which S3 operation a request names, path-style (`/bucket/key`) or virtual-hosted
// (`<bucket>.localhost`), without touching the state: for counting, request hooks and fault rules.
import { first, Query } from "../protocol/query";
import { S3Error } from "./errors";

/** The S3 operations the emulator serves (fault rules name them). */
export const S3_OPERATIONS = [
  "ListBuckets",
  "GetBucketLocation",
  "CreateBucket",
  "HeadBucket",
  "DeleteBucket",
  "ListObjects",
  "ListObjectsV2",
  "PutObject",
  "GetObject",
  "HeadObject",
  "DeleteObject",
] as const;
export type S3Operation = (typeof S3_OPERATIONS)[number];

export interface S3Route {
  /** An S3 operation, or `Unsupported` / `Unsupported(<subresource>)`. */
  operation: S3Operation | "Unsupported" | `Unsupported(${string})`;
  bucket?: string;
  key?: string;
}

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
    const byMethod: Record<string, S3Operation> = {
      PUT: "CreateBucket",
      HEAD: "HeadBucket",
      DELETE: "DeleteBucket",
      GET: first(query, "list-type") === "2" ? "ListObjectsV2" : "ListObjects",
    };
    return { operation: byMethod[method] ?? "Unsupported", bucket };
  }
  const byMethod: Record<string, S3Operation> = {
    PUT: "PutObject",
    GET: "GetObject",
    HEAD: "HeadObject",
    DELETE: "DeleteObject",
  };
  return { operation: byMethod[method] ?? "Unsupported", bucket, key };
}

/** Virtual-hosted style (`<bucket>.localhost:port`) becomes the equivalent path-style path. */
export function s3Path(host: string | undefined, rawPath: string): string {
  const m = host ? /^([a-z0-9][a-z0-9.-]*)\.localhost(:\d+)?$/.exec(host) : null;
  return m ? `/${m[1]}${rawPath}` : rawPath;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new S3Error("InvalidURI", 400, "Couldn't parse the specified URI.");
  }
}
