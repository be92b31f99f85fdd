// The official Panorama Smithy model (model/panorama-2019-07-24.json) as the one source of every
// API constraint: the emulator validates requests with it and the provider's `check` validates
// inputs with it, so the two can never disagree about a length, a pattern or an enum.
import * as path from "path";
import * as fs from "fs";

export const NAMESPACE = "com.amazonaws.panorama";

export interface SmithyMember {
  target: string;
  traits?: Record<string, unknown>;
}

export interface SmithyShape {
  type: string;
  members?: Record<string, SmithyMember>;
  member?: SmithyMember;
  key?: SmithyMember;
  value?: SmithyMember;
  input?: { target: string };
  output?: { target: string };
  errors?: { target: string }[];
  operations?: { target: string }[];
  traits?: Record<string, unknown>;
}

let shapesCache: Record<string, SmithyShape> | undefined;

/** All shapes of the model, keyed by absolute shape id. Read once, lazily. */
export function shapes(): Record<string, SmithyShape> {
  if (!shapesCache) {
    const file = path.join(__dirname, "..", "..", "model", "panorama-2019-07-24.json");
    const fallback = path.join(__dirname, "panorama-2019-07-24.json");
    const text = fs.readFileSync(fs.existsSync(file) ? file : fallback, "utf8");
    shapesCache = JSON.parse(text).shapes;
  }
  return shapesCache!;
}

export function shapeId(name: string): string {
  return name.includes("#") ? name : `${NAMESPACE}#${name}`;
}

export function shape(name: string): SmithyShape {
  const found = shapes()[shapeId(name)];
  if (!found) throw new Error(`Unknown Smithy shape ${name}`);
  return found;
}

const PRELUDE: Record<string, string> = {
  "smithy.api#String": "string",
  "smithy.api#Boolean": "boolean",
  "smithy.api#PrimitiveBoolean": "boolean",
  "smithy.api#Integer": "integer",
  "smithy.api#PrimitiveInteger": "integer",
  "smithy.api#Long": "long",
  "smithy.api#Timestamp": "timestamp",
  "smithy.api#Document": "document",
};

/** Resolves a target to its shape (prelude targets become a bare shape of their type). */
export function resolve(target: string): SmithyShape {
  const prelude = PRELUDE[target];
  if (prelude) return { type: prelude };
  return shape(target);
}

export interface HttpBinding {
  method: string;
  uri: string;
  code: number;
}

export interface OperationModel {
  name: string;
  http: HttpBinding;
  input?: string;
  output?: string;
  errors: string[];
}

/** Every operation of the service, with its HTTP binding. */
export function operations(): OperationModel[] {
  const out: OperationModel[] = [];
  for (const [id, s] of Object.entries(shapes())) {
    if (s.type !== "operation") continue;
    const http = s.traits?.["smithy.api#http"] as HttpBinding;
    out.push({
      name: id.split("#")[1],
      http,
      input: s.input?.target,
      output: s.output?.target,
      errors: (s.errors ?? []).map((e) => e.target.split("#")[1]),
    });
  }
  return out;
}

export type Binding =
  | { kind: "label"; member: string }
  | { kind: "query"; member: string; key: string }
  | { kind: "header"; member: string; key: string }
  | { kind: "body"; member: string };

/** Where each member of an operation's input travels on the wire. */
export function bindings(inputShape: string): Binding[] {
  const s = shape(inputShape);
  return Object.entries(s.members ?? {}).map(([member, m]) => {
    const t = m.traits ?? {};
    if ("smithy.api#httpLabel" in t) return { kind: "label", member };
    if ("smithy.api#httpQuery" in t)
      return { kind: "query", member, key: t["smithy.api#httpQuery"] as string };
    if ("smithy.api#httpHeader" in t)
      return { kind: "header", member, key: t["smithy.api#httpHeader"] as string };
    return { kind: "body", member };
  });
}

export interface Violation {
  /** Dotted member path in the API's own (PascalCase) names, e.g. `InputConfig.PackageVersionInputConfig`. */
  path: string;
  /** The broken rule, phrased like the service's own ValidationException field messages. */
  rule: string;
}

/**
 * Checks `value` against the constraints of `target` (required, length, pattern, enum, range,
 * type). `isUnknown` lets callers skip values not known yet (Pulumi preview).
 */
export function validate(
  target: string,
  value: unknown,
  at = "",
  isUnknown: (v: unknown) => boolean = () => false,
): Violation[] {
  const out: Violation[] = [];
  visit(resolve(shapeId(target).startsWith("smithy.api#") ? target : shapeId(target)), value, at);
  return out;

  function visit(
    s: SmithyShape,
    v: unknown,
    p: string,
    memberTraits: Record<string, unknown> = {},
  ) {
    if (v === undefined || v === null || isUnknown(v)) return;
    const traits = { ...(s.traits ?? {}), ...memberTraits };
    switch (s.type) {
      case "structure":
      case "union": {
        if (typeof v !== "object" || Array.isArray(v))
          return void out.push({ path: p, rule: "Member must be an object" });
        const obj = v as Record<string, unknown>;
        const members = s.members ?? {};
        for (const key of Object.keys(obj)) {
          // Own members only: `constructor` or `toString` is not part of the API either.
          if (!Object.prototype.hasOwnProperty.call(members, key))
            out.push({ path: join(p, key), rule: "Member is not part of the API" });
        }
        if (s.type === "union" && Object.keys(obj).filter((k) => obj[k] !== undefined).length > 1)
          out.push({
            path: p,
            rule: "Member must set exactly one of " + Object.keys(members).join(", "),
          });
        for (const [name, m] of Object.entries(members)) {
          const mp = join(p, name);
          const mv = obj[name];
          if ((mv === undefined || mv === null) && m.traits && "smithy.api#required" in m.traits) {
            out.push({ path: mp, rule: "Member must not be null" });
            continue;
          }
          visit(resolve(m.target), mv, mp, m.traits ?? {});
        }
        return;
      }
      case "list": {
        if (!Array.isArray(v)) return void out.push({ path: p, rule: "Member must be a list" });
        checkLength(traits, v.length, p, "items");
        v.forEach((item, i) =>
          visit(resolve(s.member!.target), item, `${p}[${i}]`, s.member!.traits ?? {}),
        );
        return;
      }
      case "map": {
        if (typeof v !== "object" || Array.isArray(v))
          return void out.push({ path: p, rule: "Member must be a map" });
        const entries = Object.entries(v as Record<string, unknown>);
        checkLength(traits, entries.length, p, "entries");
        for (const [k, mv] of entries) {
          if (isUnknown(k)) continue;
          const at = `${p}[${JSON.stringify(k)}]`;
          const before = out.length;
          visit(resolve(s.key!.target), k, at);
          for (const v of out.slice(before)) v.rule = v.rule.replace(/^Member/, "Key");
          visit(resolve(s.value!.target), mv, at);
        }
        return;
      }
      case "string": {
        if (typeof v !== "string")
          return void out.push({ path: p, rule: "Member must be a string" });
        checkLength(traits, [...v].length, p, "length");
        const pattern = traits["smithy.api#pattern"] as string | undefined;
        if (pattern && !new RegExp(pattern).test(v))
          out.push({ path: p, rule: `Member must satisfy regular expression pattern: ${pattern}` });
        const enumValues = enumOf(traits);
        if (enumValues && !enumValues.includes(v))
          out.push({
            path: p,
            rule: `Member must satisfy enum value set: [${enumValues.join(", ")}]`,
          });
        return;
      }
      case "enum": {
        const values = Object.values(s.members ?? {}).map((m) =>
          String(m.traits?.["smithy.api#enumValue"]),
        );
        if (typeof v !== "string" || !values.includes(v))
          out.push({ path: p, rule: `Member must satisfy enum value set: [${values.join(", ")}]` });
        return;
      }
      case "integer":
      case "long": {
        if (typeof v !== "number" || !Number.isInteger(v))
          return void out.push({ path: p, rule: "Member must be an integer" });
        const range = traits["smithy.api#range"] as { min?: number; max?: number } | undefined;
        if (range?.min !== undefined && v < range.min)
          out.push({
            path: p,
            rule: `Member must have value greater than or equal to ${range.min}`,
          });
        if (range?.max !== undefined && v > range.max)
          out.push({ path: p, rule: `Member must have value less than or equal to ${range.max}` });
        return;
      }
      case "boolean":
        if (typeof v !== "boolean") out.push({ path: p, rule: "Member must be a boolean" });
        return;
      default:
        return;
    }
  }

  function checkLength(traits: Record<string, unknown>, n: number, p: string, what: string) {
    const len = traits["smithy.api#length"] as { min?: number; max?: number } | undefined;
    if (!len) return;
    if (len.min !== undefined && n < len.min)
      out.push({ path: p, rule: `Member must have ${what} greater than or equal to ${len.min}` });
    if (len.max !== undefined && n > len.max)
      out.push({ path: p, rule: `Member must have ${what} less than or equal to ${len.max}` });
  }
}

/** The allowed values of an enum shape (Smithy 1 `@enum` trait or Smithy 2 `enum` type). */
export function enumValues(name: string): string[] {
  const s = shape(name);
  if (s.type === "enum")
    return Object.values(s.members ?? {}).map((m) => String(m.traits?.["smithy.api#enumValue"]));
  return enumOf(s.traits ?? {}) ?? [];
}

function enumOf(traits: Record<string, unknown>): string[] | undefined {
  const e = traits["smithy.api#enum"] as { value: string }[] | undefined;
  return e?.map((x) => x.value);
}

function join(p: string, key: string): string {
  return p ? `${p}.${key}` : key;
}
