// fast-check arbitraries derived from the Smithy model: for any input shape, values that are mostly
// valid and sometimes break exactly one kind of rule (required, length, pattern, enum, type, unknown
// member), each produced twice: as the API sends it (PascalCase) and as a resource input
// (camelCase members, map keys untouched). The model's own `validate` is the oracle.
import fc from "fast-check";
import { resolve, shapeId, SmithyShape } from "../../model/panoramaModel";

export interface Pair {
  api: unknown;
  camel: unknown;
}

/** Keys that are not members of any shape, including names every JS object inherits. */
const STRANGE_KEYS = [
  "Colour",
  "constructor",
  "toString",
  "hasOwnProperty",
  "__proto__",
  "valueOf",
  "",
];
/** Characters outside `[a-zA-Z0-9\-_]`-style patterns and outside `.`. */
const BAD_CHARS = [" ", "/", "\n", "\r", "é", "\u2028", "\u0000", ":", "."];

const same = (v: unknown): Pair => ({ api: v, camel: v });

/** A wrong-typed value for a member expecting `type`. */
function wrongType(type: string): fc.Arbitrary<Pair> {
  const candidates: fc.Arbitrary<unknown>[] = [
    fc.constant(null),
    fc.integer(),
    fc.constant([]),
    fc.constant({}),
  ];
  if (type !== "string" && type !== "enum") candidates.push(fc.string({ maxLength: 5 }));
  if (type !== "boolean") candidates.push(fc.boolean());
  return fc.oneof(...candidates).map(same);
}

/**
 * Requests for the input shape `target`: always a structure, whose members (at any depth) are
 * deliberately broken with a chance of `weight` in 100 each.
 */
export function arbitraryFor(target: string, weight = 8): fc.Arbitrary<Pair> {
  const s = resolve(shapeId(target));
  return fc.oneof(
    { weight: 9, arbitrary: validFor(s, s.traits ?? {}, weight) },
    {
      weight: 1,
      arbitrary: brokenFor(s, s.traits ?? {}).filter(
        (p) => typeof p.api === "object" && p.api !== null && !Array.isArray(p.api),
      ),
    },
  );
}

function forShape(
  s: SmithyShape,
  memberTraits: Record<string, unknown>,
  weight: number,
): fc.Arbitrary<Pair> {
  const traits = { ...(s.traits ?? {}), ...memberTraits };
  const valid = validFor(s, traits, weight);
  const broken = brokenFor(s, traits);
  return fc.oneof({ weight: 100 - weight, arbitrary: valid }, { weight, arbitrary: broken });
}

function validFor(
  s: SmithyShape,
  traits: Record<string, unknown>,
  weight: number,
): fc.Arbitrary<Pair> {
  switch (s.type) {
    case "structure": {
      const members = Object.entries(s.members ?? {});
      const entries = members.map(([name, m]) => {
        const required = !!m.traits && "smithy.api#required" in m.traits;
        const value = forShape(resolve(m.target), m.traits ?? {}, weight);
        // Required members are nearly always there; optional ones half of the time.
        const presence = required
          ? fc.oneof(
              { weight: 24, arbitrary: value },
              { weight: 1, arbitrary: fc.constant(undefined) },
            )
          : fc.option(value, { nil: undefined });
        return presence.map((v) => [name, v] as const);
      });
      return fc.tuple(...entries).map((pairs) => {
        const api: Record<string, unknown> = {};
        const camel: Record<string, unknown> = {};
        for (const [name, v] of pairs) {
          if (v === undefined) continue;
          api[name] = v.api;
          camel[lowerFirst(name)] = v.camel;
        }
        return { api, camel };
      });
    }
    case "list":
      return fc
        .array(forShape(resolve(s.member!.target), s.member!.traits ?? {}, weight), {
          maxLength: 3,
        })
        .map((items) => ({
          api: items.map((i) => i.api),
          camel: items.map((i) => i.camel),
        }));
    case "map": {
      const len = traits["smithy.api#length"] as { max?: number } | undefined;
      const key = validString(resolve(s.key!.target));
      const value = forShape(resolve(s.value!.target), {}, weight);
      return fc.dictionary(key, value, { maxKeys: Math.min(3, len?.max ?? 3) }).map((d) => {
        const api: Record<string, unknown> = {};
        const camel: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(d)) {
          define(api, k, v.api);
          define(camel, k, v.camel);
        }
        return { api, camel };
      });
    }
    case "string":
      return validString(s, traits).map(same);
    case "boolean":
      return fc.boolean().map(same);
    case "integer":
    case "long": {
      const range = traits["smithy.api#range"] as { min?: number; max?: number } | undefined;
      return fc.integer({ min: range?.min ?? -1000, max: range?.max ?? 1000 }).map(same);
    }
    default:
      return fc.constant(same(undefined));
  }
}

/** Strings that satisfy the enum, or the pattern and the length. */
function validString(
  s: SmithyShape,
  memberTraits: Record<string, unknown> = {},
): fc.Arbitrary<string> {
  const traits = { ...(s.traits ?? {}), ...memberTraits };
  const enumValues = (traits["smithy.api#enum"] as { value: string }[] | undefined)?.map(
    (e) => e.value,
  );
  if (enumValues) return fc.constantFrom(...enumValues);
  const len = traits["smithy.api#length"] as { min?: number; max?: number } | undefined;
  const min = len?.min ?? 0;
  const max = Math.min(len?.max ?? 40, 300);
  const pattern = traits["smithy.api#pattern"] as string | undefined;
  const base = pattern ? fc.stringMatching(new RegExp(pattern)) : fc.string({ maxLength: max });
  // Long valid values matter at the edge (exactly max); stringMatching alone rarely gets there.
  const atMax = pattern
    ? base.filter((v) => v.length > 0).map((v) => v.repeat(Math.ceil(max / v.length)).slice(0, max))
    : base;
  return fc
    .oneof({ weight: 5, arbitrary: base }, { weight: 1, arbitrary: atMax })
    .filter(
      (v) =>
        [...v].length >= min && [...v].length <= max && (!pattern || new RegExp(pattern).test(v)),
    );
}

/** Values that break a rule of this shape on purpose. */
function brokenFor(s: SmithyShape, traits: Record<string, unknown>): fc.Arbitrary<Pair> {
  const options: fc.Arbitrary<Pair>[] = [wrongType(s.type)];
  if (s.type === "structure") {
    options.push(
      fc
        .tuple(
          validFor(s, traits, 0),
          fc.constantFrom(...STRANGE_KEYS),
          fc.string({ maxLength: 3 }),
        )
        .map(([v, key, value]) => {
          const api = { ...(v.api as object) };
          const camel = { ...(v.camel as object) };
          define(api, key, value);
          define(camel, key === "Colour" ? "colour" : key, value);
          return { api, camel };
        }),
    );
  }
  if (s.type === "map") {
    const len = traits["smithy.api#length"] as { max?: number } | undefined;
    if (len?.max !== undefined) {
      const n = len.max + 1;
      const d = Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, "v"]));
      options.push(fc.constant(same(d)));
    }
    options.push(
      fc.tuple(brokenString(resolve(s.key!.target), {}), fc.constant("v")).map(([k, v]) => {
        const d: Record<string, unknown> = {};
        define(d, k, v);
        return same(d);
      }),
    );
  }
  if (s.type === "string") options.push(brokenString(s, traits).map(same));
  if (s.type === "list") options.push(fc.constant(same("not a list")));
  return fc.oneof(...options);
}

/** Strings that are empty, too long, contain a forbidden character, or are not in the enum. */
function brokenString(s: SmithyShape, memberTraits: Record<string, unknown>): fc.Arbitrary<string> {
  const traits = { ...(s.traits ?? {}), ...memberTraits };
  const len = traits["smithy.api#length"] as { min?: number; max?: number } | undefined;
  const options: fc.Arbitrary<string>[] = [fc.string({ maxLength: 8, unit: "binary" })];
  if (len?.min) options.push(fc.constant(""));
  if (len?.max !== undefined)
    options.push(fc.integer({ min: 1, max: 5 }).map((extra) => "a".repeat(len.max! + extra)));
  options.push(
    fc
      .tuple(validString(s, memberTraits), fc.constantFrom(...BAD_CHARS))
      .map(([v, c]) => v + c + v),
  );
  return fc.oneof(...options);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Sets an own property even for names like `__proto__`, as JSON.parse and Pulumi's inputs do. */
function define(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}
