// Raw HTTP to the emulator, signed with SigV4 as the SDKs sign (or unsigned, or tampered with
// after signing), for wire-level assertions the SDK clients would hide.
import * as http from "http";
import { SignatureV4 } from "@smithy/signature-v4";
import { RunningEmulator } from "../../emulator";
import { NodeSha256 } from "../../emulator/protocol/sigv4";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): any;
}

export interface RawRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sign for this service; undefined sends the request unsigned. */
  service?: "panorama" | "s3";
  credentials?: { accessKeyId: string; secretAccessKey: string };
  signingDate?: Date;
  /** Sign without the x-amz-content-sha256 header, so the body hash is only inside the signature. */
  noContentSha256?: boolean;
  /** Replaces the body after signing (to test tampering). */
  bodyAfterSigning?: string | Buffer;
}

export async function raw(emu: RunningEmulator, r: RawRequest): Promise<RawResponse> {
  const url = new URL(emu.url);
  const search = Object.entries(r.query ?? {})
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`),
    )
    .join("&");
  let headers: Record<string, string> = { host: url.host, ...(r.headers ?? {}) };
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  if (body) headers["content-length"] = String(body.length);
  if (r.service) {
    const signer = new SignatureV4({
      credentials: r.credentials ?? emu.credentials,
      region: emu.region,
      service: r.service,
      sha256: NodeSha256,
      uriEscapePath: r.service !== "s3",
      applyChecksum: !r.noContentSha256,
    });
    const signed = await signer.sign(
      {
        method: r.method,
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: r.path,
        query: r.query ?? {},
        headers,
        body,
      },
      { signingDate: r.signingDate },
    );
    headers = signed.headers as Record<string, string>;
  }
  const finalBody = r.bodyAfterSigning === undefined ? body : Buffer.from(r.bodyAfterSigning);
  if (finalBody) headers["content-length"] = String(finalBody.length);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path + (search ? `?${search}` : ""),
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
      },
    );
    req.on("error", reject);
    req.end(finalBody);
  });
}
