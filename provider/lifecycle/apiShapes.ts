// Converts between the resources' camelCase inputs/outputs and the API's PascalCase members,
// guided by the Smithy model so that map keys (tags) are never renamed and every member name
// comes from the one model file.
import { resolve, shapeId, SmithyShape } from "../../model/panoramaModel";

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * camelCase value → API value for `target`. Keys that are not members of the shape are kept
 * under their camelCase name so that validation reports them as not part of the API.
 */
export function toApi(target: string, value: unknown): unknown {
  return convertIn(resolve(shapeId(target)), value);
}

function convertIn(s: SmithyShape, v: unknown): unknown {
  if (v === undefined || v === null) return v;
  if ((s.type === "structure" || s.type === "union") && isPlainObject(v)) {
    const byCamel = new Map(
      Object.entries(s.members ?? {}).map(([name, m]) => [lowerFirst(name), [name, m] as const]),
    );
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(v)) {
      if (child === undefined) continue;
      const hit = byCamel.get(key);
      if (hit) out[hit[0]] = convertIn(resolve(hit[1].target), child);
      // defineProperty: a key named `__proto__` stays a key (and is reported), not a prototype.
      else
        Object.defineProperty(out, key, {
          value: child,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }
  if (s.type === "list" && Array.isArray(v))
    return v.map((item) => convertIn(resolve(s.member!.target), item));
  if (s.type === "map" && isPlainObject(v)) {
    const valueShape = resolve(s.value!.target);
    return Object.fromEntries(
      Object.entries(v).map(([k, child]) => [k, convertIn(valueShape, child)]),
    );
  }
  return v;
}

/** API value (as the SDK returns it) → camelCase value; timestamps become ISO-8601 strings. */
export function fromApi(target: string, value: unknown): unknown {
  return convertOut(resolve(shapeId(target)), value);
}

function convertOut(s: SmithyShape, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toISOString();
  if ((s.type === "structure" || s.type === "union") && isPlainObject(v)) {
    const members = s.members ?? {};
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(v)) {
      if (key === "$metadata" || child === undefined) continue;
      const m = members[key];
      out[lowerFirst(key)] = m ? convertOut(resolve(m.target), child) : child;
    }
    return out;
  }
  if (s.type === "list" && Array.isArray(v))
    return v.map((item) => convertOut(resolve(s.member!.target), item));
  if (s.type === "map" && isPlainObject(v)) {
    const valueShape = resolve(s.value!.target);
    return Object.fromEntries(
      Object.entries(v).map(([k, child]) => [k, convertOut(valueShape, child)]),
    );
  }
  return v;
}

/** `InputConfig.PackageVersionInputConfig.S3Location` → `inputConfig.packageVersionInputConfig.s3Location`. */
export function camelPath(apiPath: string): string {
  let out = "";
  let inKey = false;
  for (let i = 0; i < apiPath.length; i++) {
    const c = apiPath[i];
    if (c === "[" && apiPath[i + 1] === '"') inKey = true;
    else if (c === "]" && apiPath[i - 1] === '"') inKey = false;
    const startsMember = !inKey && (i === 0 || apiPath[i - 1] === ".");
    out += startsMember ? c.toLowerCase() : c;
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** The props without their undefined members (state holds plain JSON; undefined is not "unset"). */
export function definedOnly<T extends Record<string, unknown>>(props: T): T {
  for (const key of Object.keys(props)) if (props[key] === undefined) delete props[key];
  return props;
}
