// The request budget on a fake clock (rates, per-operation limits, background share, 429 pause),
// then installed on the real SDK client against the emulator enforcing the service's limits, alone
// and as three processes sharing the account's create quota.
import * as assert from "assert";
import {
  DeletePackageCommand,
  DescribePackageImportJobCommand,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import {
  DEFAULT_REQUEST_BUDGET,
  inBackground,
  installRequestBudget,
  RequestBudget,
  requestBudgetOptions,
} from "../../provider/calls/requestBudget";
import { FakeClock } from "../support/fakeClock";
import { emulatorControl, useEmulator } from "../support/emulatorFixture";

/** Starts `count` acquisitions at once and records when each one passes. */
async function passTimes(
  clock: FakeClock,
  budget: RequestBudget,
  calls: [operation: string, priority?: "foreground" | "background"][],
) {
  const start = clock.now();
  const times: { operation: string; priority: string; at: number }[] = [];
  const all = calls.map(([operation, priority = "foreground"]) =>
    budget
      .acquire(operation, priority)
      .then(() => times.push({ operation, priority, at: clock.now() - start })),
  );
  await clock.run(Promise.all(all));
  return times;
}

describe("RequestBudget", () => {
  it("lets at most the rate through in any second: at once when there is room, queued ones 1/rate apart", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ ...DEFAULT_REQUEST_BUDGET, perSecond: 4 }, clock);
    const times = await passTimes(
      clock,
      budget,
      Array.from({ length: 10 }, () => ["DescribePackageImportJob"] as [string]),
    );
    assert.deepStrictEqual(
      times.map((t) => t.at),
      [0, 0, 0, 0, 1000, 1250, 1500, 1750, 2000, 2250],
    );
    await clock.advance(1300);
    const later = await passTimes(clock, budget, [
      ["DescribePackageImportJob"],
      ["DescribePackageVersion"],
    ]);
    assert.deepStrictEqual(
      later.map((t) => t.at),
      [0, 0],
      "two calls in a quiet second go back to back",
    );
  });

  it("limits each create/modify operation on its own, below the service's 1 request/s", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(DEFAULT_REQUEST_BUDGET, clock);
    const times = await passTimes(clock, budget, [
      ["CreatePackageImportJob"],
      ["CreatePackageImportJob"],
      ["CreatePackageImportJob"],
      ["CreatePackage"],
      ["DescribePackageImportJob"],
    ]);
    const at = (op: string) => times.filter((t) => t.operation === op).map((t) => t.at);
    const creates = at("CreatePackageImportJob");
    assert.strictEqual(
      creates[2],
      2 * Math.ceil(1000 / 0.97),
      "the third create passes 2 × 1031 ms after the first",
    );
    assert.ok(
      creates[1] - creates[0] >= 1000 && creates[2] - creates[1] >= 1000,
      `creates at ${creates}`,
    );
    // Another operation has its own bucket; reads wait only for the overall spacing, never for creates.
    assert.ok(
      at("CreatePackage")[0] <= 500 && at("DescribePackageImportJob")[0] <= 500,
      JSON.stringify(times),
    );
  });

  it("keeps creates 1031 ms apart when they leave, also while the overall window is full", async () => {
    // With one gate after the other, a create that waited for the overall window could leave right
    // before the next one, and the service's 1 request/s bucket refused the second.
    const clock = new FakeClock();
    const budget = new RequestBudget(DEFAULT_REQUEST_BUDGET, clock);
    const calls: [string, "foreground" | "background"][] = [];
    for (let i = 0; i < 40; i++)
      calls.push(["ListPackageImportJobs", "background"], ["DescribePackageVersion", "foreground"]);
    for (let i = 0; i < 6; i++) calls.push(["CreatePackageImportJob", "foreground"]);
    const times = await passTimes(clock, budget, calls);
    const creates = times.filter((t) => t.operation === "CreatePackageImportJob").map((t) => t.at);
    for (let i = 1; i < creates.length; i++)
      assert.ok(creates[i] - creates[i - 1] >= 1000 / 0.97, `creates left at ${creates}`);
    for (let second = 0; second < 25; second++)
      assert.ok(
        times.filter((t) => t.at >= second * 1000 && t.at < (second + 1) * 1000).length <= 4,
      );
  });

  it("while creates wait, other requests leave them one request a second: creates leave at every slot, on time", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(DEFAULT_REQUEST_BUDGET, clock);
    const calls: [string, "foreground" | "background"][] = [];
    for (let i = 0; i < 60; i++)
      calls.push(
        ["ListPackageImportJobs", "background"],
        ["DescribePackageImportJob", "foreground"],
      );
    for (let i = 0; i < 8; i++) calls.push(["CreatePackageImportJob", "foreground"]);
    const times = await passTimes(clock, budget, calls);
    const slot = Math.ceil(1000 / 0.97);
    const creates = times.filter((t) => t.operation === "CreatePackageImportJob").map((t) => t.at);
    // The first create found the account's second already taken; from then on none waits behind a poll.
    assert.ok(creates[0] <= 1000, `first create at ${creates[0]} ms`);
    assert.deepStrictEqual(
      creates,
      [...Array(8).keys()].map((i) => creates[0] + i * slot),
      "creates leave at every slot",
    );
    const lastCreate = creates[creates.length - 1];
    for (let from = creates[0]; from + 1000 <= lastCreate; from += 50) {
      const others = times.filter(
        (t) => t.operation !== "CreatePackageImportJob" && t.at >= from && t.at < from + 1000,
      ).length;
      assert.ok(
        others <= 3,
        `${others} other requests in the second from ${from} ms while creates waited`,
      );
    }
    const after = times.filter((t) => t.at > lastCreate + 1000);
    assert.ok(
      after.some((t, i) => after.filter((u) => u.at >= t.at && u.at < t.at + 1000).length === 4),
      "all four again once no create waits",
    );
  });

  it("gives background polls a quarter of the tokens while other calls wait, and every token when alone", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ ...DEFAULT_REQUEST_BUDGET, perSecond: 1 }, clock);
    const calls: [string, "foreground" | "background"][] = [];
    for (let i = 0; i < 12; i++)
      calls.push(
        ["DescribePackageImportJob", "background"],
        ["DescribePackageVersion", "foreground"],
      );
    const times = await passTimes(clock, budget, calls);
    const short = (p: string) => (p === "background" ? "B" : "F");
    // The first token goes to the poll that asked first; after that, one token in four.
    assert.strictEqual(
      times
        .slice(0, 13)
        .map((t) => short(t.priority))
        .join(""),
      "BFFFBFFFBFFFB",
    );
    const tail = times.slice(-6).map((t) => t.priority);
    assert.deepStrictEqual(
      tail,
      Array(6).fill("background"),
      "once the foreground queue is empty, polls get every token",
    );
  });

  it("pauses the account's requests for a second after a 429 to one of them; creates go on", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ ...DEFAULT_REQUEST_BUDGET, perSecond: 4 }, clock);
    await passTimes(clock, budget, [["ListPackageImportJobs"]]);
    budget.answered("ListPackageImportJobs", true);
    const times = await passTimes(clock, budget, [
      ["ListPackageImportJobs"],
      ["DescribePackageImportJob"],
      ["CreatePackageImportJob"],
    ]);
    // A create is spaced by its own slots only, so it leaves with the first request the pause lets go.
    assert.deepStrictEqual(
      times.map((t) => [t.operation, t.at]),
      [
        ["ListPackageImportJobs", 1000],
        ["CreatePackageImportJob", 1000],
        ["DescribePackageImportJob", 1250],
      ],
    );
  });

  it("the second create waits a whole slot after the first one's answer: the first request of a process reaches the service late", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(DEFAULT_REQUEST_BUDGET, clock);
    const slot = Math.ceil(1000 / 0.97);
    const t0 = clock.now();
    const passed: number[] = [];
    const creates = [0, 1, 2].map(() =>
      budget.acquire("CreatePackageImportJob").then(() => passed.push(clock.now() - t0)),
    );
    await clock.advance(200); // the first create's answer takes 200 ms (modules loaded, connection opened)
    budget.answered("CreatePackageImportJob", false);
    await clock.run(Promise.all(creates));
    assert.deepStrictEqual(passed, [0, 200 + slot, 200 + 2 * slot]);
    budget.answered("CreatePackageImportJob", false); // later answers: the slots alone
    const later = clock.now();
    await clock.run(budget.acquire("CreatePackageImportJob"));
    assert.strictEqual(clock.now() - later, 200 + 2 * slot + slot - (later - t0));
  });

  it("a throttled create keeps its slots, tries every other slot after two 429s in a row, and every slot again after a success", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(DEFAULT_REQUEST_BUDGET, clock);
    const slot = Math.ceil(1000 / 0.97);
    const create = async () => (await passTimes(clock, budget, [["CreatePackageImportJob"]]))[0].at;
    const t0 = clock.now();
    await create();
    budget.answered("CreatePackageImportJob", true);
    const sinceStart = async () => (await create(), clock.now() - t0);
    assert.strictEqual(await sinceStart(), slot, "after one 429: the next slot");
    budget.answered("CreatePackageImportJob", true);
    assert.strictEqual(await sinceStart(), 3 * slot, "after two in a row: every other slot");
    budget.answered("CreatePackageImportJob", true);
    assert.strictEqual(await sinceStart(), 5 * slot);
    budget.answered("CreatePackageImportJob", false);
    assert.strictEqual(await sinceStart(), 6 * slot, "a success: every slot again");
    // The account's other requests never wait for a create's slots.
    budget.answered("CreatePackageImportJob", true);
    budget.answered("CreatePackageImportJob", true);
    assert.deepStrictEqual(
      (await passTimes(clock, budget, [["DescribePackageImportJob"]])).map((t) => t.at),
      [0],
    );
  });

  it("passes everything at once when the limits are 0 (off)", async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget(
      { ...DEFAULT_REQUEST_BUDGET, perSecond: 0, createPerSecond: 0 },
      clock,
    );
    const times = await passTimes(
      clock,
      budget,
      Array.from({ length: 20 }, () => ["CreatePackageImportJob"] as [string]),
    );
    assert.ok(times.every((t) => t.at === 0));
  });

  it("reads its rates from PULUMI_PANORAMA_MAX_RPS and PULUMI_PANORAMA_MAX_CREATE_RPS and names a bad one", () => {
    assert.deepStrictEqual(requestBudgetOptions({}), DEFAULT_REQUEST_BUDGET);
    assert.deepStrictEqual(
      requestBudgetOptions({ PULUMI_PANORAMA_MAX_RPS: "2.5", PULUMI_PANORAMA_MAX_CREATE_RPS: "0" }),
      {
        ...DEFAULT_REQUEST_BUDGET,
        perSecond: 2.5,
        createPerSecond: 0,
      },
    );
    assert.throws(
      () => requestBudgetOptions({ PULUMI_PANORAMA_MAX_RPS: "fast" }),
      /PULUMI_PANORAMA_MAX_RPS must be a number of requests per second \(0 turns the limit off\), got "fast"/,
    );
    assert.throws(
      () => requestBudgetOptions({ PULUMI_PANORAMA_MAX_CREATE_RPS: "-1" }),
      /PULUMI_PANORAMA_MAX_CREATE_RPS/,
    );
  });

  describe("on the SDK client, against the emulator enforcing the service's limits", function () {
    this.timeout(30_000);
    const fx = useEmulator({ rateLimits: true });

    it("a burst of 24 concurrent calls from one process is spread out and never throttled", async () => {
      const { emu } = fx();
      const client = new PanoramaClient({
        region: "us-east-1",
        endpoint: emu.url,
        credentials: emu.credentials,
        maxAttempts: 1,
      });
      installRequestBudget(client, new RequestBudget(DEFAULT_REQUEST_BUDGET));
      await emulatorControl(emu, "POST", "requests/reset");
      const started = Date.now();
      const calls = Array.from({ length: 24 }, (_, i) =>
        client
          .send(
            new DescribePackageImportJobCommand(
              i % 2 ? inBackground({ JobId: `missing-${i}` }) : { JobId: `missing-${i}` },
            ),
          )
          .catch((e) => e.name),
      );
      const answers = await Promise.all(calls);
      const elapsed = Date.now() - started;
      client.destroy();
      assert.deepStrictEqual(
        new Set(answers),
        new Set(["ResourceNotFoundException"]),
        "every call reached the service",
      );
      const counts = await emulatorControl(emu, "GET", "requests");
      assert.strictEqual(counts.throttled, 0);
      assert.strictEqual(counts.byOperation["panorama:DescribePackageImportJob"], 24);
      // 4 requests a second
      assert.ok(elapsed >= 5000 && elapsed < 9000, `took ${elapsed} ms`);
    });

    it("without the budget the same burst is throttled by the service", async () => {
      const { emu } = fx();
      const client = new PanoramaClient({
        region: "us-east-1",
        endpoint: emu.url,
        credentials: emu.credentials,
        maxAttempts: 1,
      });
      await new Promise((r) => setTimeout(r, 1100)); // let the emulator's bucket refill
      await emulatorControl(emu, "POST", "requests/reset");
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          client
            .send(new DescribePackageImportJobCommand({ JobId: `missing-${i}` }))
            .catch((e) => e.name),
        ),
      );
      client.destroy();
      assert.ok(answers.includes("ThrottlingException"));
      assert.ok((await emulatorControl(emu, "GET", "requests")).throttled >= 15);
    });

    it("three processes sharing the account's 1 create/s: the quota stays in use, and processes kept waiting probe every other slot", async function () {
      this.timeout(60_000);
      const { emu } = fx();
      const seconds = 20; // a few cuts each before they settle
      // Three provider processes: a client and a budget of their own each, all at the default ceiling.
      const processes = [0, 1, 2].map(() => {
        const client = new PanoramaClient({
          region: "us-east-1",
          endpoint: emu.url,
          credentials: emu.credentials,
          maxAttempts: 1,
        });
        installRequestBudget(client, new RequestBudget(DEFAULT_REQUEST_BUDGET));
        return client;
      });
      await new Promise((r) => setTimeout(r, 1100));
      await emulatorControl(emu, "POST", "requests/reset");
      const deadline = Date.now() + seconds * 1000;
      // DeletePackage of a package that does not exist: a create/modify operation that changes nothing.
      const answers = await Promise.all(
        processes.map(async (client) => {
          const names: string[] = [];
          while (Date.now() < deadline)
            names.push(
              await client.send(new DeletePackageCommand({ PackageId: "package-missing" })).then(
                () => "ok",
                (e) => e.name,
              ),
            );
          return names;
        }),
      );
      processes.forEach((c) => c.destroy());
      const all = answers.flat();
      const throttled = all.filter((n) => n === "ThrottlingException").length;
      const served = all.length - throttled;
      // The bucket holds one request and refills in a second: whoever asks right after gets it.
      assert.ok(
        served >= 0.9 * seconds,
        `only ${served} served in ${seconds} s of a 1/s quota: slots were left unused`,
      );
      // Without probing every other slot, each sends 0.97/s: about 1.9 of their 2.9 requests a second are refused.
      const everySlot = Math.floor((processes.length * 0.97 - 1) * seconds);
      assert.ok(
        throttled <= 0.8 * everySlot,
        `${throttled} throttled of ${all.length} (at every slot about ${everySlot})`,
      );
    });
  });
});
