// Query strings as the services read them: keys are case-sensitive, repeated keys form lists,
// `%XX` is decoded and `+` stays a plus (AWS SDKs always percent-encode spaces as %20).

export type Query = Record<string, string[]>;

export function parseQuery(raw: string): Query {
  // No prototype: a query key like `valueOf` or `__proto__` is just a key.
  const out: Query = Object.create(null);
  if (!raw) return out;
  for (const part of raw.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decode(part.slice(eq + 1));
    (out[key] ??= []).push(value);
  }
  return out;
}

export function first(query: Query, key: string): string | undefined {
  return query[key]?.[0];
}

/** Splits a raw URL into its path and query parts without decoding either. */
export function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  const q = url.indexOf("?");
  return q < 0
    ? { rawPath: url, rawQuery: "" }
    : { rawPath: url.slice(0, q), rawQuery: url.slice(q + 1) };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
