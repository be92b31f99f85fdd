// The request pipeline: control paths (admission first) → body (size-limited) → SigV4 → route →
// hooks (faults, rate limits) → settle due lifecycles → Panorama or S3 handler → persistence
// (a change is saved before it is answered) → response.
import { randomUUID } from "crypto";
import * as http from "http";
import { handleControlHttp } from "../control/controlHttp";
import { EmulatorControl } from "../control/emulatorControl";
import { admitControlRequest } from "../control/admission";
import { PanoramaError } from "../protocol/errors";
import { decide, HookDecision, RequestHook } from "../control/requestHooks";
import { readBody } from "../protocol/http";
import { settleDueTransitions } from "../panorama/dueTransitions";
import { handlerFor, READ_ONLY } from "../panorama/handlers";
import { parseQuery, splitUrl } from "../protocol/query";
import { RequestCounter } from "../control/requestCounts";
import { decodeInput, isPanoramaPath, matchRoute, pathExists } from "../protocol/restJson";
import { Runtime } from "../state/runtime";
import { handleS3, routeS3, S3Error, s3ErrorResponse, S3Response } from "../s3/handler";
import {
  Credentials,
  scopeService,
  SigV4FailureCode,
  signatureTimeMessage,
  verifySigV4,
} from "../protocol/sigv4";

type Service = "panorama" | "s3";

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

export interface BodyLimits {
  /** @default 6 MiB */
  panorama: number;
  /** @default 64 MiB */
  s3: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { panorama: 6 * 1024 * 1024, s3: 64 * 1024 * 1024 };

/** What the pipeline reads of the emulator's options. */
export interface PipelineSettings {
  /** The only credentials the SigV4 check accepts. */
  credentials: Credentials;
  /** Request body limits; larger bodies get 413. */
  maxBodyBytes: BodyLimits;
  /** The bearer token the control API then requires. */
  controlToken?: string;
  /** Consulted in order after routing; the first with an opinion decides. */
  hooks: RequestHook[];
}

export interface PipelineDeps {
  rt: Runtime;
  settings: PipelineSettings;
  counter: RequestCounter;
  control: EmulatorControl;
  /** Saves the state; resolves once the changes made so far are durable. */
  persist: () => Promise<void>;
  /** Resolves once the changes made so far are durable, without starting a save. */
  settled: () => Promise<void>;
}

const CONTROL_PREFIX = "/_emulator";
const CONTROL_BODY_LIMIT = 1024 * 1024;

export function createRequestListener(deps: PipelineDeps): http.RequestListener {
  return (req, res) => {
    handle(deps, req, res).catch((e) => {
      deps.rt.log(`internal error: ${(e as Error).stack ?? e}`);
      if (!res.headersSent)
        send(res, {
          status: 500,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ Message: `Emulator internal error: ${(e as Error).message}` }),
        });
      else res.destroy();
    });
  };
}

async function handle(
  deps: PipelineDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const { rt, counter } = deps;
  const requestId = randomUUID();
  const method = req.method ?? "GET";
  const { rawPath, rawQuery } = splitUrl(req.url ?? "/");
  const query = parseQuery(rawQuery);

  if (rawPath === CONTROL_PREFIX || rawPath.startsWith(CONTROL_PREFIX + "/")) {
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
      rt.log(`control ${method} ${rawPath} → ${admission.status} (refused)`);
      const refusal = json(admission.status, { error: admission.error });
      // The body is never read, so the connection cannot carry another request.
      return send(res, {
        ...refusal,
        headers: { ...refusal.headers, ...admission.headers, connection: "close" },
      });
    }
    const { body, tooLarge } = await readBody(req, CONTROL_BODY_LIMIT);
    if (tooLarge) return send(res, json(413, { error: "Control request body too large." }));
    const reply = handleControlHttp(deps.control, method, admission.segments, body);
    try {
      await deps.settled();
    } catch (e) {
      return send(
        res,
        json(500, {
          error: `The change was made but could not be saved to the state file: ${(e as Error).message}`,
        }),
      );
    }
    return send(res, json(reply.status, reply.body));
  }

  const signedService = scopeService(header(req, "authorization"));
  const service: Service =
    signedService === "s3" || (!signedService && !isPanoramaPath(rawPath)) ? "s3" : "panorama";
  const fail = (
    code: string,
    status: number,
    message: string,
    members?: Record<string, unknown>,
  ): Reply =>
    service === "s3"
      ? s3ErrorResponse(
          new S3Error(code, status, message, stringMembers(members)),
          requestId,
          method === "HEAD",
        )
      : panoramaError(new PanoramaError(code, message, members, status));

  const limit = deps.settings.maxBodyBytes[service];
  const tooLargeReply = () => {
    const message = `The request body is larger than the emulator's ${service} limit of ${limit} bytes.`;
    return service === "s3"
      ? fail("EntityTooLarge", 413, message)
      : fail("RequestEntityTooLargeException", 413, message);
  };
  // A declared length over the limit is refused at once, without waiting for (or reading) the body,
  // and the connection is closed so the unread body cannot be taken for the next request.
  if (Number(header(req, "content-length") ?? 0) > limit)
    return finish(deps, res, requestId, tooLargeReply(), { connection: "close" });
  const { body, tooLarge } = await readBody(req, limit);
  if (tooLarge) return finish(deps, res, requestId, tooLargeReply());

  const auth = await verifySigV4(
    { method, rawPath, query, headers: req.headers, body },
    deps.settings.credentials,
    Date.now(),
  );
  if (!auth.ok) {
    rt.log(`${method} ${loggedUrl(req.url)} → 403 ${auth.code}`);
    const reply =
      service === "s3"
        ? fail(s3AuthCode(auth.code), 403, auth.message)
        : auth.skew
          ? fail("InvalidSignatureException", 403, signatureTimeMessage(auth.skew))
          : fail("AccessDeniedException", 403, auth.message);
    return finish(deps, res, requestId, reply, { "x-emulator-auth-failure": auth.code });
  }
  if (auth.service !== "panorama" && auth.service !== "s3")
    return finish(
      deps,
      res,
      requestId,
      fail(
        "AccessDeniedException",
        403,
        `The emulator serves the panorama and s3 signing names, not ${auth.service}.`,
      ),
    );

  let reply: Reply;
  let operation: string;
  let run: () => Reply;
  if (service === "panorama") {
    let match;
    try {
      match = matchRoute(method, rawPath);
    } catch (e) {
      if (e instanceof PanoramaError) return finish(deps, res, requestId, panoramaError(e));
      throw e;
    }
    if (!match) {
      counter.record("panorama:UnknownOperation");
      const message = pathExists(rawPath)
        ? `No Panorama operation answers ${method} ${rawPath}.`
        : `No Panorama operation has the path ${rawPath}.`;
      return finish(
        deps,
        res,
        requestId,
        panoramaError(new PanoramaError("UnknownOperationException", message, {}, 404)),
      );
    }
    operation = match.route.operation.name;
    const m = match;
    run = () => {
      try {
        const handler = handlerFor(operation);
        const output = handler(rt, decodeInput(m, query, req.headers, body));
        if (!READ_ONLY.has(operation)) rt.dirty = true;
        return {
          status: m.route.operation.http.code ?? 200,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(output),
        };
      } catch (e) {
        if (e instanceof PanoramaError) return panoramaError(e);
        rt.log(`${operation} crashed: ${(e as Error).stack ?? e}`);
        return panoramaError(
          new PanoramaError(
            "InternalServerException",
            `The emulator failed to handle ${operation}: ${(e as Error).message}`,
          ),
        );
      }
    };
  } else {
    let route;
    try {
      route = routeS3(method, s3Path(header(req, "host"), rawPath), query);
    } catch (e) {
      if (e instanceof S3Error)
        return finish(deps, res, requestId, s3ErrorResponse(e, requestId, method === "HEAD"));
      throw e;
    }
    operation = route.operation;
    run = () =>
      handleS3(rt, route, { method, rawPath, query, headers: req.headers, body, requestId });
  }
  counter.record(`${service}:${operation}`);

  const decision: HookDecision = await decide(deps.settings.hooks, {
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
      deps,
      res,
      requestId,
      fail(decision.errorType, decision.status, decision.message, decision.members),
    );

  settleDueTransitions(rt);
  reply = run();
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
  return finish(deps, res, requestId, reply);
}

function finish(
  deps: PipelineDeps,
  res: http.ServerResponse,
  requestId: string,
  reply: Reply,
  extra: Record<string, string> = {},
): void {
  send(res, {
    ...reply,
    headers: {
      ...reply.headers,
      ...extra,
      "x-amzn-requestid": requestId,
      "x-amz-request-id": requestId,
    },
  });
}

function panoramaError(e: PanoramaError): Reply {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-amzn-errortype": e.errorType,
    ...e.headers,
  };
  return { status: e.status, headers, body: JSON.stringify(e.body()) };
}

/** The URL for the log, with credentials a client may put in the query (presigned style) blanked. */
function loggedUrl(url: string | undefined): string {
  return (url ?? "/").replace(
    /([?&]X-Amz-(?:Security-Token|Signature|Credential)=)[^&]*/gi,
    "$1REDACTED",
  );
}

function stringMembers(
  members: Record<string, unknown> | undefined,
): Record<string, string> | undefined {
  return (
    members &&
    Object.fromEntries(
      Object.entries(members).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    )
  );
}

function s3AuthCode(code: SigV4FailureCode): string {
  return code === "MissingAuthenticationToken" || code === "IncompleteSignature"
    ? "AccessDenied"
    : code;
}

function json(status: number, body: unknown): Reply {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

function send(res: http.ServerResponse, reply: Reply | S3Response): void {
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

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Virtual-hosted style (`<bucket>.localhost:port`) becomes the equivalent path-style path. */
function s3Path(host: string | undefined, rawPath: string): string {
  const m = host ? /^([a-z0-9][a-z0-9.-]*)\.localhost(:\d+)?$/.exec(host) : null;
  return m ? `/${m[1]}${rawPath}` : rawPath;
}
