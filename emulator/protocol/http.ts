// HTTP messages as every part of the emulator reads and writes them: a request body read up to a
// limit, one value of a header, a reply (status, headers, body) and how it is sent.
import { IncomingMessage, ServerResponse } from "http";
import { Query } from "./query";

export type HeaderMap = Record<string, string | string[] | undefined>;

/** A request as a service handler sees it, after the pipeline read and authenticated it. */
export interface ServiceRequest {
  method: string;
  rawPath: string;
  query: Query;
  headers: HeaderMap;
  body: Buffer;
  requestId: string;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/**
 * What a service makes of a request: the operation it names and how to answer it (run after the
 * request hooks), or an answer at once (a request no operation serves, counted as `countAs`).
 */
export type ServiceCall =
  { operation: string; run: () => HttpReply } | { reply: HttpReply; countAs?: string };

/** The first value of a header (Node joins most repeated headers, but not all). */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function jsonReply(status: number, body: unknown): HttpReply {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

export function sendReply(res: ServerResponse, reply: HttpReply): void {
  const body =
    reply.body === undefined
      ? undefined
      : Buffer.isBuffer(reply.body)
        ? reply.body
        : Buffer.from(reply.body);
  const headers: Record<string, string> = { ...reply.headers };
  if (body !== undefined) headers["content-length"] = String(body.length);
  res.writeHead(reply.status, headers);
  res.end(body);
}

export interface BodyResult {
  body: Buffer;
  tooLarge: boolean;
}

/**
 * Reads a request body up to a limit. Past the limit the rest is drained and dropped (up to a
 * bound), so the client still reads our 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > limit * 4) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () =>
      resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }),
    );
    req.on("close", () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on("error", reject);
  });
}
