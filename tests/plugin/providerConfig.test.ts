// The plugin's provider config: bad keys and values refused naming the key, good ones parsed
// from stack config text or explicit provider objects alike; the lifecycle's diff as the engine's
// detailed diff.
import * as assert from "assert";
import { detailedDiff } from "../../provider/plugin/detailedDiff";
import { provproto } from "../../provider/plugin/grpcRuntime";
import { configFailures, settingsOf } from "../../provider/plugin/providerConfig";
import { implementation } from "../../provider/resources/registry";

describe("plugin provider config", () => {
  it("refuses unknown keys and bad values, naming the key", () => {
    const reasons = configFailures({
      regoin: "us-east-1",
      region: "Europe",
      profile: " dev",
      endpoints: '{"panorama":"http://127.0.0.1:4566","sts":"http://x"}',
    }).map((f) => f.reason);
    assert.deepStrictEqual(reasons, [
      "panorama:regoin: unknown configuration key of the panorama provider (known: panorama:region, panorama:profile, panorama:endpoints)",
      'panorama:region: must be an AWS region name such as us-east-1 or eu-west-1 (got "Europe")',
      'panorama:profile: must be the name of a profile in the shared AWS config files (got " dev")',
      "panorama:endpoints.sts: is not a service of this provider (known: panorama, s3)",
    ]);
    assert.match(
      configFailures({ endpoints: "{not json" })[0].reason,
      /^panorama:endpoints: must be an object mapping a service to its URL/,
    );
    assert.deepStrictEqual(
      configFailures({ region: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }),
      [],
      "not known yet: passes",
    );
  });

  it("reads the same settings from stack config text and explicit provider objects", () => {
    const endpoints = { panorama: "http://127.0.0.1:4566", s3: "http://127.0.0.1:4567" };
    const fromText = settingsOf({
      region: "eu-west-1",
      profile: "dev",
      endpoints: JSON.stringify(endpoints),
    });
    const fromObject = settingsOf({ region: "eu-west-1", profile: "dev", endpoints });
    assert.deepStrictEqual(fromText, { region: "eu-west-1", profile: "dev", endpoints });
    assert.deepStrictEqual(fromObject, fromText);
    assert.deepStrictEqual(settingsOf({}), {
      region: undefined,
      profile: undefined,
      endpoints: {},
    });
  });

  it("names what replaces and what updates in the detailed diff", () => {
    const { spec } = implementation("PackageImportJob");
    const resp = detailedDiff(
      spec,
      { requestedClientToken: "a", waitOptions: { timeoutSeconds: 60 }, status: "PENDING" },
      { clientToken: "b" },
      {
        changes: true,
        replaces: ["clientToken"],
        updates: ["waitOptions", "status", "__provider"],
      },
    );
    const Kind = provproto.PropertyDiff.Kind;
    const map = resp.getDetaileddiffMap();
    const details = Object.fromEntries(
      resp.getDiffsList().map((k) => [k, [map.get(k)!.getKind(), map.get(k)!.getInputdiff()]]),
    );
    assert.deepStrictEqual(details, {
      clientToken: [Kind.UPDATE_REPLACE, true],
      waitOptions: [Kind.DELETE, true],
      status: [Kind.UPDATE, false],
    });
    assert.deepStrictEqual(resp.getReplacesList(), ["clientToken"]);
    assert.strictEqual(resp.getHasdetaileddiff(), true);
    const legacy = detailedDiff(spec, {}, {}, { changes: true, replaces: ["jobType"] });
    assert.strictEqual(
      legacy.getHasdetaileddiff(),
      false,
      "no detailed diff without the lifecycle's updates",
    );
  });
});
