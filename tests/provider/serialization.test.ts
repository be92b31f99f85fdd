// The provider text Pulumi stores in state: small, free of secrets and SDK internals, and
// loadable in a fresh process where it runs the installed implementation.
import * as assert from "assert";
import { packageImportJobProvider } from "../../provider/resources/packageImportJob";
import { callInFreshProcess, serializeProvider } from "../support/serializedProvider";

describe("serialized PackageImportJob provider", function () {
  this.timeout(60_000);
  let text: string;

  before(async () => {
    const serialized = await serializeProvider(packageImportJobProvider);
    text = serialized.text;
    assert.strictEqual(serialized.containsSecrets, false);
  });

  it("is a small shim (under 8 KB) that loads the implementation by package name", () => {
    assert.ok(text.length < 8 * 1024, `provider text is ${text.length} bytes`);
    assert.match(text, /implementation: "pulumi-panorama\/dist\/provider\/packageImportJobProvider\.js"[\s\S]*require\(implementation\)/);
    assert.doesNotMatch(text, /client-panorama|smithy|PanoramaClient/);
  });

  it("captures no credentials from the environment", () => {
    const secret = process.env.AWS_SECRET_ACCESS_KEY;
    if (secret) assert.ok(!text.includes(secret));
    assert.doesNotMatch(text, /AWS_SECRET_ACCESS_KEY|secretAccessKey/);
  });

  it("round-trips: a fresh process loads the text and runs the installed check()", () => {
    const result = callInFreshProcess(text, "check", [
      {},
      { outputConfig: { packageVersionOutputConfig: { packageName: "bad name", packageVersion: "1.0" } } },
    ]);
    assert.ok(result.failures.some((f: { property: string; reason: string }) =>
      f.property === "outputConfig" && /packageName: must satisfy regular expression pattern/.test(f.reason)));
    assert.ok(result.failures.some((f: { property: string }) => f.property === "inputConfig"));
  });
});
