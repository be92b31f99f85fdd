// The request pipeline: a `/_emulator/` path goes to the control API (controlRequests.ts), every
// other request to Panorama or S3 (serviceRequests.ts). An unexpected error is a 500 that names
// it, never a hung connection.
import { randomUUID } from "crypto";
import * as http from "http";
import { jsonReply, sendReply } from "../protocol/http";
import { parseQuery, splitUrl } from "../protocol/query";
import { answerControl, isControlPath } from "./controlRequests";
import { PipelineDeps } from "./pipelineDeps";
import { answerService } from "./serviceRequests";

export function createRequestListener(deps: PipelineDeps): http.RequestListener {
  return (req, res) => {
    handle(deps, req, res).catch((e) => {
      deps.rt.log(`internal error: ${(e as Error).stack ?? e}`);
      if (!res.headersSent)
        sendReply(
          res,
          jsonReply(500, { Message: `Emulator internal error: ${(e as Error).message}` }),
        );
      else res.destroy();
    });
  };
}

async function handle(
  deps: PipelineDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const method = req.method ?? "GET";
  const { rawPath, rawQuery } = splitUrl(req.url ?? "/");
  if (isControlPath(rawPath)) return answerControl(deps, req, res, method, rawPath);
  return answerService(deps, req, res, {
    method,
    rawPath,
    query: parseQuery(rawQuery),
    headers: req.headers,
    requestId: randomUUID(),
  });
}
