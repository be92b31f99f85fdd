// TypeScript declarations → Pulumi schema types. Inputs (`…Args`, with pulumi.Input wrappers) and
// outputs (plain interfaces, pulumi.Output) of the same shape map to one schema object type,
// `panorama:index:<Name>`; when the two TypeScript interfaces disagree that is a problem, not a
// choice. Object types and string-literal unions named like a shape of the Smithy model must have
// that shape's members and values.
import * as ts from "typescript";
import { token } from "../provider/plugin/tokens";
import { enumValues } from "../model/panoramaModel";
import { describe, Doc, smithyMembers, smithyShape, smithyText, tsDoc } from "./docs";

export interface TypeSpec {
  type?: string;
  $ref?: string;
  items?: TypeSpec;
  additionalProperties?: TypeSpec;
}

export interface PropertySpec extends TypeSpec {
  description?: string;
  secret?: boolean;
  deprecationMessage?: string;
}

export interface ObjectTypeSpec {
  type: "object";
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

export interface EnumTypeSpec {
  type: "string";
  description?: string;
  enum: { value: string }[];
}

export interface Member {
  name: string;
  spec: PropertySpec;
  optional: boolean;
  /** Its TSDoc, for a description from another source where it has no comment. */
  doc: Doc;
}

const ANY: TypeSpec = { $ref: "pulumi.json#/Any" };
const WRAPPERS = ["Input", "Output"];

export class TypeMapper {
  /** Object and enum types by token, with where each was first declared (for messages). */
  readonly types = new Map<string, { spec: ObjectTypeSpec | EnumTypeSpec; from: string }>();
  readonly problems: string[] = [];

  constructor(private readonly checker: ts.TypeChecker) {}

  /**
   * The members of an interface, class (its `declare readonly` outputs) or type literal. `model`
   * names a shape of the model whose member documentation stands in where the TSDoc has none;
   * when the declaration `mirrors` it, its members must be exactly the shape's. `fields` names
   * properties a class assigns itself (a component's outputs) to take besides `declare`d ones;
   * `skip` names members to leave out.
   */
  members(
    decl: ts.InterfaceDeclaration | ts.ClassDeclaration | ts.TypeLiteralNode,
    context: string,
    model?: { shape: string; mirrors: boolean },
    { fields = [], skip = [] }: { fields?: readonly string[]; skip?: readonly string[] } = {},
  ): Member[] {
    const api = smithyMembers(smithyShape(model?.shape ?? ""));
    const out: Member[] = [];
    for (const m of decl.members) {
      if (
        !(ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) ||
        !m.name ||
        !ts.isIdentifier(m.name) ||
        skip.includes(m.name.text)
      )
        continue;
      if (
        ts.isPropertyDeclaration(m) &&
        !m.modifiers?.some((x) => x.kind === ts.SyntaxKind.DeclareKeyword) &&
        !fields.includes(m.name.text)
      )
        continue;
      const name = m.name.text;
      const { spec, optional } = this.typeOf(
        m.type,
        inlineName(api.get(name)?.target, `${context}${pascal(name)}`),
      );
      const doc = tsDoc(this.checker, m);
      const description = describe(doc, api.get(name)?.doc);
      out.push({
        name,
        doc,
        optional: optional || m.questionToken !== undefined,
        spec: {
          ...spec,
          ...(description ? { description } : {}),
          ...(doc.deprecated ? { deprecationMessage: doc.deprecated } : {}),
        },
      });
    }
    if (model?.mirrors && api.size) {
      const names = out.map((m) => m.name).sort();
      const expected = [...api.keys()].sort();
      if (names.join() !== expected.join())
        this.problems.push(
          `${context} mirrors the API's ${model.shape} but has members [${names}] where the model has [${expected}]`,
        );
    }
    return out;
  }

  /** The schema type of a TypeScript type (undefined: Any), and whether it admits `undefined`. */
  typeOf(node: ts.TypeNode | undefined, context: string): { spec: TypeSpec; optional: boolean } {
    if (!node) return { spec: ANY, optional: true };
    if (ts.isParenthesizedTypeNode(node)) return this.typeOf(node.type, context);
    if (ts.isUnionTypeNode(node)) {
      const rest = node.types.filter((t) => !isUndefined(t));
      const optional = rest.length < node.types.length;
      if (rest.every(isStringLiteral)) return { spec: { type: "string" }, optional };
      if (rest.length === 1) return { spec: this.typeOf(rest[0], context).spec, optional };
      return { spec: ANY, optional };
    }
    if (ts.isArrayTypeNode(node))
      return {
        spec: { type: "array", items: this.typeOf(node.elementType, context).spec },
        optional: false,
      };
    if (ts.isTypeLiteralNode(node))
      return { spec: { $ref: this.objectType(context, node, context) }, optional: false };
    if (isStringLiteral(node)) return { spec: { type: "string" }, optional: false };
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { spec: { type: "string" }, optional: false };
      case ts.SyntaxKind.NumberKeyword:
        return { spec: { type: "number" }, optional: false };
      case ts.SyntaxKind.BooleanKeyword:
        return { spec: { type: "boolean" }, optional: false };
    }
    if (ts.isTypeReferenceNode(node)) return this.reference(node, context);
    return { spec: ANY, optional: false };
  }

  private reference(
    node: ts.TypeReferenceNode,
    context: string,
  ): { spec: TypeSpec; optional: boolean } {
    const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
    const args = node.typeArguments ?? [];
    if (WRAPPERS.includes(name) && args.length === 1) return this.typeOf(args[0], context);
    if (name === "Array" && args.length === 1)
      return {
        spec: { type: "array", items: this.typeOf(args[0], context).spec },
        optional: false,
      };
    if (name === "Record" && args.length === 2)
      return {
        spec: { type: "object", additionalProperties: this.typeOf(args[1], context).spec },
        optional: false,
      };
    let symbol = this.checker.getSymbolAtLocation(node.typeName);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias)
      symbol = this.checker.getAliasedSymbol(symbol);
    const decl = symbol?.declarations?.[0];
    if (decl && ts.isInterfaceDeclaration(decl)) {
      const typeName = decl.name.text.replace(/Args$/, "");
      return { spec: { $ref: this.objectType(typeName, decl, typeName) }, optional: false };
    }
    if (decl && ts.isTypeAliasDeclaration(decl)) {
      const t = decl.type;
      if (ts.isUnionTypeNode(t) && t.types.every(isStringLiteral))
        return { spec: { $ref: this.enumType(decl, t) }, optional: false };
      return this.typeOf(t, decl.name.text);
    }
    return { spec: ANY, optional: false };
  }

  /** Registers (or checks against the registered) object type; returns its $ref. */
  private objectType(
    name: string,
    decl: ts.InterfaceDeclaration | ts.TypeLiteralNode,
    context: string,
  ): string {
    const tok = token(name);
    const ref = `#/types/${tok}`;
    const from = ts.isInterfaceDeclaration(decl) ? decl.name.text : context;
    const known = this.types.get(tok);
    if (known?.from === from) return ref;
    if (!known) this.types.set(tok, { spec: { type: "object", properties: {} }, from }); // recursion guard
    const mirrored = smithyShape(name)?.type === "structure";
    const members = this.members(decl, name, mirrored ? { shape: name, mirrors: true } : undefined);
    const description = describe(
      ts.isInterfaceDeclaration(decl) ? tsDoc(this.checker, decl) : {},
      smithyText(smithyShape(name)?.traits?.["smithy.api#documentation"]),
    );
    const spec: ObjectTypeSpec = {
      type: "object",
      ...(description ? { description } : {}),
      properties: Object.fromEntries(members.map((m) => [m.name, m.spec])),
      required: members.filter((m) => !m.optional).map((m) => m.name),
    };
    if (!spec.required!.length) delete spec.required;
    if (known) this.agree(tok, known.from, from, known.spec as ObjectTypeSpec, spec);
    else this.types.set(tok, { spec, from });
    return ref;
  }

  private enumType(decl: ts.TypeAliasDeclaration, union: ts.UnionTypeNode): string {
    const name = decl.name.text;
    const tok = token(name);
    const values = union.types.map(
      (t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text,
    );
    if (!this.types.has(tok)) {
      const model = smithyShape(name) ? enumValues(name) : undefined;
      if (model && model.slice().sort().join() !== values.slice().sort().join())
        this.problems.push(`${name} is [${values}] in TypeScript but [${model}] in the model`);
      const doc = describe(tsDoc(this.checker, decl));
      this.types.set(tok, {
        spec: {
          type: "string",
          ...(doc ? { description: doc } : {}),
          enum: values.map((value) => ({ value })),
        },
        from: name,
      });
    }
    return `#/types/${tok}`;
  }

  /** The input and output interfaces of one schema type must agree on members, types and what is required. */
  private agree(tok: string, a: string, b: string, x: ObjectTypeSpec, y: ObjectTypeSpec): void {
    const shape = (s: ObjectTypeSpec) =>
      JSON.stringify({
        properties: Object.fromEntries(
          Object.entries(s.properties)
            .sort()
            .map(([k, p]) => [k, { ...p, description: undefined, deprecationMessage: undefined }]),
        ),
        required: [...(s.required ?? [])].sort(),
      });
    if (shape(x) !== shape(y))
      this.problems.push(`${tok}: ${a} and ${b} disagree (${shape(x)} vs ${shape(y)})`);
    for (const [key, p] of Object.entries(y.properties))
      if (!x.properties[key]?.description && p.description && x.properties[key])
        x.properties[key].description = p.description;
  }
}

/** The interface a type reference names (through imports and `Promise<…>`), if it names one. */
export function interfaceOf(
  checker: ts.TypeChecker,
  node: ts.TypeNode | undefined,
): ts.InterfaceDeclaration | undefined {
  if (!node || !ts.isTypeReferenceNode(node)) return undefined;
  if (node.typeName.getText() === "Promise" && node.typeArguments?.length === 1)
    return interfaceOf(checker, node.typeArguments[0]);
  let symbol = checker.getSymbolAtLocation(node.typeName);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.declarations?.[0];
  return decl && ts.isInterfaceDeclaration(decl) ? decl : undefined;
}

function isUndefined(t: ts.TypeNode): boolean {
  return (
    t.kind === ts.SyntaxKind.UndefinedKeyword ||
    (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword)
  );
}

function isStringLiteral(t: ts.TypeNode): boolean {
  return ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal);
}

/** An inline object type's name: the model's for an API member, else its place (`<Parent><Member>`). */
function inlineName(modelTarget: string | undefined, place: string): string {
  return modelTarget?.split("#")[1] ?? place;
}

export function pascal(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
