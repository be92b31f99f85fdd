// The provider text Pulumi stores in state: small, free of secrets and SDK internals, and
// loadable in a fresh process where it runs the installed implementation.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { packageImportJobProvider } from "../../provider/packageImportJob";

const ROOT = path.resolve(__dirname, "../..");

describe("serialized PackageImportJob provider", function () {
  this.timeout(60_000);
  let text: string;

  before(async () => {
    const serialized = await pulumi.runtime.serializeFunction(() => packageImportJobProvider, { allowSecrets: true });
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
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-ser-"));
    const file = path.join(dir, "provider.txt");
    fs.writeFileSync(file, text);
    const script = `
      const requireFromString = require("require-from-string");
      const provider = requireFromString(require("fs").readFileSync(${JSON.stringify(file)}, "utf8"), "").handler();
      provider.check({}, { outputConfig: { packageVersionOutputConfig: { packageName: "bad name", packageVersion: "1.0" } } })
        .then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
    // Run from the repository root, like the dynamic-provider process runs from the program dir.
    const out = execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    const result = JSON.parse(out.trim().split("\n").pop()!);
    assert.ok(result.failures.some((f: { property: string; reason: string }) =>
      f.property === "outputConfig" && /packageName: must satisfy regular expression pattern/.test(f.reason)));
    assert.ok(result.failures.some((f: { property: string }) => f.property === "inputConfig"));
  });
});
