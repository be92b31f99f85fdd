// Integrity checks S3 clients ask for: Content-MD5 (older clients) and the flexible checksums
// `x-amz-checksum-{crc32,crc32c,sha1,sha256}` (current clients), as header or aws-chunked trailer.
// CRC32 is Node's own (zlib.crc32), CRC32C the AWS SDKs' @aws-crypto/crc32c. CRC64NVME values
// are accepted unverified.
import { crc32c } from "@aws-crypto/crc32c";
import { createHash } from "crypto";
import { crc32 } from "zlib";

export const CHECKSUM_HEADERS = [
  "x-amz-checksum-crc32",
  "x-amz-checksum-crc32c",
  "x-amz-checksum-sha1",
  "x-amz-checksum-sha256",
  "x-amz-checksum-crc64nvme",
];

/** The base64 checksum of `data` for a checksum header name, or undefined if we do not compute it. */
export function computeChecksum(headerName: string, data: Buffer): string | undefined {
  switch (headerName) {
    case "x-amz-checksum-crc32":
      return crcBase64(crc32(data));
    case "x-amz-checksum-crc32c":
      return crcBase64(crc32c(data));
    case "x-amz-checksum-sha1":
      return createHash("sha1").update(data).digest("base64");
    case "x-amz-checksum-sha256":
      return createHash("sha256").update(data).digest("base64");
    default:
      return undefined;
  }
}

export function md5Base64(data: Buffer): string {
  return createHash("md5").update(data).digest("base64");
}

/** A CRC as S3 sends it: the 32-bit value big-endian, in base64. */
function crcBase64(value: number): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out.toString("base64");
}
