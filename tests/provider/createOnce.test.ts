// createOnce: a Create without ClientToken is repeated only when the lookup finds nothing it made.
// Time is a stubbed clock; the emulator tests (applicationInstance.test.ts) cover the wire.
import * as assert from "assert";
import {
  CREATED_TIME_TOLERANCE_MS,
  createOnce,
  CreateOnceOptions,
  LookupFailed,
} from "../../provider/calls/createOnce";
import { steppingClock } from "../support/fakeClock";

const serverError = () =>
  Object.assign(new Error("boom"), {
    name: "InternalServerException",
    $metadata: { httpStatusCode: 500 },
  });
const lostAnswer = () =>
  Object.assign(new Error("socket hang up"), { name: "TimeoutError", code: "ECONNRESET" });
const refused = () =>
  Object.assign(new Error("bad"), {
    name: "ValidationException",
    $metadata: { httpStatusCode: 400 },
  });
const expired = () =>
  Object.assign(
    new Error(
      "Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z (20240101T002500Z - 15 min.)",
    ),
    {
      name: "InvalidSignatureException",
      $metadata: { httpStatusCode: 403 },
    },
  );

/** Runs createOnce on a fake clock that only moves when it sleeps. */
async function run(
  o: Partial<CreateOnceOptions<string>> & Pick<CreateOnceOptions<string>, "create">,
) {
  const clock = steppingClock(1_000_000);
  const lookups: number[] = [];
  const result = await createOnce<string>({
    findCreated: async (startedAt) => void lookups.push(startedAt) as undefined,
    budgetSeconds: 30,
    clock,
    serviceNow: clock.now,
    ...o,
  });
  return { result, lookups };
}

describe("createOnce", () => {
  it("returns the first answer without a lookup", async () => {
    const { result, lookups } = await run({ create: async () => "made" });
    assert.deepStrictEqual(result, { value: "made", adopted: false });
    assert.deepStrictEqual(lookups, []);
  });

  it("after a lost answer adopts what the lookup finds, looking from the first attempt's start less the tolerance", async () => {
    let calls = 0;
    const seen: number[] = [];
    const { result } = await run({
      create: async () => {
        calls++;
        throw lostAnswer();
      },
      findCreated: async (startedAt) => (
        seen.push(startedAt),
        seen.length === 2 ? "late" : undefined
      ),
    });
    assert.deepStrictEqual(result, { value: "late", adopted: true });
    assert.strictEqual(calls, 2, "sent again only after the first lookup found nothing");
    assert.deepStrictEqual(seen, [
      1_000_000 - CREATED_TIME_TOLERANCE_MS,
      1_000_000 - CREATED_TIME_TOLERANCE_MS,
    ]);
  });

  it("a 4xx refusal is thrown at once; a clock-skew refusal is signed again once", async () => {
    await assert.rejects(run({ create: async () => Promise.reject(refused()) }), /bad/);
    let calls = 0;
    const { result, lookups } = await run({
      create: async () => (++calls === 1 ? Promise.reject(expired()) : "made"),
    });
    assert.deepStrictEqual(result, { value: "made", adopted: false });
    assert.deepStrictEqual(lookups, [], "a refused request made nothing to look for");
    calls = 0;
    await assert.rejects(
      run({ create: async () => (++calls, Promise.reject(expired())) }),
      /Signature expired/,
    );
    assert.strictEqual(calls, 2);
  });

  it("stops at the budget with the Create's last error", async () => {
    let calls = 0;
    await assert.rejects(
      run({ budgetSeconds: 5, create: async () => (++calls, Promise.reject(serverError())) }),
      (e: Error) => e.name === "InternalServerException",
    );
    assert.ok(calls >= 2 && calls <= 4, `${calls} attempts in 5 s`);
  });

  it("a lookup that fails is not followed by another Create", async () => {
    let calls = 0;
    const e = await run({
      create: async () => (++calls, Promise.reject(lostAnswer())),
      findCreated: async () => Promise.reject(refused()),
    }).catch((error: unknown) => error);
    assert.ok(e instanceof LookupFailed);
    assert.strictEqual((e.createError as Error).message, "socket hang up");
    assert.strictEqual((e.lookupError as Error).name, "ValidationException");
    assert.strictEqual(calls, 1);
  });
});
