// The provider plugin's package schema (schema.json), generated from the declarations it serves:
// the registry's resource specs and TypeScript classes, the fleet component, the lookups, the provider config and the
// Smithy model. `npm run schema` writes it; tests/plugin/schema.test.ts fails when it is stale.
import * as path from "path";
import * as ts from "typescript";
import { ENDPOINT_SERVICES } from "../provider/calls/awsClients";
import { packageVersion } from "../provider/plugin/packageFiles";
import { PROVIDER_CONFIG } from "../provider/plugin/providerConfig";
import { PACKAGE, token } from "../provider/plugin/tokens";
import { componentSchemas } from "./components";
import { functionSchemas } from "./functions";
import { resourceSchemas } from "./resources";
import { PropertySpec, TypeMapper } from "./typeMapper";

/**
 * Package names of the SDKs generated from this schema into sdk/ (`npm run gen-sdk`; README,
 * "Generated SDKs"). With `meta.supportPack` every SDK carries the schema's version and the Go SDK
 * is a module of its own (go.mod), the parent of `importBasePath`.
 */
export const LANGUAGE = {
  nodejs: {
    packageName: "@pulumi-panorama/plugin-sdk",
    packageDescription:
      "AWS Panorama resources for Pulumi, served by the pulumi-panorama provider plugin.",
    dependencies: { "@pulumi/pulumi": ">=3.248.0 <4.0.0" },
    // TypeScript 7 has no compiler API, which the Pulumi SDK's closure serializer needs.
    typescriptVersion: "^5.9.3",
    respectSchemaVersion: true,
  },
  python: {
    packageName: "pulumi_panorama",
    requires: { pulumi: ">=3.0.0,<4.0.0" },
    pyproject: { enabled: true },
    respectSchemaVersion: true,
  },
  go: {
    importBasePath: "github.com/pulumi-panorama/pulumi-panorama/sdk/go/panorama",
    generateResourceContainerTypes: true,
    respectSchemaVersion: true,
  },
};

const ROOT = path.resolve(__dirname, "..");

export interface Generated {
  schema: Record<string, unknown>;
  /** Places where the declarations disagree; a schema with problems is not written. */
  problems: string[];
}

export function generateSchema(): Generated {
  const program = ts.createProgram({
    rootNames: [
      path.join(ROOT, "provider/index.ts"),
      path.join(ROOT, "provider/resources/registry.ts"),
      path.join(ROOT, "provider/lookups/invokes.ts"),
    ],
    options: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      noEmit: true,
    },
  });
  const mapper = new TypeMapper(program.getTypeChecker());
  const resources = { ...resourceSchemas(program, mapper), ...componentSchemas(program, mapper) };
  const functions = functionSchemas(program, mapper);
  const endpoints = token("Endpoints");
  mapper.types.set(endpoints, {
    from: "providerConfig.ts",
    spec: {
      type: "object",
      description: "An endpoint URL per service.",
      properties: Object.fromEntries(
        ENDPOINT_SERVICES.map((s) => [
          s,
          { type: "string", description: `The ${s} endpoint URL, e.g. http://127.0.0.1:4566.` },
        ]),
      ),
    },
  });
  const config: Record<string, PropertySpec> = Object.fromEntries(
    Object.entries(PROVIDER_CONFIG).map(([key, c]) => [
      key,
      {
        ...(c.kind === "endpoints" ? { $ref: `#/types/${endpoints}` } : { type: "string" }),
        description: c.description,
      },
    ]),
  );
  const types = Object.fromEntries(
    [...mapper.types.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.spec]),
  );
  return {
    problems: mapper.problems,
    schema: {
      name: PACKAGE,
      displayName: "AWS Panorama",
      version: packageVersion(),
      description:
        "AWS Panorama package import jobs waited on until SUCCEEDED, packages, package versions and device deployments pinned to the imported patches.",
      keywords: ["pulumi", "aws", "panorama", "category/cloud"],
      license: "Apache-2.0",
      meta: { moduleFormat: "(.*)", supportPack: true },
      config: { variables: config },
      provider: {
        description:
          "The provider of AWS Panorama resources: one region, profile and set of endpoints.",
        inputProperties: config,
        properties: config,
      },
      resources,
      functions,
      types,
      language: LANGUAGE,
    },
  };
}

/** The schema as written to schema.json. */
export function schemaText(schema: Record<string, unknown>): string {
  return JSON.stringify(schema, null, 2) + "\n";
}
