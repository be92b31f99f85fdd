// The plugin's operations: each gets the CallContext the contract promises (deadline, preview, a
// signal, a log on its resource, the provider's clients); Cancel aborts every one, in flight or
// started after; lines printed inside an operation reach its resource's log.
import * as assert from "assert";
import type { ClientFactory } from "../../provider/lifecycle/callContext";
import { Operations } from "../../provider/plugin/operations";

const URN = "urn:pulumi:dev::proj::panorama:index:PackageImportJob::job";

function recorder() {
  const lines: { urn: string; line: string; severity: string }[] = [];
  return {
    lines,
    log: (severity: string, line: string, urn = "") => void lines.push({ severity, line, urn }),
    forResource: (urn: string) => (line: string) =>
      void lines.push({ severity: "info", line, urn }),
  };
}

describe("plugin operations", () => {
  const clients = { region: () => "eu-west-1" } as unknown as ClientFactory;

  it("hand each call the engine's deadline, the preview flag, the provider's clients and a log on its URN", async () => {
    const log = recorder();
    const ops = new Operations(log as any, () => clients);
    const ctx = await ops.run(URN, { timeoutSeconds: 3, preview: true }, async (c) => c);
    assert.strictEqual(ctx.timeoutSeconds, 3);
    assert.strictEqual(ctx.preview, true);
    assert.strictEqual(ctx.clients, clients);
    ctx.log!("started import job packageImportJob-1");
    assert.deepStrictEqual(log.lines.at(-1), {
      severity: "info",
      line: "started import job packageImportJob-1",
      urn: URN,
    });
    assert.ok(
      log.lines.some(
        (l) => l.severity === "debug" && /deadline for this operation: 3s/.test(l.line),
      ),
    );
    const none = await ops.run(URN, { timeoutSeconds: 0 }, async (c) => c);
    assert.strictEqual(none.timeoutSeconds, undefined, "0 is no deadline");
  });

  it("Cancel aborts every operation in flight and every one started after it", async () => {
    const ops = new Operations(recorder() as any, () => clients);
    const aborted = (ctx: { signal?: AbortSignal }) =>
      new Promise<string>((resolve) =>
        ctx.signal!.addEventListener("abort", () => resolve(String(ctx.signal!.reason))),
      );
    const first = ops.run(URN, {}, aborted);
    const second = ops.run(URN, {}, aborted);
    assert.strictEqual(ops.cancel(), 2);
    for (const reason of await Promise.all([first, second]))
      assert.match(reason, /cancelled the operation/);
    const later = await ops.run(URN, {}, async (ctx) => ctx.signal!.aborted);
    assert.strictEqual(later, true);
  });

  it("sends what an operation prints with console.log to its resource, and nothing else", async () => {
    const log = recorder();
    const ops = new Operations(log as any, () => clients);
    await ops.run(URN, {}, async () => {
      await new Promise((r) => setTimeout(r, 10));
      console.log("PackageImportJob SAMPLE_CODE 1.0:", "PENDING after 1.0s");
    });
    assert.deepStrictEqual(log.lines, [
      { severity: "info", line: "PackageImportJob SAMPLE_CODE 1.0: PENDING after 1.0s", urn: URN },
    ]);
  });
});
