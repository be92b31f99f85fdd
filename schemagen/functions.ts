// Functions of the schema: every lookup the plugin serves through Invoke (provider/lookups/invokes.ts),
// typed from the TypeScript function of the same name: `getX(args: GetXArgs, …): Promise<GetXResult>`.
import * as ts from "typescript";
import { LOOKUPS } from "../provider/lookups/invokes";
import { token } from "../provider/plugin/tokens";
import { describe, tsDoc } from "./docs";
import { interfaceOf, Member, PropertySpec, TypeMapper } from "./typeMapper";

export interface FunctionSchema {
  description?: string;
  inputs: { properties: Record<string, PropertySpec>; required?: string[] };
  outputs: { properties: Record<string, PropertySpec>; required?: string[] };
}

function exportedFunctions(program: ts.Program): Map<string, ts.FunctionDeclaration> {
  const found = new Map<string, ts.FunctionDeclaration>();
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.includes("/provider/lookups/")) continue;
    for (const stmt of file.statements)
      if (
        ts.isFunctionDeclaration(stmt) &&
        stmt.name &&
        stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      )
        found.set(stmt.name.text, stmt);
  }
  return found;
}

function objectOf(members: Member[]) {
  const required = members.filter((m) => !m.optional).map((m) => m.name);
  return {
    properties: Object.fromEntries(members.map((m) => [m.name, m.spec])),
    ...(required.length ? { required } : {}),
  };
}

export function functionSchemas(
  program: ts.Program,
  mapper: TypeMapper,
): Record<string, FunctionSchema> {
  const checker = program.getTypeChecker();
  const functions = exportedFunctions(program);
  const result: Record<string, FunctionSchema> = {};
  for (const name of Object.keys(LOOKUPS)) {
    const fn = functions.get(name);
    const args = interfaceOf(checker, fn?.parameters[0]?.type);
    const returned = interfaceOf(checker, fn?.type);
    if (!fn || !args || !returned) {
      mapper.problems.push(
        `${name}: no exported function ${name}(args: …Args, opts?): Promise<…Result> under provider/lookups/`,
      );
      continue;
    }
    const description = describe(tsDoc(checker, fn));
    result[token(name)] = {
      ...(description ? { description } : {}),
      inputs: objectOf(mapper.members(args, `${name}Args`)),
      // getDevice answers what DescribeDevice does (more or less): its documentation fills gaps.
      outputs: objectOf(
        mapper.members(returned, `${name}Result`, {
          shape: `Describe${name.replace(/^get/, "")}Response`,
          mirrors: false,
        }),
      ),
    };
  }
  return result;
}
