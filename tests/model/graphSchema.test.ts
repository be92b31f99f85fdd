// The schema documents of graph.json and its overrides: valid JSON Schema (draft-07, as the
// developer guide's), compiled by Ajv in strict mode, and the standalone code the build writes
// for them refusing exactly what the runtime compile refuses.
import * as assert from "assert";
import Module from "module";
import * as path from "path";
import standaloneCode from "ajv/dist/standalone";
import type { ErrorObject } from "ajv";
import { NODE_LAUNCH_MODES, VALUE_NODE_INTERFACES } from "../../model/graphRules";
import {
  DocumentKind,
  SCHEMA_DOCUMENTS,
  SCHEMA_FILE_OF,
  schemaCompiler,
  schemaErrors,
} from "../../model/graphSchema";
import type { NodeLaunch, ValueNodeInterface } from "../../provider/manifest/manifestTypes";
import { BAD_GRAPHS, BAD_OVERRIDES, changed, validGraph, validOverrides } from "./badGraphs";

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

describe("graph.json schema documents (model/schemas/)", () => {
  for (const [file, schema] of Object.entries(SCHEMA_DOCUMENTS)) {
    it(`${file} is a valid draft-07 schema`, () => {
      const ajv = schemaCompiler();
      assert.strictEqual((schema as { $schema: string }).$schema, DRAFT_07);
      assert.ok(ajv.validateSchema(schema), ajv.errorsText(ajv.errors));
    });
  }

  it("compile in strict mode (no unknown keyword, every $ref resolves)", () => {
    const ajv = schemaCompiler();
    for (const file of Object.values(SCHEMA_FILE_OF)) assert.ok(ajv.getSchema(file), file);
  });

  it("the TypeScript unions list exactly the schema's values", () => {
    // Each Record must name every member of its union, and nothing else, or tsc refuses it.
    const launches: Record<NodeLaunch, true> = { onDemand: true, onAppStart: true, onSignal: true };
    const values: Record<ValueNodeInterface, true> = {
      boolean: true,
      float32: true,
      int32: true,
      string: true,
    };
    assert.deepStrictEqual(Object.keys(launches), [...NODE_LAUNCH_MODES]);
    assert.deepStrictEqual(Object.keys(values), [...VALUE_NODE_INTERFACES]);
  });

  it("Ajv's standalone code, as the build writes it, refuses what the runtime compile refuses", () => {
    const generated = loadStandalone();
    const documents: [DocumentKind, unknown][] = [
      ["nodeGraph", validGraph()],
      ["nodeGraphOverrides", validOverrides()],
      ...BAD_GRAPHS.map(([, c]): [DocumentKind, unknown] => ["nodeGraph", changed(validGraph, c)]),
      ...BAD_OVERRIDES.map(([, c]): [DocumentKind, unknown] => [
        "nodeGraphOverrides",
        changed(validOverrides, c),
      ]),
    ];
    let refused = 0;
    for (const [kind, document] of documents) {
      const validate = generated[kind];
      const expected = schemaErrors(kind, document).map(essentials);
      assert.strictEqual(validate(document), expected.length === 0);
      assert.deepStrictEqual((validate.errors ?? []).map(essentials), expected);
      if (expected.length) refused++;
    }
    assert.ok(refused > 30, `only ${refused} documents broke a schema rule`);
  });
});

type Validate = ((d: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** The code scripts/graph-validators.js writes, loaded as a module beside model/graphSchema.ts. */
function loadStandalone(): Record<DocumentKind, Validate> {
  const code = standaloneCode(schemaCompiler(true), SCHEMA_FILE_OF);
  const filename = path.join(__dirname, "..", "..", "model", "graphValidators.js");
  const m = new Module(filename, module);
  m.filename = filename;
  m.paths = (Module as any)._nodeModulePaths(path.dirname(filename));
  (m as any)._compile(code, filename);
  return m.exports;
}

function essentials(e: ErrorObject) {
  return { instancePath: e.instancePath, keyword: e.keyword, params: e.params };
}
