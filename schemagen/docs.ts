// Descriptions for the schema: the TSDoc of the TypeScript declarations first, the Smithy model's
// documentation of the same API member where the TypeScript says nothing.
import * as ts from "typescript";
import { shapeId, shapes, SmithyShape } from "../model/panoramaModel";
import { configKeyName } from "../provider/plugin/providerConfig";

/** A declaration's TSDoc: its comment, its `@default` and `@deprecated` tags. */
export interface Doc {
  comment?: string;
  dflt?: string;
  deprecated?: string;
}

export function tsDoc(checker: ts.TypeChecker, node: ts.Node): Doc {
  const name = (node as ts.NamedDeclaration).name;
  const symbol = name ? checker.getSymbolAtLocation(name) : undefined;
  if (!symbol) return {};
  const comment = plain(ts.displayPartsToString(symbol.getDocumentationComment(checker)));
  const tags = symbol.getJsDocTags(checker);
  const tag = (tagName: string) => {
    const found = tags.find((t) => t.name === tagName);
    return found ? plain(ts.displayPartsToString(found.text ?? [])) : undefined;
  };
  return {
    ...(comment ? { comment } : {}),
    ...(tag("default") !== undefined ? { dflt: tag("default") } : {}),
    ...(tags.some((t) => t.name === "deprecated")
      ? { deprecated: tag("deprecated") || "Deprecated." }
      : {}),
  };
}

/**
 * Schema text: the comment (else `fallback`, the model's), then `Default: …`. Defaults written for
 * the TypeScript door's stack config name the plugin's provider config instead.
 */
export function describe(doc: Doc, fallback?: string): string | undefined {
  const dflt = doc.dflt?.replace(
    /stack config `aws:region`/g,
    `the provider's \`region\` (\`${configKeyName("region")}\`)`,
  );
  const text = [doc.comment ?? fallback, dflt !== undefined ? `Default: ${dflt}` : undefined]
    .filter(Boolean)
    .join("\n\n");
  return text || undefined;
}

/** `{@link getDevice}` → `getDevice`; whitespace as written. */
function plain(text: string): string {
  return text
    .replace(/\{@link\s+([^}\s|]+)(?:\s*\|\s*([^}]+))?\}/g, (_m, target, label) => label ?? target)
    .trim();
}

/** The model's HTML documentation as plain text (`<code>x</code>` as `x` in backticks). */
export function smithyText(html: unknown): string | undefined {
  if (typeof html !== "string") return undefined;
  const text = html
    .replace(/<code>(.*?)<\/code>/g, "`$1`")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  return text || undefined;
}

/** A structure or enum shape of the model by its name, if it has one. */
export function smithyShape(name: string): SmithyShape | undefined {
  return shapes()[shapeId(name)];
}

/** camelCase member name → its Smithy member, for a structure shape. */
export function smithyMembers(
  shape: SmithyShape | undefined,
): Map<string, { target: string; doc?: string }> {
  const members = new Map<string, { target: string; doc?: string }>();
  for (const [name, m] of Object.entries(shape?.members ?? {}))
    members.set(name.charAt(0).toLowerCase() + name.slice(1), {
      target: m.target,
      doc: smithyText(m.traits?.["smithy.api#documentation"]),
    });
  return members;
}

/** The documentation of a resource's API members: its create (or register) request, then its Describe answer. */
export function apiMemberDocs(resourceType: string): Map<string, string> {
  const docs = new Map<string, string>();
  for (const name of [
    `Create${resourceType}Request`,
    `Register${resourceType}Request`,
    `Describe${resourceType}Response`,
  ])
    for (const [member, m] of smithyMembers(smithyShape(name)))
      if (m.doc && !docs.has(member)) docs.set(member, m.doc);
  return docs;
}
