// The SigV4 check of every service request, and the refusal each service answers when it fails:
// S3's error codes, or Panorama's AccessDeniedException (InvalidSignatureException for a clock
// skew, which the AWS SDKs recognise, correct their clock offset for and sign again).
import { HttpReply } from "../protocol/http";
import { Query } from "../protocol/query";
import {
  Credentials,
  SigV4FailureCode,
  SigV4Policy,
  signatureTimeMessage,
  verifySigV4,
} from "../protocol/sigv4";
import { FailureReply, Service } from "./replies";

export interface Refusal {
  reply: HttpReply;
  headers: Record<string, string>;
  /** For the log: why the signature was refused. */
  code?: SigV4FailureCode;
}

/** Verifies the signature; a refusal to send back, or undefined when the request may go on. */
export async function authenticate(
  req: {
    method: string;
    rawPath: string;
    query: Query;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  },
  service: Service,
  credentials: Credentials,
  fail: FailureReply,
  policy: SigV4Policy = {},
): Promise<Refusal | undefined> {
  const auth = await verifySigV4(req, credentials, Date.now(), policy);
  if (!auth.ok) {
    const reply =
      service === "s3"
        ? fail(s3AuthCode(auth.code), 403, auth.message)
        : auth.skew
          ? fail("InvalidSignatureException", 403, signatureTimeMessage(auth.skew))
          : fail("AccessDeniedException", 403, auth.message);
    return { reply, headers: { "x-emulator-auth-failure": auth.code }, code: auth.code };
  }
  if (auth.service !== "panorama" && auth.service !== "s3")
    return {
      reply: fail(
        "AccessDeniedException",
        403,
        `The emulator serves the panorama and s3 signing names, not ${auth.service}.`,
      ),
      headers: {},
    };
  return undefined;
}

function s3AuthCode(code: SigV4FailureCode): string {
  return code === "MissingAuthenticationToken" || code === "IncompleteSignature"
    ? "AccessDenied"
    : code;
}
