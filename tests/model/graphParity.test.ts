// The provider (its `check` and builders call validateApplicationManifest / validateManifestOverrides)
// and the emulator (CreateApplicationInstance over HTTP, through the real SDK client) refuse the
// same documents with the same sentences: a table of documents that each break one rule, and
// documents with a member anywhere replaced by any JSON value.
import * as assert from "assert";
import fc from "fast-check";
import {
  CreateApplicationInstanceCommand,
  ListDevicesCommand,
  PanoramaServiceException,
} from "@aws-sdk/client-panorama";
import {
  validateApplicationManifest,
  validateManifestOverrides,
} from "../../provider/manifest/applicationManifest";
import { EmulatorFixture, startTestEmulator, stopTestEmulator } from "../support/emulatorFixture";
import { BAD_GRAPHS, BAD_OVERRIDES, changed, validGraph, validOverrides } from "./badGraphs";

interface Verdict {
  /** The problems as `<path>: <rule>` sentences; empty when the document is accepted. */
  sentences: string[];
}

describe("graph.json rules: the provider and the emulator refuse the same documents", () => {
  let ctx: EmulatorFixture;
  let deviceId: string;
  before(async () => {
    ctx = await startTestEmulator();
    deviceId = (await ctx.panorama.send(new ListDevicesCommand({}))).Devices![0].DeviceId!;
  });
  after(() => stopTestEmulator(ctx));

  /** The emulator's ValidationException fields for these payloads, as the provider words them. */
  async function emulator(manifest: string, overrides?: string): Promise<Verdict> {
    ctx.emu.control.reset(); // accepted documents deploy; keep the device under its quota
    try {
      await ctx.panorama.send(
        new CreateApplicationInstanceCommand({
          ManifestPayload: { PayloadData: manifest },
          ManifestOverridesPayload:
            overrides === undefined ? undefined : { PayloadData: overrides },
          DefaultRuntimeContextDevice: deviceId,
        }),
      );
      return { sentences: [] };
    } catch (e) {
      assert.ok(e instanceof PanoramaServiceException, String(e));
      assert.strictEqual(e.name, "ValidationException", e.message);
      const fields = (e as unknown as { Fields: { Name: string; Message: string }[] }).Fields;
      return { sentences: fields.map((f) => f.Message.replace(/^Member /, "(root): ")) };
    }
  }

  function provider(manifest: string, overrides?: string): Verdict {
    const graph = validateApplicationManifest(manifest);
    if (graph.length || overrides === undefined) return { sentences: graph };
    return { sentences: validateManifestOverrides(overrides, { manifest }) };
  }

  it("both accept the valid graph, with and without its overrides", async () => {
    const graph = JSON.stringify(validGraph());
    const overrides = JSON.stringify(validOverrides());
    assert.deepStrictEqual(provider(graph), { sentences: [] });
    assert.deepStrictEqual(await emulator(graph), { sentences: [] });
    assert.deepStrictEqual(provider(graph, overrides), { sentences: [] });
    assert.deepStrictEqual(await emulator(graph, overrides), { sentences: [] });
  });

  for (const [what, change] of BAD_GRAPHS) {
    it(`graph.json with ${what}`, async () => {
      const graph = JSON.stringify(changed(validGraph, change));
      const expected = provider(graph);
      assert.ok(expected.sentences.length > 0, "the provider refuses it");
      assert.deepStrictEqual(await emulator(graph), expected);
    });
  }

  for (const [what, change, graphChange] of BAD_OVERRIDES) {
    it(`overrides with ${what}`, async () => {
      const graph = JSON.stringify(changed(validGraph, graphChange));
      const overrides = JSON.stringify(changed(validOverrides, change));
      const expected = provider(graph, overrides);
      assert.ok(expected.sentences.length > 0, "the provider refuses it");
      assert.deepStrictEqual(await emulator(graph, overrides), expected);
    });
  }

  it("graph.json text that is not JSON", async () => {
    assert.match(
      provider("{nope").sentences[0],
      /^manifestPayload\.payloadData: is not valid JSON/,
    );
    assert.match((await emulator("{nope")).sentences[0], /^\(root\): is not valid JSON/);
  });

  it("any member of graph.json or its overrides replaced by any JSON value, or removed", async () => {
    await fc.assert(
      fc.asyncProperty(mutatedPair(), async ([graph, overrides]) => {
        const expected = provider(graph, overrides);
        assert.deepStrictEqual(await emulator(graph, overrides), expected);
      }),
      { numRuns: 80 },
    );
  });
});

/** Every path of a document's objects and lists, as keys from the root. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [at];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [at, ...keys.flatMap((k) => paths((value as any)[k], [...at, k]))];
}

/** A document with the member at one path replaced, removed, or given an unknown neighbour. */
function mutated(make: () => any): fc.Arbitrary<unknown> {
  const all = paths(make()).filter((p) => p.length > 0);
  const values = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom("", "a b", "x::y.z", "2021-01-01", "camera_node", "log_level.out", -1, 1e39),
  );
  return fc
    .tuple(fc.constantFrom(...all), fc.constantFrom("replace", "remove", "add"), values)
    .map(([path, op, value]) => {
      const doc = make();
      const parent = path.slice(0, -1).reduce((node: any, k) => node[k], doc);
      const key = path[path.length - 1];
      if (op === "replace") parent[key] = value;
      else if (op === "add" && !Array.isArray(parent)) parent.extra = value;
      else if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return doc;
    });
}

/** graph.json and overrides texts, one of them mutated. */
function mutatedPair(): fc.Arbitrary<[string, string]> {
  const text = (d: unknown) => JSON.stringify(d);
  return fc.oneof(
    mutated(validGraph).map((g): [string, string] => [text(g), text(validOverrides())]),
    mutated(validOverrides).map((o): [string, string] => [text(validGraph()), text(o)]),
  );
}
