// Values on the plugin's wire: secrets unwrapped for the lifecycle and wrapped again on the way
// out (same key, recursively; kept under another name; always-secret outputs), URNs read.
import * as assert from "assert";
import { implementation } from "../../provider/resources/registry";
import {
  annotateSecrets,
  isSecret,
  scopeOf,
  secret,
  unwrap,
  wrapOutputs,
} from "../../provider/plugin/properties";

describe("plugin properties", () => {
  it("unwraps secrets at any depth", () => {
    assert.deepStrictEqual(unwrap({ a: secret("x"), b: [secret({ c: 1 })], d: 2 }), {
      a: "x",
      b: [{ c: 1 }],
      d: 2,
    });
  });

  it("marks outputs secret where the input of the same key was, key by key inside objects", () => {
    const outs = annotateSecrets(
      { tags: { owner: "team", env: "dev" }, manifestPayload: "{}", arn: "arn" },
      { tags: { owner: secret("team"), env: "dev" }, manifestPayload: secret("{}") },
    );
    assert.ok(isSecret(outs.tags.owner) && !isSecret(outs.tags.env), "one tag, not the map");
    assert.ok(isSecret(outs.manifestPayload));
    assert.strictEqual(outs.arn, "arn");
  });

  it("wraps the spec's always-secret outputs and an input kept under another name", () => {
    const { spec } = implementation("PackageImportJob");
    const outs = wrapOutputs(
      spec,
      { clientToken: "t-r1", requestedClientToken: "t", jobId: "j" },
      { clientToken: secret("t") },
    );
    assert.ok(isSecret(outs.requestedClientToken) && isSecret(outs.clientToken));
    assert.strictEqual(outs.jobId, "j");
    const plain = wrapOutputs(spec, { requestedClientToken: "t" }, { clientToken: "t" });
    assert.ok(isSecret(plain.requestedClientToken), "always secret");
  });

  it("reads project, stack and name from a URN, also a child's and a name with ::", () => {
    assert.deepStrictEqual(scopeOf("urn:pulumi:dev::proj::panorama:index:Package::code"), {
      stack: "dev",
      project: "proj",
      name: "code",
    });
    assert.deepStrictEqual(
      scopeOf("urn:pulumi:dev::proj::my:Component$panorama:index:Package::a::b"),
      { stack: "dev", project: "proj", name: "a::b" },
    );
    assert.throws(() => scopeOf("Package"), /not a resource URN/);
  });
});
