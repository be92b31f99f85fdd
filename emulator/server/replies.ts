// How the service side of the pipeline answers: every reply carries the request id, errors come
// in the format of the service the request was for (Panorama's JSON, S3's XML), and URLs are
// logged without the credentials a presigned-style query may carry.
import { ServerResponse } from "http";
import { HttpReply, sendReply } from "../protocol/http";
import { PanoramaError, panoramaErrorReply } from "../protocol/errors";
import { S3Error, s3ErrorResponse } from "../s3/errors";

export type Service = "panorama" | "s3";

/** Builds an error reply of `service` with this code, status, message and extra members. */
export type FailureReply = (
  code: string,
  status: number,
  message: string,
  members?: Record<string, unknown>,
) => HttpReply;

export function failureReply(service: Service, requestId: string, method: string): FailureReply {
  return (code, status, message, members) =>
    service === "s3"
      ? s3ErrorResponse(
          new S3Error(code, status, message, stringMembers(members)),
          requestId,
          method === "HEAD",
        )
      : panoramaErrorReply(new PanoramaError(code, message, members, status));
}

/** Sends a service reply with the request id both SDK families read. */
export function finish(
  res: ServerResponse,
  requestId: string,
  reply: HttpReply,
  extra: Record<string, string> = {},
): void {
  sendReply(res, {
    ...reply,
    headers: {
      ...reply.headers,
      ...extra,
      "x-amzn-requestid": requestId,
      "x-amz-request-id": requestId,
    },
  });
}

/** The URL for the log, with credentials a client may put in the query (presigned style) blanked. */
export function loggedUrl(url: string | undefined): string {
  return (url ?? "/").replace(
    /([?&]X-Amz-(?:Security-Token|Signature|Credential)=)[^&]*/gi,
    "$1REDACTED",
  );
}

function stringMembers(
  members: Record<string, unknown> | undefined,
): Record<string, string> | undefined {
  return (
    members &&
    Object.fromEntries(
      Object.entries(members).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    )
  );
}
