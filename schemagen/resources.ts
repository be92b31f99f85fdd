// Resources of the schema, one per type of the registry: inputs are the spec's inputs
// (inputNames), outputs every input kept in outputs plus the spec's outputs; types and
// descriptions from the TypeScript class and its Args interface, the model's documentation where
// they have none. Where the spec and the TypeScript disagree, that is a problem to fix, not to
// paper over.
import * as ts from "typescript";
import { inputNames, ResourceSpec } from "../provider/lifecycle/resourceSpec";
import { implementation, resourceTypes } from "../provider/resources/registry";
import { token } from "../provider/plugin/tokens";
import { apiMemberDocs, describe, tsDoc } from "./docs";
import { resourceExamples } from "./examples";
import { interfaceOf, Member, PropertySpec, TypeMapper } from "./typeMapper";

export interface ResourceSchema {
  description?: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs?: string[];
  properties: Record<string, PropertySpec>;
  required?: string[];
}

/** The resource classes of the program (classes whose name is a registered type). */
function classesByName(program: ts.Program): Map<string, ts.ClassDeclaration> {
  const found = new Map<string, ts.ClassDeclaration>();
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.includes("/provider/")) continue;
    for (const stmt of file.statements)
      if (ts.isClassDeclaration(stmt) && stmt.name && resourceTypes().includes(stmt.name.text))
        found.set(stmt.name.text, stmt);
  }
  return found;
}

/** The interface a class's constructor takes its arguments as (`args: FooArgs`). */
export function argsInterface(
  checker: ts.TypeChecker,
  cls: ts.ClassDeclaration,
): ts.InterfaceDeclaration | undefined {
  return interfaceOf(checker, cls.members.find(ts.isConstructorDeclaration)?.parameters[1]?.type);
}

export function resourceSchemas(
  program: ts.Program,
  mapper: TypeMapper,
): Record<string, ResourceSchema> {
  const checker = program.getTypeChecker();
  const classes = classesByName(program);
  const result: Record<string, ResourceSchema> = {};
  for (const type of resourceTypes()) {
    const spec = implementation(type).spec;
    const cls = classes.get(type);
    const args = cls && argsInterface(checker, cls);
    if (!cls || !args) {
      mapper.problems.push(
        `${type}: no class ${type} with a constructor (name, args: ${type}Args, opts) under provider/`,
      );
      continue;
    }
    const byName = (members: Member[]) => new Map(members.map((m) => [m.name, m]));
    const argMembers = byName(mapper.members(args, type));
    const outMembers = byName(mapper.members(cls, type));
    const docs = apiMemberDocs(type);
    const withDoc = (name: string, m: Member): PropertySpec => {
      const { description: _given, ...spec } = m.spec;
      const description = describe(m.doc, docs.get(name));
      return description ? { ...spec, description } : spec;
    };
    agreement(type, spec, argMembers, outMembers, mapper.problems);

    // The options every resource has (region, waitOptions) are in the schema where its Args declare them.
    const inputs = inputNames(spec).filter((k) => argMembers.has(k));
    const inputProperties: Record<string, PropertySpec> = {};
    for (const name of inputs) {
      const m = argMembers.get(name);
      // Always-secret outputs that are inputs too are secret where the program sets them.
      if (m)
        inputProperties[name] = {
          ...withDoc(name, m),
          ...(spec.secretOutputs?.includes(name) ? { secret: true } : {}),
        };
    }
    const kept = inputs.filter((k) => !spec.createOnly?.includes(k));
    const outputNames = [...new Set([...kept, ...outMembers.keys(), ...spec.outputs])];
    const properties: Record<string, PropertySpec> = {};
    const required: string[] = [];
    for (const name of outputNames) {
      const m = outMembers.get(name) ?? argMembers.get(name);
      if (!m) continue;
      // An output the class declares without a comment is described as its input.
      const doc = m.doc.comment ? m.doc : (argMembers.get(name)?.doc ?? m.doc);
      properties[name] = {
        ...withDoc(name, { ...m, doc }),
        ...(spec.secretOutputs?.includes(name) ? { secret: true } : {}),
      };
      if (!m.optional && outMembers.has(name)) required.push(name);
    }
    const requiredInputs = inputs.filter((k) => argMembers.get(k) && !argMembers.get(k)!.optional);
    const description = [describe(tsDoc(checker, cls)), resourceExamples(type)]
      .filter(Boolean)
      .join("\n\n");
    result[token(type)] = {
      ...(description ? { description } : {}),
      inputProperties,
      ...(requiredInputs.length ? { requiredInputs } : {}),
      properties,
      ...(required.length ? { required } : {}),
    };
  }
  return result;
}

/** Options the lifecycle gives every resource (inputNames adds them to any spec). */
const COMMON = inputNames({ type: "", parameters: [], options: {}, outputs: [] });

function common(name: string): boolean {
  return COMMON.includes(name);
}

/** The spec's lists and the TypeScript must name the same properties. */
function agreement(
  type: string,
  spec: ResourceSpec,
  args: Map<string, Member>,
  outs: Map<string, Member>,
  problems: string[],
): void {
  const inputs = inputNames(spec);
  for (const name of args.keys())
    if (!inputs.includes(name))
      problems.push(
        `${type}Args.${name} is not an input of the ${type} spec (inputs: ${inputs.join(", ")})`,
      );
  for (const name of inputs)
    if (!args.has(name) && !common(name))
      problems.push(`${type}: the spec's input ${name} is missing from ${type}Args`);
  for (const name of spec.outputs)
    if (!outs.has(name))
      problems.push(
        `${type}: the spec's output ${name} is not declared on the class (declare readonly ${name})`,
      );
  for (const name of outs.keys())
    if (!inputs.includes(name) && !spec.outputs.includes(name))
      problems.push(
        `${type}.${name} is declared on the class but is neither an input nor an output of the spec`,
      );
}
