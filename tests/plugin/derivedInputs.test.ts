// The tokens and marker keys a resource derives from its identity are the same from both doors:
// the class in a TypeScript program (project, stack, name) and the plugin's Check (the URN). A
// stack moved from one door to the other therefore keeps its import jobs' client tokens.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ApplicationInstance, Package, PackageImportJob } from "../../provider";
import { implementation } from "../../provider/resources/registry";
import { withDerivedInputs } from "../../provider/plugin/derivedInputs";
import { scopeOf, secret } from "../../provider/plugin/properties";
import { UNKNOWN } from "../../provider/lifecycle/unknowns";

const JOB_ARGS = {
  inputConfig: {
    packageVersionInputConfig: { s3Location: { bucketName: "b", objectKey: "k/package.json" } },
  },
  outputConfig: {
    packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion: "1.0" },
  },
};
const URN = (type: string, name: string) => `urn:pulumi:dev::proj::panorama:index:${type}::${name}`;

describe("derived inputs", () => {
  const registered: Record<string, Record<string, any>> = {};

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered[args.name] = args.inputs;
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "proj",
      "dev",
      false,
    );
  });

  it("the class and the plugin derive the same clientToken, packageKey and deploymentKey", async () => {
    const made = [
      new PackageImportJob("job", JOB_ARGS),
      new Package("pkg", { packageName: "SAMPLE_CODE" }),
      new ApplicationInstance("app", {
        defaultRuntimeContextDevice: "device-1",
        manifestPayload: "{}",
      }),
    ];
    await Promise.all(made.map((r) => new Promise((resolve) => r.id.apply(resolve))));
    const cases: [string, string, string, Record<string, unknown>][] = [
      ["PackageImportJob", "job", "clientToken", JOB_ARGS],
      ["Package", "pkg", "packageKey", { packageName: "SAMPLE_CODE" }],
      [
        "ApplicationInstance",
        "app",
        "deploymentKey",
        { defaultRuntimeContextDevice: "device-1", manifestPayload: "{}" },
      ],
    ];
    for (const [type, name, key, inputs] of cases) {
      const { spec } = implementation(type);
      const plugin = withDerivedInputs(spec, scopeOf(URN(type, name)), inputs, inputs);
      assert.match(registered[name][key], /^pulumi-[0-9a-f]{40}$/, `${type} derives ${key}`);
      assert.strictEqual(
        plugin.inputs[key],
        registered[name][key],
        `${type}.${key} from both doors`,
      );
    }
    // The token of version 0.1.0 for these parameters, in stacks made before either door moved:
    // a change here would start a second import job for every existing one.
    assert.strictEqual(
      registered.job.clientToken,
      "pulumi-43a88f3f48370d22af385e3ec5f16aacf3a584d0",
    );
  });

  it("is not derived where the program sets it or adopts an object", () => {
    const { spec } = implementation("PackageImportJob");
    const scope = scopeOf(URN("PackageImportJob", "job"));
    const given = withDerivedInputs(spec, scope, { ...JOB_ARGS, clientToken: "mine" }, JOB_ARGS);
    assert.strictEqual(given.inputs.clientToken, "mine");
    const adopting = withDerivedInputs(spec, scope, { adoptJobId: "packageImportJob-1" }, {});
    assert.strictEqual(adopting.inputs.clientToken, undefined);
  });

  it("is secret when derived from a secret, not known when derived from what is not known yet", () => {
    const { spec } = implementation("PackageImportJob");
    const scope = scopeOf(URN("PackageImportJob", "job"));
    const tags = [{ resourceType: "PACKAGE", tags: { owner: "team" } }];
    const raw = { ...JOB_ARGS, jobTags: secret(tags) };
    const fromSecret = withDerivedInputs(spec, scope, { ...JOB_ARGS, jobTags: tags }, raw);
    assert.deepStrictEqual(fromSecret.secretKeys, ["clientToken"]);
    const plain = withDerivedInputs(spec, scope, JOB_ARGS, JOB_ARGS);
    assert.deepStrictEqual(plain.secretKeys, []);
    const preview = { ...JOB_ARGS, outputConfig: UNKNOWN };
    assert.strictEqual(
      withDerivedInputs(spec, scope, preview, preview).inputs.clientToken,
      UNKNOWN,
    );
  });
});
