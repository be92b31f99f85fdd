// A Panorama or S3 request through the pipeline: body (size-limited) → SigV4 → route → request
// hooks (rate limits, fault rules) → settle due lifecycles → the service's handler → persistence
// (a change is saved before it is answered) → reply.
import * as http from "http";
import { decide } from "../control/requestHooks";
import { routePanorama } from "../panorama/dispatch";
import { settleDueTransitions } from "../panorama/dueTransitions";
import { headerValue, readBody, ServiceCall, ServiceRequest } from "../protocol/http";
import { isPanoramaPath } from "../protocol/restJson";
import { scopeService } from "../protocol/sigv4";
import { routeS3Request } from "../s3/handler";
import { authenticate } from "./authentication";
import { PipelineDeps } from "./pipelineDeps";
import { failureReply, finish, loggedUrl, Service } from "./replies";

export async function answerService(
  deps: PipelineDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  request: Omit<ServiceRequest, "body">,
): Promise<void> {
  const { rt, counter, settings } = deps;
  const { method, rawPath, requestId } = request;
  const service = serviceOf(headerValue(req.headers, "authorization"), rawPath);
  const fail = failureReply(service, requestId, method);

  const limit = settings.maxBodyBytes[service];
  const tooLargeReply = () => {
    const message = `The request body is larger than the emulator's ${service} limit of ${limit} bytes.`;
    return service === "s3"
      ? fail("EntityTooLarge", 413, message)
      : fail("RequestEntityTooLargeException", 413, message);
  };
  // A declared length over the limit is refused at once, without waiting for (or reading) the body,
  // and the connection is closed so the unread body cannot be taken for the next request.
  if (Number(headerValue(req.headers, "content-length") ?? 0) > limit)
    return finish(res, requestId, tooLargeReply(), { connection: "close" });
  const { body, tooLarge } = await readBody(req, limit);
  if (tooLarge) return finish(res, requestId, tooLargeReply());
  const signed: ServiceRequest = { ...request, body };

  const refusal = await authenticate(signed, service, settings.credentials, fail, {
    acceptAnyAccessKey: settings.acceptAnyAccessKey,
  });
  if (refusal) {
    if (refusal.code) rt.log(`${method} ${loggedUrl(req.url)} → 403 ${refusal.code}`);
    return finish(res, requestId, refusal.reply, refusal.headers);
  }

  const call: ServiceCall =
    service === "panorama" ? routePanorama(rt, signed) : routeS3Request(rt, signed);
  if ("reply" in call) {
    if (call.countAs) counter.record(`${service}:${call.countAs}`);
    return finish(res, requestId, call.reply);
  }
  const { operation } = call;
  counter.record(`${service}:${operation}`);

  const decision = await decide(settings.hooks, {
    service,
    operation,
    method,
    path: rawPath,
    requestId,
  });
  if (decision.delayMs) await new Promise((r) => setTimeout(r, decision.delayMs));
  if (decision.action === "drop") return void req.socket.destroy();
  if (decision.action === "hang") return;
  if (decision.action === "fail")
    return finish(
      res,
      requestId,
      fail(decision.errorType, decision.status, decision.message, decision.members),
    );

  settleDueTransitions(rt);
  let reply = call.run();
  if (rt.dirty) {
    rt.dirty = false;
    try {
      await deps.persist();
    } catch (e) {
      reply = fail(
        service === "s3" ? "InternalError" : "InternalServerException",
        500,
        `The emulator could not save this change to its state file (${(e as Error).message}); its outcome is unknown, retry it.`,
      );
    }
  }
  rt.log(`${service}:${operation} ${method} ${loggedUrl(req.url)} → ${reply.status}`);
  if (decision.action === "applyAndDrop") return void req.socket.destroy();
  return finish(res, requestId, reply);
}

/** The signing scope names the service; an unsigned request goes by its path. */
function serviceOf(authorization: string | undefined, rawPath: string): Service {
  const signedService = scopeService(authorization);
  return signedService === "s3" || (!signedService && !isPanoramaPath(rawPath)) ? "s3" : "panorama";
}
