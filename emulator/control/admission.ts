// Who may use the `/_emulator/` control API. It can wipe and read the whole state (secret tag
// values included), so a web page must not reach it: not by a cross-site POST (Origin, and a JSON
// content type, which a page can only send after a CORS preflight the emulator never grants), and
// not by DNS rebinding (a loopback Host). A configured bearer token replaces the Host and client
// address checks for deliberate use from another machine.
import type { IncomingHttpHeaders } from "http";
import { headerValue } from "../protocol/http";
import { sameSecret } from "../protocol/sigv4";

export interface ControlRequest {
  method: string;
  /** The path after `/_emulator`, still %-encoded. */
  rawPath: string;
  headers: IncomingHttpHeaders;
  remoteAddress: string | undefined;
}

export type Refusal = {
  ok: false;
  status: number;
  error: string;
  headers?: Record<string, string>;
};
export type Admission = { ok: true; segments: string[] } | Refusal;

/** Decides whether a control request is answered, before its body is read. */
export function admitControlRequest(req: ControlRequest, token: string | undefined): Admission {
  const origin = headerValue(req.headers, "origin");
  if (origin !== undefined && !isLoopbackOrigin(origin))
    return refuse(
      403,
      `The control API does not answer requests from web pages (Origin ${origin}); it only serves local tools.`,
    );
  if (token !== undefined) {
    const sent = /^Bearer (\S+)$/i.exec(headerValue(req.headers, "authorization") ?? "")?.[1];
    if (sent === undefined || !sameSecret(sent, token))
      return {
        ...refuse(
          401,
          "The control API needs the header Authorization: Bearer <the emulator's control token>.",
        ),
        headers: { "www-authenticate": 'Bearer realm="panorama-emulator"' },
      };
  } else {
    if (!isLoopbackAddress(req.remoteAddress))
      return refuse(
        403,
        "The control API only answers loopback clients; start the emulator with a control token to use it from elsewhere.",
      );
    const host = headerValue(req.headers, "host");
    if (host === undefined || !isLoopbackHost(host))
      return refuse(
        403,
        `The control API only answers requests addressed to a loopback host (localhost, 127.0.0.1, [::1]), not ${JSON.stringify(host ?? "")}.`,
      );
  }
  if (req.method === "POST" && !isJson(headerValue(req.headers, "content-type")))
    return refuse(
      415,
      "Control POST requests need Content-Type: application/json (an empty body is fine).",
    );
  let segments: string[];
  try {
    segments = req.rawPath.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return refuse(400, `The control path ${JSON.stringify(req.rawPath)} has a malformed %-escape.`);
  }
  return { ok: true, segments };
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/** `localhost`, `127.x.x.x` or `[::1]`, with or without a port. */
export function isLoopbackHost(host: string): boolean {
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d{1,5})?$/.exec(host.trim().toLowerCase());
  if (!m) return false;
  const name = m[1];
  return name === "localhost" || name === "[::1]" || /^127(\.\d{1,3}){3}$/.test(name);
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && isLoopbackHost(url.host);
  } catch {
    return false;
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType.trim());
}

function refuse(status: number, error: string): Refusal {
  return { ok: false, status, error };
}
