// Every operation of the Panorama model has a handler, and each answers the real SDK client with
// success or a modeled error (never a crash) when called with only its path labels.
import * as assert from "assert";
import * as sdk from "@aws-sdk/client-panorama";
import { bindings, operations } from "../../model/panoramaModel";
import { HANDLERS } from "../../emulator/panorama/handlers";
import { startTestEmulator, stopTestEmulator, EmulatorFixture } from "../support/emulatorFixture";

const MODELED = [
  "AccessDeniedException",
  "ConflictException",
  "ResourceNotFoundException",
  "ServiceQuotaExceededException",
  "ValidationException",
];

function labelValue(member: string): string {
  if (member === "PackageVersion") return "1.0";
  if (member === "ResourceArn")
    return "arn:aws:panorama:us-east-1:123456789012:package/package-nope";
  return "abc123";
}

describe("emulator: every model operation", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));

  const all = operations().sort((a, b) => a.name.localeCompare(b.name));

  it("the model has the 34 operations the SDK exposes", () => {
    assert.strictEqual(all.length, 34);
    for (const op of all)
      assert.ok((sdk as any)[`${op.name}Command`], `SDK command for ${op.name}`);
  });

  it("every one has a handler, and no handler answers an operation the model lacks", () => {
    const missing = all.map((op) => op.name).filter((name) => !Object.hasOwn(HANDLERS, name));
    assert.deepStrictEqual(missing, [], `operations without a handler: ${missing.join(", ")}`);
    const names = new Set(all.map((op) => op.name));
    assert.deepStrictEqual(
      Object.keys(HANDLERS).filter((name) => !names.has(name)),
      [],
    );
  });

  for (const op of all)
    it(`${op.name} (${op.http.method} ${op.http.uri}) answers success or a modeled error`, async () => {
      const input: Record<string, string> = {};
      for (const b of op.input ? bindings(op.input) : [])
        if (b.kind === "label") input[b.member] = labelValue(b.member);
      const Command = (sdk as any)[`${op.name}Command`];
      const before = ctx.emu.control.requestCounts().byOperation[`panorama:${op.name}`] ?? 0;
      try {
        await ctx.panorama.send(new Command(input));
      } catch (e: any) {
        assert.ok(MODELED.includes(e.name), `${op.name} failed with ${e.name}: ${e.message}`);
        assert.ok(e.$metadata.httpStatusCode < 500);
      }
      assert.strictEqual(
        ctx.emu.control.requestCounts().byOperation[`panorama:${op.name}`],
        before + 1,
        "routed to this operation",
      );
    });
});
