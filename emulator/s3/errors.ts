// S3's errors as the service sends them: an XML body with Code, Message, the extra members and
// the request id (no body for HEAD).
import { HttpReply } from "../protocol/http";
import { escapeXml } from "./xml";

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

export function s3ErrorResponse(e: S3Error, requestId: string, headOnly = false): HttpReply {
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
