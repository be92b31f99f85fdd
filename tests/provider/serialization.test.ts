// The provider text Pulumi stores in state: small, free of secrets and SDK internals, and
// loadable in a fresh process where it runs the installed implementation; and the shims that
// state written by 0.1.0 holds still work.
import * as assert from "assert";
import type * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../../provider/lifecycle/providerShim";
import { callInFreshProcess, serializeProvider } from "../support/serializedProvider";

/** The shim as pulumi-panorama 0.1.0 wrote it into state: one implementation module per resource. */
function shimOf010(implementation: string, deleteExport: string): pulumi.dynamic.ResourceProvider {
  return {
    configure: (req) => require(implementation).configure(req),
    check: (olds, news) => require(implementation).check(olds, news),
    diff: (id, olds, news) => require(implementation).diff(id, olds, news),
    create: (inputs) => require(implementation).create(inputs),
    read: (id, props) => require(implementation).read(id, props),
    update: (id, olds, news) => require(implementation).update(id, olds, news),
    delete: (id, props) => require(implementation)[deleteExport](id, props),
  };
}

const BAD_NAME = {
  outputConfig: { packageVersionOutputConfig: { packageName: "bad name", packageVersion: "1.0" } },
};

describe("serialized PackageImportJob provider", function () {
  this.timeout(60_000);
  let text: string;

  before(async () => {
    const serialized = await serializeProvider(providerShim("PackageImportJob"));
    text = serialized.text;
    assert.strictEqual(serialized.containsSecrets, false);
  });

  it("is a small shim (under 3 KB) that loads the implementation by package name", () => {
    assert.ok(text.length < 3 * 1024, `provider text is ${text.length} bytes`);
    assert.match(
      text,
      /"pulumi-panorama\/dist\/provider\/resources\/registry\.js"[\s\S]*require\(registry\)\.implementation\(type\)/,
    );
    assert.match(text, /"PackageImportJob"/);
    assert.doesNotMatch(text, /client-panorama|smithy|PanoramaClient/);
  });

  it("captures no credentials from the environment", () => {
    const secret = process.env.AWS_SECRET_ACCESS_KEY;
    if (secret) assert.ok(!text.includes(secret));
    assert.doesNotMatch(text, /AWS_SECRET_ACCESS_KEY|secretAccessKey/);
  });

  it("round-trips: a fresh process loads the text and runs the installed check()", () => {
    const result = callInFreshProcess(text, "check", [{}, BAD_NAME]);
    assert.ok(
      result.failures.some(
        (f: { property: string; reason: string }) =>
          blamed(f) === "outputConfig" &&
          /packageName: must satisfy regular expression pattern/.test(f.reason),
      ),
    );
    assert.ok(
      result.failures.some(
        (f: { property: string; reason: string }) => blamed(f) === "inputConfig",
      ),
    );
  });
});

/**
 * The input a failure is about: its property, or for an object-valued input (whose property the
 * dynamic door leaves empty, so the engine does not print the whole object) the reason's first step.
 */
function blamed(f: { property: string; reason: string }): string {
  return f.property || f.reason.split(/[.:[]/)[0];
}

describe("shims in state written by 0.1.0", function () {
  this.timeout(60_000);

  for (const [file, deleteExport, news, property] of [
    ["packageImportJobProvider", "deleteJob", BAD_NAME, "outputConfig"],
    ["packageProvider", "deletePackage", { packageName: "bad name" }, "packageName"],
    ["applicationInstanceProvider", "removeInstance", { manifestPayload: 42 }, "manifestPayload"],
  ] as const) {
    it(`${file}.js still loads: check runs the installed implementation and ${deleteExport} is there`, async () => {
      const { text } = await serializeProvider(
        shimOf010(`pulumi-panorama/dist/provider/${file}.js`, deleteExport),
      );
      const result = callInFreshProcess(text, "check", [{}, news]);
      assert.ok(
        result.failures.some((f: { property: string; reason: string }) => blamed(f) === property),
        JSON.stringify(result.failures),
      );
      assert.strictEqual(
        typeof require(`pulumi-panorama/dist/provider/${file}.js`)[deleteExport],
        "function",
      );
    });
  }
});
