// schema.json: current (what `npm run schema` writes from the declarations), and in agreement
// with the resource specs, the lookups and the provider config the plugin serves.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { inputNames } from "../../provider/lifecycle/resourceSpec";
import { LOOKUPS } from "../../provider/lookups/invokes";
import { schemaPath } from "../../provider/plugin/packageFiles";
import { PROVIDER_CONFIG } from "../../provider/plugin/providerConfig";
import { COMPONENTS, token } from "../../provider/plugin/tokens";
import { PANORAMA_APPLICATION_OUTPUTS } from "../../provider/components/panoramaApplication";
import { implementation, resourceTypes } from "../../provider/resources/registry";
import { generateSchema, schemaText } from "../../schemagen/schema";
import { CLI_BUILD_TIMEOUT_MS, createSandbox, engineCli } from "../support/engine";
import { PANORAMA_PLUGIN } from "../support/pluginDoor";

type Schema = Record<string, any>;

describe("schema.json", function () {
  this.timeout(120_000);
  const checkedIn: Schema = JSON.parse(fs.readFileSync(schemaPath(), "utf8"));
  let generated: ReturnType<typeof generateSchema>;
  before(() => (generated = generateSchema()));

  it("is what the declarations generate: the specs, classes, Args, lookups and the model agree", () => {
    assert.deepStrictEqual(generated.problems, [], "the declarations disagree");
    assert.ok(
      schemaText(generated.schema) === fs.readFileSync(schemaPath(), "utf8"),
      "schema.json is stale: run `npm run schema` and commit it",
    );
  });

  it("serves every resource type of the registry, with its spec's inputs and outputs", () => {
    assert.deepStrictEqual(
      Object.keys(checkedIn.resources).sort(),
      [...resourceTypes(), ...COMPONENTS].map(token).sort(),
    );
    for (const type of resourceTypes()) {
      const spec = implementation(type).spec;
      const resource = checkedIn.resources[token(type)];
      for (const input of Object.keys(resource.inputProperties))
        assert.ok(inputNames(spec).includes(input), `${type}.${input} is not an input of the spec`);
      for (const key of [...spec.parameters, ...Object.keys(spec.options)])
        assert.ok(
          key in resource.inputProperties,
          `${type}: the spec's input ${key} is not in the schema`,
        );
      for (const output of spec.outputs)
        assert.ok(
          output in resource.properties,
          `${type}: the spec's output ${output} is not in the schema`,
        );
      for (const output of spec.secretOutputs ?? [])
        assert.strictEqual(
          resource.properties[output].secret,
          true,
          `${type}.${output} must be secret`,
        );
    }
  });

  it("has the fleet rollout as a component: its Args as inputs, what it records as outputs", () => {
    const app = checkedIn.resources[token("PanoramaApplication")];
    assert.strictEqual(app.isComponent, true);
    assert.deepStrictEqual(Object.keys(app.properties), [...PANORAMA_APPLICATION_OUTPUTS]);
    assert.deepStrictEqual(app.requiredInputs, ["devices"]);
    for (const input of ["projectDir", "graph", "nodeOverrides", "rollout", "tags", "waitOptions"])
      assert.ok(app.inputProperties[input]?.description, `PanoramaApplication.${input}`);
    assert.ok(!("project" in app.inputProperties), "the typed project is for TypeScript only");
  });

  it("has a function for every lookup and the provider's config keys, described for the plugin", () => {
    assert.deepStrictEqual(
      Object.keys(checkedIn.functions).sort(),
      Object.keys(LOOKUPS).map(token).sort(),
    );
    assert.deepStrictEqual(
      Object.keys(checkedIn.config.variables).sort(),
      Object.keys(PROVIDER_CONFIG).sort(),
    );
    assert.deepStrictEqual(checkedIn.provider.inputProperties, checkedIn.config.variables);
    // The TypeScript door's stack config keys mean nothing to the plugin.
    assert.doesNotMatch(JSON.stringify(checkedIn), /aws:(region|profile|endpoints)/);
  });

  it("describes every resource, input, output and function, so each generated SDK documents them", () => {
    const undescribed: string[] = [];
    for (const [kind, entries] of [
      ["resources", checkedIn.resources],
      ["functions", checkedIn.functions],
    ] as const)
      for (const [tok, entry] of Object.entries<Schema>(entries)) {
        if (!entry.description) undescribed.push(`${kind} ${tok}`);
        for (const [section, props] of Object.entries<Schema>({
          inputProperties: entry.inputProperties ?? entry.inputs?.properties ?? {},
          properties: entry.properties ?? entry.outputs?.properties ?? {},
        }))
          for (const [name, prop] of Object.entries<Schema>(props))
            if (!prop.description) undescribed.push(`${tok} ${section}.${name}`);
      }
    assert.deepStrictEqual(undescribed, [], "add a TSDoc comment where each is declared");
  });

  it("names the generated SDKs' packages", () => {
    assert.strictEqual(checkedIn.language.nodejs.packageName, "@pulumi-panorama/plugin-sdk");
    assert.strictEqual(checkedIn.language.python.packageName, "pulumi_panorama");
    assert.match(checkedIn.language.go.importBasePath, /^github\.com\/.+\/sdk\/go\/panorama$/);
    // Every SDK carries the schema's version, and the Go SDK is a module of its own (a go.mod).
    assert.strictEqual(checkedIn.meta.supportPack, true);
  });

  it("is what the plugin serves to the CLI (GetSchema)", async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    const cli = await engineCli();
    const sandbox = createSandbox();
    try {
      const served = execFileSync(
        cli.pulumiPath,
        ["package", "get-schema", path.join(PANORAMA_PLUGIN.path, "pulumi-resource-panorama")],
        { cwd: sandbox.dir, env: { ...process.env, ...sandbox.env }, encoding: "utf8" },
      );
      assert.deepStrictEqual(JSON.parse(served), checkedIn);
    } finally {
      sandbox.dispose();
    }
  });
});
