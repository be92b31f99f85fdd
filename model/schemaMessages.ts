// Ajv's errors as plain problems: the member's path (`nodeGraph.nodes[3].name`) and the rule in
// one phrase (`must match ^[$A-Z_a-z0-9\-]+$ (got "output node")`), read from the schema that
// failed. Both sides render these in their own message style.
import type { ErrorObject } from "ajv";
import { FieldProblem, got } from "./fieldProblems";
import { dereference } from "./graphSchema";

type Schema = Record<string, any>;

/** One problem per broken rule, in Ajv's order, without repeats. */
export function schemaProblems(errors: ErrorObject[], document: unknown): FieldProblem[] {
  // A member with alternatives (anyOf) gets one sentence naming them all, instead of one per
  // alternative and one more from the node schema its branch chose.
  const withAlternatives = new Set(
    errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath),
  );
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === "if") continue; // the branch's own errors say what is wrong
    if (withAlternatives.has(e.instancePath) && e.keyword !== "anyOf") continue;
    const problem = toProblem(e, locate(document, e.instancePath));
    const key = `${problem.path}\n${problem.rule}`;
    if (!seen.has(key)) out.push(problem);
    seen.add(key);
  }
  return out;
}

interface Located {
  path: string;
  value: unknown;
}

/** The dotted path and the value at a JSON pointer of the document. */
function locate(document: unknown, pointer: string): Located {
  let path = "";
  let value: any = document;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path = Array.isArray(value) ? `${path}[${key}]` : member(path, key);
    value = value?.[key];
  }
  return { path, value };
}

function member(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function toProblem(e: ErrorObject, at: Located): FieldProblem {
  const schema = (e.parentSchema ?? {}) as Schema;
  const params = e.params as Record<string, any>;
  switch (e.keyword) {
    case "required":
      return {
        path: member(at.path, params.missingProperty),
        rule: `is required${requiredHint(dereference(schema.properties?.[params.missingProperty]))}`,
      };
    case "additionalProperties": {
      const where = schema.title ? ` on ${article(schema.title)}` : "";
      const allowed = Object.keys(schema.properties ?? {}).join(", ");
      return {
        path: member(at.path, params.additionalProperty),
        rule: `is not allowed${where} (allowed: ${allowed})`,
      };
    }
    case "anyOf":
      return { path: at.path, rule: `must ${alternatives(schema.anyOf)} ${got(at.value)}` };
    default:
      return { path: at.path, rule: valueRule(e.keyword, params, schema, at) };
  }
}

function valueRule(keyword: string, params: Schema, schema: Schema, at: Located): string {
  const value = at.value;
  switch (keyword) {
    case "type":
    case "minimum":
    case "maximum":
      return `must be ${typeAndRange(schema)} ${got(value)}`;
    case "enum":
    case "const":
      return `must ${oneOf(params.allowedValues ?? [params.allowedValue])} ${got(value)}`;
    case "pattern":
      return `must match ${params.pattern} ${got(value)}`;
    case "minLength":
      return `must have at least ${params.limit} character(s)`;
    case "maxLength":
      return `must have at most ${params.limit} characters (has ${[...String(value)].length})`;
    case "minItems":
      return `must list at least ${params.limit} ${itemNoun(at.path, params.limit)}`;
    default:
      return `${keyword}: ${JSON.stringify(params)} ${got(value)}`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  array: "a list",
  boolean: "a boolean",
  integer: "an integer",
  number: "a number",
  object: "an object",
  string: "a string",
};

/** `an integer from -2147483648 to 2147483647`, `a string`, `at least 1`. */
function typeAndRange(schema: Schema): string {
  const type = TYPE_NAMES[schema.type] ?? schema.type;
  const { minimum: min, maximum: max } = schema;
  if (min !== undefined && max !== undefined) return `${type} from ${min} to ${max}`;
  if (min !== undefined) return `${type} of at least ${min}`;
  if (max !== undefined) return `${type} of at most ${max}`;
  return type;
}

/** What a missing member must be: its only value, or a list or an object. */
function requiredHint(schema: Schema | undefined): string {
  const values = schema?.enum ?? (schema && "const" in schema ? [schema.const] : undefined);
  if (values?.length === 1) return ` (${JSON.stringify(values[0])})`;
  if (schema?.type === "array" || schema?.type === "object")
    return ` and must be ${TYPE_NAMES[schema.type]}`;
  return "";
}

function oneOf(values: unknown[]): string {
  if (values.length === 1) return `be ${JSON.stringify(values[0])}`;
  return `be one of ${values.join(", ")}`;
}

/** `match <pattern> or be one of a, b` for the alternatives of an anyOf. */
function alternatives(options: Schema[]): string {
  return options
    .map(dereference)
    .map((s) => {
      if (s.pattern) return `match ${s.pattern}`;
      if (s.enum) return oneOf(s.enum);
      return `be ${typeAndRange(s)}`;
    })
    .join(" or ");
}

/** `package` for a list named `packages` that needs 1 item, `packages` for more. */
function itemNoun(path: string, count: number): string {
  const list = path.slice(path.lastIndexOf(".") + 1);
  return count === 1 ? list.replace(/s$/, "") : list;
}

function article(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;
}
