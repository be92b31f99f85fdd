// sdk/ (committed) is what `npm run gen-sdk` generates from schema.json, byte for byte: a change to
// a resource's spec regenerates schema.json (tests/plugin/schema.test.ts fails until it does), and
// a schema.json the SDKs were not regenerated from fails here, naming the first file that differs.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CLI_BUILD_TIMEOUT_MS } from "../support/engine";
import {
  ensureSdkgen,
  generateSdks,
  PROJECT_SCHEMA,
  PROJECT_SDK_DIR,
  REGENERATE,
} from "../../scripts/gen-sdk";
import { firstDifference } from "../support/sdkTree";

describe("the committed SDKs (sdk/)", function () {
  let dir: string;

  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-panorama-sdkdrift-"));
    await ensureSdkgen({ log: (line) => console.log(`      [gen-sdk] ${line}`) });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("are what schema.json generates, byte for byte", async function () {
    this.timeout(120_000);
    const fresh = path.join(dir, "fresh");
    await generateSdks({ schema: PROJECT_SCHEMA, outDir: fresh });
    const difference = firstDifference(PROJECT_SDK_DIR, fresh);
    assert.strictEqual(
      difference,
      undefined,
      `sdk/${difference}: sdk/ is not what schema.json generates; run \`${REGENERATE}\` and commit sdk/`,
    );
  });

  it("differ, naming the file, from a schema whose resource changed and was not regenerated", async function () {
    this.timeout(120_000);
    const schema = JSON.parse(fs.readFileSync(PROJECT_SCHEMA, "utf8"));
    schema.resources["panorama:index:Package"].inputProperties.packageName.description +=
      " Changed.";
    const changed = path.join(dir, "changed-schema.json");
    fs.writeFileSync(changed, JSON.stringify(schema));
    const stale = path.join(dir, "stale");
    await generateSdks({ schema: changed, outDir: stale, languages: ["nodejs"] });
    assert.strictEqual(
      firstDifference(path.join(PROJECT_SDK_DIR, "nodejs"), path.join(stale, "nodejs")),
      "package.ts differs",
    );
  });

  it("the comparison names a file missing on either side", () => {
    const a = path.join(dir, "a");
    const b = path.join(dir, "b");
    fs.mkdirSync(path.join(a, "go"), { recursive: true });
    fs.mkdirSync(path.join(b, "go"), { recursive: true });
    fs.writeFileSync(path.join(a, "go", "x.go"), "x");
    fs.writeFileSync(path.join(b, "go", "x.go"), "x");
    assert.strictEqual(firstDifference(a, b), undefined);
    fs.writeFileSync(path.join(b, "go", "y.go"), "y");
    assert.strictEqual(firstDifference(a, b), "go/y.go is missing");
    fs.writeFileSync(path.join(a, "go", "y.go"), "y");
    fs.writeFileSync(path.join(a, "go", "z.go"), "z");
    assert.strictEqual(firstDifference(a, b), "go/z.go is not generated any more");
    // Build output beside the sources is not part of the SDK.
    fs.rmSync(path.join(a, "go", "z.go"));
    fs.mkdirSync(path.join(a, "nodejs", "node_modules"), { recursive: true });
    fs.writeFileSync(path.join(a, "nodejs", "node_modules", "m.js"), "");
    assert.strictEqual(firstDifference(a, b), undefined);
  });
});
