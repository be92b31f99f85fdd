// Reads a request body up to a limit. Past the limit the rest is drained and dropped (up to a
// bound), so the client still reads our 413 instead of a reset connection.
import { IncomingMessage } from "http";

export interface BodyResult {
  body: Buffer;
  tooLarge: boolean;
}

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
