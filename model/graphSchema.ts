// The JSON Schema documents of graph.json and its overrides (model/schemas/), checked with Ajv.
// The build writes Ajv's standalone code for both next to this module's JavaScript
// (scripts/graph-validators.js), so a provider process loads small generated functions instead of
// compiling the schemas (about half a second on a slow machine) in every `pulumi up`; from the
// TypeScript sources (tests), the schemas are compiled once per process, with the same options.
import * as fs from "fs";
import * as path from "path";
import type Ajv from "ajv";
import type { ErrorObject } from "ajv";
import graphSchema from "./schemas/nodeGraph.schema.json";
import overridesSchema from "./schemas/nodeGraphOverrides.schema.json";
import parts from "./schemas/graphParts.schema.json";

export type DocumentKind = "nodeGraph" | "nodeGraphOverrides";

/** The schema documents by file name, as their `$ref`s name them. */
export const SCHEMA_DOCUMENTS: Record<string, object> = {
  "graphParts.schema.json": parts,
  "nodeGraph.schema.json": graphSchema,
  "nodeGraphOverrides.schema.json": overridesSchema,
};
/** The root document of each kind. */
export const SCHEMA_FILE_OF: Record<DocumentKind, string> = {
  nodeGraph: "nodeGraph.schema.json",
  nodeGraphOverrides: "nodeGraphOverrides.schema.json",
};

/** The generated validators' file name, beside this module's JavaScript in dist/. */
export const PRECOMPILED_VALIDATORS = "graphValidators.js";

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * An Ajv instance holding the three documents. `verbose` gives each error its schema, which the
 * messages read (allowed members, titles, ranges); `source` keeps code for standalone output.
 */
export function schemaCompiler(source = false): Ajv {
  // Loaded only where no generated validators exist (the TypeScript sources, the build script).
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const AjvClass: typeof Ajv = require("ajv").default;
  const ajv = new AjvClass({
    allErrors: true,
    verbose: true,
    strictNumbers: true,
    // A node requires `name` before its branch (chosen by `interface`) declares it.
    strictRequired: false,
    inlineRefs: false,
    code: { source },
  });
  for (const [file, schema] of Object.entries(SCHEMA_DOCUMENTS)) ajv.addSchema(schema, file);
  return ajv;
}

let validators: Record<DocumentKind, Validate> | undefined;

function loadValidators(): Record<DocumentKind, Validate> {
  const generated = path.join(__dirname, PRECOMPILED_VALIDATORS);
  if (fs.existsSync(generated)) return require(generated);
  const ajv = schemaCompiler();
  return {
    nodeGraph: ajv.getSchema(SCHEMA_FILE_OF.nodeGraph) as Validate,
    nodeGraphOverrides: ajv.getSchema(SCHEMA_FILE_OF.nodeGraphOverrides) as Validate,
  };
}

/** Ajv's errors for `document` as a document of this kind; empty when it is valid. */
export function schemaErrors(kind: DocumentKind, document: unknown): ErrorObject[] {
  validators ??= loadValidators();
  const validate = validators[kind];
  return validate(document) ? [] : [...(validate.errors ?? [])];
}

/** The schema a `$ref` names (every reference points into graphParts.schema.json). */
export function dereference(schema: Record<string, any>): Record<string, any> {
  let at = schema;
  while (typeof at?.$ref === "string") {
    const pointer = at.$ref.slice(at.$ref.indexOf("#") + 1);
    at = pointer
      .split("/")
      .filter(Boolean)
      .reduce((node: any, key: string) => node?.[key], parts);
  }
  return at;
}
