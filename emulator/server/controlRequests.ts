// A `/_emulator/` control request through the pipeline: admission before anything is read
// (control/admission.ts), a small JSON body, the control endpoint, then the answer once the
// change is on disk.
import * as http from "http";
import { admitControlRequest } from "../control/admission";
import { handleControlHttp } from "../control/controlHttp";
import { jsonReply, readBody, sendReply } from "../protocol/http";
import { PipelineDeps } from "./pipelineDeps";

export const CONTROL_PREFIX = "/_emulator";
const CONTROL_BODY_LIMIT = 1024 * 1024;

export function isControlPath(rawPath: string): boolean {
  return rawPath === CONTROL_PREFIX || rawPath.startsWith(CONTROL_PREFIX + "/");
}

export async function answerControl(
  deps: PipelineDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  method: string,
  rawPath: string,
): Promise<void> {
  const admission = admitControlRequest(
    {
      method,
      rawPath: rawPath.slice(CONTROL_PREFIX.length),
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress,
    },
    deps.settings.controlToken,
  );
  if (!admission.ok) {
    deps.rt.log(`control ${method} ${rawPath} → ${admission.status} (refused)`);
    const refusal = jsonReply(admission.status, { error: admission.error });
    // The body is never read, so the connection cannot carry another request.
    return sendReply(res, {
      ...refusal,
      headers: { ...refusal.headers, ...admission.headers, connection: "close" },
    });
  }
  const { body, tooLarge } = await readBody(req, CONTROL_BODY_LIMIT);
  if (tooLarge) return sendReply(res, jsonReply(413, { error: "Control request body too large." }));
  const reply = handleControlHttp(deps.control, method, admission.segments, body);
  try {
    await deps.settled();
  } catch (e) {
    return sendReply(
      res,
      jsonReply(500, {
        error: `The change was made but could not be saved to the state file: ${(e as Error).message}`,
      }),
    );
  }
  return sendReply(res, jsonReply(reply.status, reply.body));
}
