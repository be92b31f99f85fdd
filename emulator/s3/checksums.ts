// Integrity checks S3 clients ask for: Content-MD5 (older clients) and the flexible checksums
// `x-amz-checksum-{crc32,crc32c,sha1,sha256}` (current clients), as header or aws-chunked trailer.
// CRC64NVME values are accepted unverified.
import { createHash } from "crypto";

export const CHECKSUM_HEADERS = [
  "x-amz-checksum-crc32",
  "x-amz-checksum-crc32c",
  "x-amz-checksum-sha1",
  "x-amz-checksum-sha256",
  "x-amz-checksum-crc64nvme",
];

const CRC32_TABLE = crcTable(0xedb88320);
const CRC32C_TABLE = crcTable(0x82f63b78);

function crcTable(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function crc(table: Uint32Array, data: Buffer): Buffer {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return out;
}

/** The base64 checksum of `data` for a checksum header name, or undefined if we do not compute it. */
export function computeChecksum(headerName: string, data: Buffer): string | undefined {
  switch (headerName) {
    case "x-amz-checksum-crc32":
      return crc(CRC32_TABLE, data).toString("base64");
    case "x-amz-checksum-crc32c":
      return crc(CRC32C_TABLE, data).toString("base64");
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
