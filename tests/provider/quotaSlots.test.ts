// Shared quota slots across real processes: child processes (tests/support/slotTaker.ts), each
// with a request budget of its own over one slot directory, ask for many requests at once; the
// requests of all of them together keep the quota's rate, the processes take turns, and none is
// left waiting while the others go on.
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { QUOTA_DIR_ENV, quotaSlotsFor } from "../../provider/calls/quotaSlots";
import {
  ANSWER_SPACED_SLOT,
  RequestBudget,
  requestBudgetOptions,
} from "../../provider/calls/requestBudget";
import { systemWaitClock } from "../../provider/calls/waitClock";

const TAKER = path.join(__dirname, "..", "support", "slotTaker.ts");

/** Runs `processes` takers together; each one's pass times, in ms since the first pass of all. */
async function takeTogether(
  processes: number,
  spec: { operation: string; count: number; env: Record<string, string> },
): Promise<number[][]> {
  const account = `test-account-${process.pid}-${Date.now()}`;
  // Time enough for every child to load ts-node on a busy machine before they start together.
  const startAt = Date.now() + 8000;
  const runs = Array.from(
    { length: processes },
    () =>
      new Promise<number[]>((resolve, reject) =>
        execFile(
          process.execPath,
          [
            "-r",
            "ts-node/register/transpile-only",
            TAKER,
            JSON.stringify({ ...spec, account, startAt }),
          ],
          { timeout: 60_000 },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
        ),
      ),
  );
  const times = await Promise.all(runs);
  const first = Math.min(...times.flat());
  return times.map((t) => t.map((x) => x - first).sort((a, b) => a - b));
}

/** Which process each pass belongs to, in the order of the passes. */
function order(times: number[][]): number[] {
  return times
    .flatMap((t, p) => t.map((at) => [at, p]))
    .sort((a, b) => a[0] - b[0])
    .map(([, p]) => p);
}

/** In every stretch of the passes from the start, each process had its share but for `slack`. */
function assertTurns(times: number[][], slack: number): void {
  const seq = order(times);
  const counts = times.map(() => 0);
  seq.forEach((p, i) => {
    counts[p]++;
    const fair = (i + 1) / times.length;
    for (const [q, c] of counts.entries())
      if (counts.every((x, r) => r === q || x < times[r].length))
        assert.ok(
          c >= Math.floor(fair) - slack,
          `process ${q} had ${c} of the first ${i + 1} passes (order ${seq.join("")})`,
        );
  });
}

describe("quota slots shared by processes", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "quota-slots-test-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("three processes, one create quota: one request per interval across them, in turns, all ending together", async () => {
    // Slots long enough that a process the loaded machine holds up for a moment still keeps its turn.
    // PULUMI_PANORAMA_MAX_CREATE_RPS 4: slots of 250 ms, each create at least 97% of that after
    // the answer to the one before.
    const intervalMs = 250;
    const afterAnswerMs = intervalMs * ANSWER_SPACED_SLOT;
    const perProcess = 10;
    const times = await takeTogether(3, {
      operation: "CreatePackageImportJob",
      count: perProcess,
      env: {
        [QUOTA_DIR_ENV]: dir,
        PULUMI_PANORAMA_MAX_CREATE_RPS: "4",
        PULUMI_PANORAMA_MAX_RPS: "40",
      },
    });
    const all = times.flat().sort((a, b) => a - b);
    assert.strictEqual(all.length, 3 * perProcess);
    const gaps = all.slice(1).map((t, i) => t - all[i]);
    assert.ok(
      Math.min(...gaps) >= Math.floor(afterAnswerMs) - 1, // times in whole milliseconds
      `two creates left ${Math.min(...gaps)} ms apart (gaps ${gaps.join(" ")})`,
    );
    // Each create waits for the answer to the one before: a round trip each at most is lost.
    const ideal = (all.length - 1) * intervalMs;
    assert.ok(
      all[all.length - 1] <= ideal * 1.25 + 3 * intervalMs,
      `30 creates took ${all[all.length - 1]} ms, the quota allows ${ideal} ms`,
    );
    assertTurns(times, 2);
    const ends = times.map((t) => t[t.length - 1]);
    assert.ok(
      Math.max(...ends) - Math.min(...ends) <= 6 * intervalMs,
      `the processes ended at ${ends.join(", ")} ms: one was served first`,
    );
  });

  it("two processes, the account's quota: two requests a slot across them, in turns", async () => {
    // PULUMI_PANORAMA_MAX_RPS 21: the account's other requests get 20/s, in slots of two every 100 ms.
    const slotMs = 100;
    const times = await takeTogether(2, {
      operation: "DescribePackageImportJob",
      count: 30,
      env: {
        [QUOTA_DIR_ENV]: dir,
        PULUMI_PANORAMA_MAX_CREATE_RPS: "10",
        PULUMI_PANORAMA_MAX_RPS: "21",
      },
    });
    const all = times.flat().sort((a, b) => a - b);
    // In any second, two a slot of the ten and of the one under way as it began.
    const most = 2 * (1000 / slotMs + 1);
    for (let i = 0; i + most < all.length; i++)
      assert.ok(
        all[i + most] - all[i] >= 1000,
        `${most + 1} requests within ${all[i + most] - all[i]} ms (passes ${all.join(" ")})`,
      );
    assert.ok(all[all.length - 1] >= (all.length / 2 - 2) * slotMs, "the account's rate was kept");
    assert.ok(
      all[all.length - 1] <= (all.length / 2 + 4) * slotMs * 1.25,
      "slots were left unused",
    );
    assertTurns(times, 2);
  });

  it("deletes slots long past, and leaves each process to its own budget where the directory cannot be written", async () => {
    const slots = quotaSlotsFor("sweep", { [QUOTA_DIR_ENV]: dir })!;
    const old = path.join(slots.dir, "account@500.3.0");
    fs.writeFileSync(old, "1500");
    const longAgo = (Date.now() - 5 * 60_000) / 1000;
    fs.utimesSync(old, longAgo, longAgo);
    const slot = await slots.take({ name: "account", intervalMs: 500, perSlot: 2 });
    slot.answered();
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!fs.existsSync(old), "an old slot was kept");
    assert.deepStrictEqual(
      fs.readdirSync(slots.dir).filter((f) => /^account@500\.\d+\.0$/.test(f)).length,
      1,
      "the new slot is there",
    );

    assert.strictEqual(quotaSlotsFor("a", { [QUOTA_DIR_ENV]: "off" }), undefined);
    const file = path.join(dir, "a-file");
    fs.writeFileSync(file, "");
    assert.strictEqual(
      quotaSlotsFor("a", { [QUOTA_DIR_ENV]: path.join(file, "below") }),
      undefined,
    );
    // Without slots the budget goes on by its own windows.
    const budget = new RequestBudget(requestBudgetOptions({}), systemWaitClock, undefined);
    assert.strictEqual(await budget.acquire("CreatePackageImportJob"), undefined);
  });
});
