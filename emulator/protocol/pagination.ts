// Opaque NextToken pagination. A token remembers the operation and the key of the last item
// returned, so items created or deleted between pages neither repeat nor vanish from the walk.
import { invalidField } from "./errors";

/** What Panorama returns when MaxResults is 0 or absent (the model's maximum). */
export const DEFAULT_PAGE_SIZE = 25;

export interface PageRequest {
  maxResults?: number;
  nextToken?: string;
  /** Member names as the operation spells them, for error messages. */
  tokenMember?: string;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

interface TokenData {
  op: string;
  after: string;
  index: number;
}

export function paginate<T>(
  operation: string,
  items: T[],
  keyOf: (item: T) => string,
  req: PageRequest,
): Page<T> {
  const size = req.maxResults && req.maxResults > 0 ? req.maxResults : DEFAULT_PAGE_SIZE;
  let start = 0;
  if (req.nextToken !== undefined) {
    const token = decodeToken(req.nextToken);
    if (!token || token.op !== operation)
      throw invalidField(
        req.tokenMember ?? "NextToken",
        `The pagination token is not valid for ${operation}.`,
      );
    const at = items.findIndex((item) => keyOf(item) === token.after);
    start = at >= 0 ? at + 1 : Math.min(token.index + 1, items.length);
  }
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return {
    items: page,
    nextToken: more
      ? encodeToken({ op: operation, after: keyOf(page[page.length - 1]), index: start + size - 1 })
      : undefined,
  };
}

function encodeToken(t: TokenData): string {
  return Buffer.from(JSON.stringify(t)).toString("base64url");
}

function decodeToken(text: string): TokenData | undefined {
  try {
    const t = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    return typeof t?.op === "string" && typeof t.after === "string" && Number.isInteger(t.index)
      ? t
      : undefined;
  } catch {
    return undefined;
  }
}
