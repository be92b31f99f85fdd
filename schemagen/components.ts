// Components of the schema (`isComponent`), which the plugin's Construct serves: inputs are the
// component's Args (less what only TypeScript can give), outputs the properties it records with
// registerOutputs; types and descriptions from the TypeScript, as for resources.
import * as ts from "typescript";
import {
  PANORAMA_APPLICATION_OUTPUTS,
  PASSED_ON_ARGS,
  TYPESCRIPT_ONLY_ARGS,
} from "../provider/components/panoramaApplication";
import { COMPONENTS, token } from "../provider/plugin/tokens";
import { describe, tsDoc } from "./docs";
import { argsInterface, ResourceSchema } from "./resources";
import { Member, PropertySpec, TypeMapper } from "./typeMapper";

const SHAPES: Record<
  string,
  { outputs: readonly string[]; typescriptOnly: readonly string[]; passedOn: readonly string[] }
> = {
  PanoramaApplication: {
    outputs: PANORAMA_APPLICATION_OUTPUTS,
    typescriptOnly: TYPESCRIPT_ONLY_ARGS,
    passedOn: PASSED_ON_ARGS,
  },
};

export function componentSchemas(
  program: ts.Program,
  mapper: TypeMapper,
): Record<string, ResourceSchema & { isComponent: true }> {
  const checker = program.getTypeChecker();
  const result: Record<string, ResourceSchema & { isComponent: true }> = {};
  for (const type of COMPONENTS) {
    const shape = SHAPES[type];
    const cls = classNamed(program, type);
    const args = cls && argsInterface(checker, cls);
    if (!cls || !args || !shape) {
      mapper.problems.push(`${type}: no component class ${type}(name, args: ${type}Args, opts)`);
      continue;
    }
    const inputs = mapper.members(args, type, undefined, { skip: shape.typescriptOnly });
    const outputs = mapper.members(cls, type, undefined, { fields: shape.outputs });
    const missing = shape.outputs.filter((o) => !outputs.some((m) => m.name === o));
    if (missing.length) mapper.problems.push(`${type}: no readonly ${missing.join(", ")}`);
    // What Construct passes on as Inputs is what the Args declare as pulumi.Input.
    const wrapped = args.members
      .filter(
        (m) => ts.isPropertySignature(m) && m.type && /^pulumi\.Input</.test(m.type.getText()),
      )
      .map((m) => (m.name as ts.Identifier).text);
    if (wrapped.sort().join() !== [...shape.passedOn].sort().join())
      mapper.problems.push(
        `${type}: PASSED_ON_ARGS [${shape.passedOn}] must be the Args typed pulumi.Input [${wrapped}]`,
      );
    const description = describe(tsDoc(checker, cls));
    const required = (members: Member[]) => members.filter((m) => !m.optional).map((m) => m.name);
    const specs = (members: Member[]): Record<string, PropertySpec> =>
      Object.fromEntries(members.map((m) => [m.name, m.spec]));
    result[token(type)] = {
      isComponent: true,
      ...(description ? { description } : {}),
      inputProperties: specs(inputs),
      ...(required(inputs).length ? { requiredInputs: required(inputs) } : {}),
      properties: specs(outputs),
      ...(required(outputs).length ? { required: required(outputs) } : {}),
    };
  }
  return result;
}

function classNamed(program: ts.Program, name: string): ts.ClassDeclaration | undefined {
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.includes("/provider/components/")) continue;
    for (const stmt of file.statements)
      if (ts.isClassDeclaration(stmt) && stmt.name?.text === name) return stmt;
  }
  return undefined;
}
