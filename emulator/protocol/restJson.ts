// The restJson1 binding of Panorama, derived from the model's http traits (one source of truth):
// route matching on method + path template, per-segment percent-decoding (so `packageName%2Fx`
// and ARNs arrive whole), query keys with each operation's exact casing, JSON bodies.
import {
  bindings,
  Binding,
  operations,
  OperationModel,
  resolve,
  shape,
  validate,
} from "../../model/panoramaModel";
import { cannotParse, validationError } from "./errors";
import { Query } from "./query";

/** Wire format of every Panorama timestamp: epoch seconds with a millisecond fraction. */
export function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}

/** A StatusDescription as the model bounds it (255 characters): longer text ends in "...". */
export function statusDescription(text: string): string {
  return text.length > 255 ? text.slice(0, 252) + "..." : text;
}

type Segment = { literal: string } | { label: string };

export interface Route {
  operation: OperationModel;
  method: string;
  segments: Segment[];
  bindings: Binding[];
}

export interface RouteMatch {
  route: Route;
  labels: Record<string, string>;
}

let routesCache: Route[] | undefined;

/** Every operation's route, most specific (most literal segments) first. */
export function routes(): Route[] {
  if (!routesCache) {
    routesCache = operations()
      .map((operation) => ({
        operation,
        method: operation.http.method,
        segments: pathSegments(operation.http.uri).map((s): Segment => {
          const m = /^\{(\w+)\}$/.exec(s);
          return m ? { label: m[1] } : { literal: s };
        }),
        bindings: operation.input ? bindings(operation.input) : [],
      }))
      .sort((a, b) => literalCount(b) - literalCount(a));
  }
  return routesCache;
}

function literalCount(r: Route): number {
  return r.segments.filter((s) => "literal" in s).length;
}

function pathSegments(path: string): string[] {
  return path.split("/").filter((s, i) => !(i === 0 && s === ""));
}

/**
 * Finds the operation for a request. Segments are split on `/` first and decoded after, which is
 * what makes `%2F` inside a label safe. Returns undefined when no operation has this shape.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  let decoded: string[];
  try {
    decoded = pathSegments(rawPath).map((s) => decodeURIComponent(s));
  } catch {
    throw cannotParse(`The request path ${rawPath} is not valid percent-encoding.`);
  }
  for (const route of routes()) {
    if (route.method !== method || route.segments.length !== decoded.length) continue;
    const labels: Record<string, string> = {};
    const ok = route.segments.every((seg, i) => {
      if ("literal" in seg) return seg.literal === decoded[i];
      labels[seg.label] = decoded[i];
      return true;
    });
    if (ok) return { route, labels };
  }
  return undefined;
}

/** True when some operation serves this path with another method (for a clearer error). */
export function pathExists(rawPath: string): boolean {
  const segments = pathSegments(rawPath);
  return routes().some(
    (r) =>
      r.segments.length === segments.length &&
      r.segments.every((s, i) => "label" in s || s.literal === segments[i]),
  );
}

/**
 * Assembles the operation input from labels, query, headers and body, then validates it against
 * the model. Throws a ValidationException naming every offending member.
 */
export function decodeInput(
  match: RouteMatch,
  query: Query,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): Record<string, unknown> {
  const { route, labels } = match;
  const inputShape = route.operation.input;
  if (!inputShape) return {};
  const members = shape(inputShape).members ?? {};
  let input: Record<string, unknown> = {};

  if (route.bindings.some((b) => b.kind === "body") && body.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch (e) {
      throw cannotParse(`Could not parse the request body as JSON: ${withoutExcerpt(e as Error)}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw cannotParse("The request body must be a JSON object.");
    input = { ...(parsed as Record<string, unknown>) };
  }

  for (const b of route.bindings) {
    if (b.kind === "label") input[b.member] = labels[b.member];
    if (b.kind === "query" && query[b.key] !== undefined)
      input[b.member] = fromText(members[b.member].target, query[b.key]);
    if (b.kind === "header") {
      const h = headers[b.key.toLowerCase()];
      if (h !== undefined)
        input[b.member] = fromText(members[b.member].target, Array.isArray(h) ? h : [h]);
    }
  }

  const violations = validate(inputShape, input);
  if (violations.length) throw validationError(violations);
  return input;
}

/** A JSON syntax error without the excerpt of the body Node quotes, which may hold a secret. */
function withoutExcerpt(e: Error): string {
  return e.message.replace(/, ".*" is not valid JSON$/s, " is not valid JSON");
}

/** Converts query/header text to the member's type; unparsable text is left for validation to name. */
function fromText(target: string, values: string[]): unknown {
  const type = resolve(target).type;
  const one = values[values.length - 1];
  switch (type) {
    case "list":
    case "set":
      return values;
    case "integer":
    case "long":
      return /^-?\d+$/.test(one) ? Number(one) : one;
    case "boolean":
      return one === "true" ? true : one === "false" ? false : one;
    default:
      return one;
  }
}

export function isPanoramaPath(rawPath: string): boolean {
  const first = pathSegments(rawPath)[0];
  return routes().some((r) => "literal" in r.segments[0] && r.segments[0].literal === first);
}
