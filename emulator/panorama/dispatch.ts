// A signed request to Panorama: matched to its operation by the model's http traits, then (when
// the pipeline lets it through) decoded, validated against the model and handed to the handler
// of the operation (handlers.ts). A handler's PanoramaError is the answer; any other error is an
// InternalServerException that names the operation.
import { PanoramaError, panoramaErrorReply } from "../protocol/errors";
import { HttpReply, ServiceCall, ServiceRequest } from "../protocol/http";
import { decodeInput, matchRoute, pathExists } from "../protocol/restJson";
import { Runtime } from "../state/runtime";
import { handlerFor, READ_ONLY } from "./handlers";

export function routePanorama(rt: Runtime, req: ServiceRequest): ServiceCall {
  let match;
  try {
    match = matchRoute(req.method, req.rawPath);
  } catch (e) {
    if (e instanceof PanoramaError) return { reply: panoramaErrorReply(e) };
    throw e;
  }
  if (!match) {
    const message = pathExists(req.rawPath)
      ? `No Panorama operation answers ${req.method} ${req.rawPath}.`
      : `No Panorama operation has the path ${req.rawPath}.`;
    return {
      reply: panoramaErrorReply(new PanoramaError("UnknownOperationException", message, {}, 404)),
      countAs: "UnknownOperation",
    };
  }
  const m = match;
  const operation = m.route.operation.name;
  const run = (): HttpReply => {
    try {
      const handler = handlerFor(operation);
      const output = handler(rt, decodeInput(m, req.query, req.headers, req.body));
      if (!READ_ONLY.has(operation)) rt.dirty = true;
      return {
        status: m.route.operation.http.code ?? 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(output),
      };
    } catch (e) {
      if (e instanceof PanoramaError) return panoramaErrorReply(e);
      rt.log(`${operation} crashed: ${(e as Error).stack ?? e}`);
      return panoramaErrorReply(
        new PanoramaError(
          "InternalServerException",
          `The emulator failed to handle ${operation}: ${(e as Error).message}`,
        ),
      );
    }
  };
  return { operation, run };
}
