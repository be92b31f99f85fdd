// A broken rule of a document or an argument, named by its path, and the checks of API string
// limits (length and pattern of a Smithy string shape) that the provider's arguments and the
// graph's pinned patch versions share. Each side renders problems in its own message style.
import { shape } from "./panoramaModel";

export interface FieldProblem {
  /** Dotted path, e.g. `nodeGraph.nodes[3].name`; empty for the document itself. */
  path: string;
  /** The rule, as a plain phrase: `must match ^[0-9]+$ (got "1.0.0")`. */
  rule: string;
}

export interface StringLimit {
  min: number;
  max: number;
  pattern: RegExp;
}

/** Length and pattern of a string shape of the Smithy model (the one source of API limits). */
export function apiStringLimit(shapeName: string): StringLimit {
  const traits = shape(shapeName).traits ?? {};
  const length = (traits["smithy.api#length"] ?? {}) as { min?: number; max?: number };
  return {
    min: length.min ?? 0,
    max: length.max ?? Number.MAX_SAFE_INTEGER,
    pattern: new RegExp((traits["smithy.api#pattern"] as string | undefined) ?? "^[\\s\\S]*$"),
  };
}

/** The rules `value` breaks as a value of string shape `shapeName` (none when it fits). */
export function apiStringProblems(path: string, value: unknown, shapeName: string): FieldProblem[] {
  if (value === undefined) return [{ path, rule: "is required" }];
  if (typeof value !== "string") return [{ path, rule: `must be a string ${got(value)}` }];
  const limit = apiStringLimit(shapeName);
  const length = [...value].length;
  const rules: string[] = [];
  if (length < limit.min) rules.push(`must have at least ${limit.min} character(s)`);
  if (length > limit.max) rules.push(`must have at most ${limit.max} characters (has ${length})`);
  if (!limit.pattern.test(value)) rules.push(`must match ${limit.pattern.source} ${got(value)}`);
  return rules.map((rule) => ({ path, rule }));
}

/** `(got <value as JSON>)`, cut to 80 characters. */
export function got(value: unknown): string {
  let text: string;
  try {
    text =
      typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  } catch {
    text = String(value);
  }
  return `(got ${text.length > 80 ? `${text.slice(0, 77)}...` : text})`;
}
