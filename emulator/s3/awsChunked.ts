// Decoder for `Content-Encoding: aws-chunked` bodies, which current S3 clients send for streamed
// uploads: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0…\r\n`, then optional trailer
// lines (`x-amz-checksum-crc32:…`, `x-amz-trailer-signature:…`) and a blank line.
// Per-chunk signatures are not verified (only the seed signature of the headers is).

export interface DecodedChunks {
  data: Buffer;
  trailers: Record<string, string>;
}

export class ChunkedBodyError extends Error {}

export function decodeAwsChunked(body: Buffer): DecodedChunks {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = body.indexOf("\r\n", pos);
    if (eol < 0) throw new ChunkedBodyError("The aws-chunked body ends inside a chunk header.");
    const header = body.subarray(pos, eol).toString("latin1");
    const sizeText = header.split(";")[0].trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText))
      throw new ChunkedBodyError(`Invalid aws-chunked chunk size ${JSON.stringify(sizeText)}.`);
    const size = parseInt(sizeText, 16);
    pos = eol + 2;
    if (size === 0) break;
    if (pos + size + 2 > body.length)
      throw new ChunkedBodyError("The aws-chunked body is shorter than its chunk sizes say.");
    parts.push(body.subarray(pos, pos + size));
    pos += size;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a)
      throw new ChunkedBodyError("An aws-chunked chunk is not followed by CRLF.");
    pos += 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of body.subarray(pos).toString("latin1").split("\r\n")) {
    if (!line) continue;
    const colon = line.indexOf(":");
    if (colon < 0)
      throw new ChunkedBodyError(`Invalid aws-chunked trailer line ${JSON.stringify(line)}.`);
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}
