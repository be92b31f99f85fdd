// Every operation in the Panorama model is routed: implemented ones answer or fail with a modeled
// error, the rest answer a modeled ValidationException (UNKNOWN_OPERATION). Nothing crashes.
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

describe("emulator: every model operation is routed", () => {
  let ctx: EmulatorFixture;
  before(async () => (ctx = await startTestEmulator()));
  after(() => stopTestEmulator(ctx));

  const all = operations().sort((a, b) => a.name.localeCompare(b.name));

  it("the model has the 34 operations the SDK exposes", () => {
    assert.strictEqual(all.length, 34);
    for (const op of all)
      assert.ok((sdk as any)[`${op.name}Command`], `SDK command for ${op.name}`);
  });

  for (const op of all) {
    const implemented = op.name in HANDLERS;
    it(`${op.name} (${op.http.method} ${op.http.uri}) ${implemented ? "is implemented" : "answers UNKNOWN_OPERATION"}`, async () => {
      const input: Record<string, string> = {};
      for (const b of op.input ? bindings(op.input) : [])
        if (b.kind === "label") input[b.member] = labelValue(b.member);
      const Command = (sdk as any)[`${op.name}Command`];
      const before = ctx.emu.control.requestCounts().byOperation[`panorama:${op.name}`] ?? 0;
      try {
        await ctx.panorama.send(new Command(input));
        assert.ok(implemented, `${op.name} succeeded although it is not implemented`);
      } catch (e: any) {
        assert.ok(MODELED.includes(e.name), `${op.name} failed with ${e.name}: ${e.message}`);
        assert.ok(e.$metadata.httpStatusCode < 500);
        if (!implemented) {
          assert.strictEqual(e.name, "ValidationException");
          assert.strictEqual(e.Reason, "UNKNOWN_OPERATION");
          assert.match(e.message, new RegExp(`does not implement ${op.name}`));
        } else {
          assert.notStrictEqual(e.Reason, "UNKNOWN_OPERATION");
        }
      }
      assert.strictEqual(
        ctx.emu.control.requestCounts().byOperation[`panorama:${op.name}`],
        before + 1,
        "routed to this operation",
      );
    });
  }
});
