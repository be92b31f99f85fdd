// What a control endpoint is: the handler of one area of `/_emulator/<area>/…`, answering with a
// status and a JSON body, and the error a control call throws when it cannot apply. Each concern
// (timing.ts, faults.ts, devices.ts…) keeps its endpoints beside the controls they call.

/** Thrown for control calls that cannot apply; the HTTP surface answers with its status. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ControlHttpResponse {
  status: number;
  body: unknown;
}

/** A request under one area, `/_emulator/<area>/<id>/<rest…>`, with its JSON body parsed. */
export interface ControlHttpRequest {
  method: string;
  id?: string;
  rest: string[];
  input: any;
}

/** Answers a request of its area, or undefined when no endpoint has this method and path (404). */
export type ControlEndpoint<Controls> = (
  controls: Controls,
  req: ControlHttpRequest,
) => ControlHttpResponse | undefined;

/** The endpoints of one concern, by area. */
export type ControlEndpoints<Controls> = Record<string, ControlEndpoint<Controls>>;

/** 200 with the body, or `{ok: true}` when there is nothing to show. */
export function ok(body: unknown = { ok: true }): ControlHttpResponse {
  return { status: 200, body: body ?? { ok: true } };
}

export function notAllowed(methods = "GET or POST"): ControlHttpResponse {
  return { status: 405, body: { error: `Use ${methods}.` } };
}
