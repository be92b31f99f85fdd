// Just enough XML for S3 answers: escaped text and nested elements.
import { HttpReply } from "../protocol/http";

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!,
  );
}

export type XmlValue = string | number | boolean | undefined | XmlNode | XmlNode[];
export interface XmlNode {
  [element: string]: XmlValue;
}

/** Renders `{A: "x", B: [{C: 1}, {C: 2}]}` as `<A>x</A><B><C>1</C></B><B><C>2</C></B>`; undefined is skipped. */
export function toXml(node: XmlNode): string {
  let out = "";
  for (const [name, value] of Object.entries(node)) {
    if (value === undefined) continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      out +=
        typeof item === "object"
          ? `<${name}>${toXml(item)}</${name}>`
          : `<${name}>${escapeXml(String(item))}</${name}>`;
    }
  }
  return out;
}

export function xmlDocument(
  root: string,
  body: XmlNode,
  namespace = "http://s3.amazonaws.com/doc/2006-03-01/",
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${namespace}">${toXml(body)}</${root}>`;
}

/** An S3 answer with an XML document as its body. */
export function xmlReply(status: number, root: string, body: XmlNode): HttpReply {
  return { status, headers: { "content-type": "application/xml" }, body: xmlDocument(root, body) };
}
