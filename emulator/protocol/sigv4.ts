// SigV4 verification: rebuild the canonical request from what arrived on the wire, sign it again
// with the configured secret through @smithy/signature-v4 (the signer the SDKs use) and compare.
// The credential scope's service (`panorama` or `s3`) also decides which API answers.
import { createHash, createHmac, timingSafeEqual } from "crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { HeaderMap, headerValue } from "./http";
import { Query } from "./query";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SigV4FailureCode =
  | "MissingAuthenticationToken"
  | "IncompleteSignature"
  | "InvalidAccessKeyId"
  | "SignatureDoesNotMatch"
  | "RequestTimeTooSkewed"
  | "XAmzContentSHA256Mismatch";

export type SigV4Result =
  | { ok: true; service: string; region: string }
  | { ok: false; code: SigV4FailureCode; message: string; service?: string; skew?: SigningSkew };

/** A signing time outside MAX_SKEW_MS: what the request said and when it was checked. */
export interface SigningSkew {
  amzDate: string;
  now: number;
}

export interface SignedRequest {
  method: string;
  rawPath: string;
  query: Query;
  headers: HeaderMap;
  /** The body exactly as received (still aws-chunked for streaming uploads). */
  body: Buffer;
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** AWS allows 15 minutes between the signing clock and the service clock. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/;

/** Reads the signing service from the Authorization header without verifying anything. */
export function scopeService(authorization: string | undefined): string | undefined {
  const m = authorization ? AUTH_PATTERN.exec(authorization) : null;
  return m?.[1].split("/")[3];
}

/** How the check treats access key ids it does not know. */
export interface SigV4Policy {
  /**
   * Accept any access key id (LocalStack's `test`/`test`, a developer's own profile). Its secret
   * is unknown here, so such a request is checked for everything but the signature value: a
   * well-formed Authorization header and credential scope, a region-shaped scope region, an
   * X-Amz-Date within 15 minutes that matches the scope date, `host` and `x-amz-date` among the
   * signed headers (all present), a 64-hex signature and the body's x-amz-content-sha256. The
   * configured access key id is still verified in full. @default false
   */
  acceptAnyAccessKey?: boolean;
}

/** The flag that turns SigV4Policy.acceptAnyAccessKey on, for messages. */
export const ACCEPT_ANY_KEY_FLAG = "--accept-any-key";

export async function verifySigV4(
  req: SignedRequest,
  credentials: Credentials,
  now: number,
  policy: SigV4Policy = {},
): Promise<SigV4Result> {
  const authorization = headerValue(req.headers, "authorization");
  if (!authorization) {
    if (req.query["X-Amz-Signature"])
      return fail(
        "SignatureDoesNotMatch",
        "Presigned URLs are not supported by the emulator; sign the request with an Authorization header.",
      );
    return fail(
      "MissingAuthenticationToken",
      "Request is missing Authentication Token (an AWS SigV4 Authorization header).",
    );
  }
  const m = AUTH_PATTERN.exec(authorization);
  if (!m)
    return fail(
      "IncompleteSignature",
      "The Authorization header is not a well-formed AWS4-HMAC-SHA256 signature.",
    );
  const [, credential, signedHeaderList, signature] = m;
  const scope = credential.split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request")
    return fail(
      "IncompleteSignature",
      `The credential scope ${credential} is not <key>/<date>/<region>/<service>/aws4_request.`,
    );
  const [accessKeyId, scopeDate, region, service] = scope;

  const knownKey = accessKeyId === credentials.accessKeyId;
  if (!knownKey && !policy.acceptAnyAccessKey)
    return fail(
      "InvalidAccessKeyId",
      `The AWS access key id ${accessKeyId} does not exist in the emulator's records. ` +
        `Sign with the emulator's access key id ${credentials.accessKeyId}, or start it with ${ACCEPT_ANY_KEY_FLAG} to accept any key.`,
      service,
    );
  if (!knownKey && !REGION_PATTERN.test(region))
    return fail(
      "IncompleteSignature",
      `The credential scope region ${JSON.stringify(region)} is not a region like us-east-1.`,
      service,
    );

  const amzDate = headerValue(req.headers, "x-amz-date");
  const signedAt = amzDate ? parseAmzDate(amzDate) : undefined;
  if (signedAt === undefined)
    return fail("IncompleteSignature", "The request has no valid X-Amz-Date header.", service);
  if (Math.abs(now - signedAt.getTime()) > MAX_SKEW_MS)
    return {
      ok: false,
      code: "RequestTimeTooSkewed",
      message: `The difference between the request time (${amzDate}) and the current time (${toAmzDate(new Date(now))}) is more than 15 minutes.`,
      service,
      skew: { amzDate: amzDate!, now },
    };
  if (amzDate!.slice(0, 8) !== scopeDate)
    return fail(
      "SignatureDoesNotMatch",
      `The credential scope date ${scopeDate} does not match X-Amz-Date ${amzDate}.`,
      service,
    );

  const declaredHash = headerValue(req.headers, "x-amz-content-sha256");
  if (declaredHash && /^[0-9a-f]{64}$/.test(declaredHash)) {
    const actual = createHash("sha256").update(req.body).digest("hex");
    if (actual !== declaredHash)
      return fail(
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        service,
      );
  }

  const signedHeaders = signedHeaderList.split(";");
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = req.headers[name];
    if (value === undefined)
      return fail(
        "SignatureDoesNotMatch",
        `Signed header ${name} is missing from the request.`,
        service,
      );
    headers[name] = Array.isArray(value) ? value.join(",") : value;
  }

  if (!knownKey) {
    // Any key: the secret is unknown, so the signature is checked for shape only.
    const unsigned = ["host", "x-amz-date"].filter((h) => !signedHeaders.includes(h));
    if (unsigned.length)
      return fail(
        "SignatureDoesNotMatch",
        `The request does not sign ${unsigned.join(" and ")}; a SigV4 signature covers them.`,
        service,
      );
    if (!/^[0-9a-f]{64}$/.test(signature))
      return fail("IncompleteSignature", "The signature is not 64 hexadecimal digits.", service);
    return { ok: true, service, region };
  }

  const signer = new SignatureV4({
    credentials,
    region,
    service,
    sha256: NodeSha256,
    // S3 signs the path as sent; every other service signs it percent-encoded once more.
    uriEscapePath: service !== "s3",
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: "http:",
      hostname: String(headers.host ?? ""),
      path: req.rawPath,
      query: Object.fromEntries(
        Object.entries(req.query).map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
      ),
      headers,
      body: req.body,
    },
    { signingDate: signedAt, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? "";
  if (!sameSecret(expected, signature))
    return fail(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
      service,
    );
  return { ok: true, service, region };
}

/**
 * The message of the 403 InvalidSignatureException that AWS's JSON front door (Panorama's too)
 * answers a request signed too long ago or too far ahead; the AWS SDKs recognise it as clock skew,
 * correct their clock offset and sign again.
 */
export function signatureTimeMessage(skew: SigningSkew): string {
  const now = toAmzDate(new Date(skew.now));
  if (parseAmzDate(skew.amzDate)!.getTime() < skew.now)
    return `Signature expired: ${skew.amzDate} is now earlier than ${toAmzDate(new Date(skew.now - MAX_SKEW_MS))} (${now} - 15 min.)`;
  return `Signature not yet current: ${skew.amzDate} is still later than ${toAmzDate(new Date(skew.now + MAX_SKEW_MS))} (${now} + 15 min.)`;
}

function fail(code: SigV4FailureCode, message: string, service?: string): SigV4Result {
  return { ok: false, code, message, service };
}

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function toAmzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Compares two secrets in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The hash constructor shape @smithy/signature-v4 expects, backed by node:crypto. */
export class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Buffer {
  if (typeof data === "string") return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
