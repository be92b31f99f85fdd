// The status scheduler on a fake clock against a fake service: a lone job is polled as pollUntil
// polls it, many jobs share list pages, a batch is checked at the end its finished jobs predict,
// and every failure mode of pollUntil still holds.
import * as assert from "assert";
import {
  EXPECTED_END_MARGIN_MS,
  StatusScheduler,
  StatusSource,
  WaitRequest,
} from "../../provider/calls/statusScheduler";
import {
  DEFAULT_WAIT,
  pollUntil,
  PollResult,
  resolveWaitOptions,
  WaitOptions,
} from "../../provider/calls/wait";
import { FakeClock } from "../support/fakeClock";

interface Item {
  JobId: string;
  Status: string;
  /** Only describes carry the outputs. */
  full?: boolean;
  /** The service's timestamps (describes only): when the job was made and when it last changed. */
  createdAt?: number;
  updatedAt?: number;
}

const LATENCY_MS = 30;

/** A service with jobs that finish at given times, listed newest first, 25 per page. */
class FakeService {
  readonly calls: { op: "describe" | "list"; at: number; background: boolean; id?: string }[] = [];
  private readonly jobs: { id: string; createdAt: number; doneAt: number; status?: string }[] = [];
  /** Makes the next calls of an operation fail with this error. */
  failing: Partial<Record<"describe" | "list", { error: Error; times: number }>> = {};

  constructor(
    private readonly clock: FakeClock,
    private readonly latencyMs = LATENCY_MS,
  ) {}

  addJob(id: string, durationMs: number, status = "SUCCEEDED"): void {
    this.jobs.push({
      id,
      createdAt: this.clock.now(),
      doneAt: this.clock.now() + durationMs,
      status,
    });
  }

  private statusOf(j: { doneAt: number; status?: string }): string {
    return this.clock.now() >= j.doneAt ? j.status! : "PENDING";
  }

  private fail(op: "describe" | "list"): void {
    const f = this.failing[op];
    if (f && f.times > 0) {
      f.times--;
      throw f.error;
    }
  }

  /** @param durations whether the source reports how long a job took (serviceDurationMs) */
  source(durations = false): StatusSource<Item> {
    return {
      ...(durations && {
        serviceDurationMs: (item: Item) =>
          item.Status === "SUCCEEDED" && item.full ? item.updatedAt! - item.createdAt! : undefined,
      }),
      describe: async (id, background) => {
        this.calls.push({ op: "describe", at: this.clock.now(), background, id });
        await this.clock.sleep(this.latencyMs);
        this.fail("describe");
        const j = this.jobs.find((x) => x.id === id);
        if (!j)
          throw Object.assign(new Error(`no job ${id}`), { name: "ResourceNotFoundException" });
        const status = this.statusOf(j);
        const timestamps = durations && {
          createdAt: j.createdAt,
          updatedAt: status === "PENDING" ? j.createdAt : j.doneAt,
        };
        return { JobId: id, Status: status, full: true, ...timestamps };
      },
      list: async (token) => {
        this.calls.push({ op: "list", at: this.clock.now(), background: true });
        await this.clock.sleep(this.latencyMs);
        this.fail("list");
        const newestFirst = [...this.jobs].reverse();
        const start = token ? Number(token) : 0;
        const items = newestFirst
          .slice(start, start + 25)
          .map((j) => ({ JobId: j.id, Status: this.statusOf(j) }));
        return {
          items,
          nextToken: start + 25 < newestFirst.length ? String(start + 25) : undefined,
        };
      },
      pageSize: 25,
      idOf: (item) => item.JobId,
      acceptor: (o) =>
        "error" in o
          ? (o.error as Error).name === "ThrottlingException"
            ? "retry"
            : "failure"
          : o.value.Status === "SUCCEEDED"
            ? "success"
            : o.value.Status === "FAILED"
              ? "failure"
              : "retry",
    };
  }

  count(op: "describe" | "list"): number {
    return this.calls.filter((c) => c.op === op).length;
  }
}

function setup(options: { coalesce?: boolean; latencyMs?: number; durations?: boolean } = {}) {
  const clock = new FakeClock();
  const service = new FakeService(clock, options.latencyMs);
  const lines: string[] = [];
  const scheduler = new StatusScheduler(service.source(options.durations), {
    clock,
    coalesce: options.coalesce,
    log: (l) => lines.push(l),
  });
  const wait = (id: string, extra: Partial<WaitRequest<Item>> & { wait?: WaitOptions } = {}) =>
    scheduler.waitFor({ id, options: resolveWaitOptions(extra.wait), ...extra });
  return { clock, service, scheduler, wait, lines };
}

const throttling = () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });

describe("StatusScheduler", () => {
  it("checks a lone job exactly when pollUntil would, one describe per check", async () => {
    for (const durationS of [0.7, 13, 67]) {
      const { clock, service, wait } = setup({ latencyMs: 0 });
      service.addJob("job", durationS * 1000);
      const result = await clock.run(wait("job"));
      assert.deepStrictEqual(result, {
        done: true,
        value: { JobId: "job", Status: "SUCCEEDED", full: true },
      });
      assert.strictEqual(service.count("list"), 0, "a lone job never lists");

      const reference = new FakeClock();
      const checks: number[] = [];
      const start = reference.now();
      await reference.run(
        pollUntil({
          options: DEFAULT_WAIT,
          clock: reference,
          check: async () => {
            checks.push(reference.now() - start);
            return reference.now() - start >= durationS * 1000 ? "SUCCEEDED" : "PENDING";
          },
          acceptor: (o) =>
            "error" in o ? "failure" : o.value === "SUCCEEDED" ? "success" : "retry",
        }),
      );
      const ours = service.calls.map((c) => c.at - 1_000_000);
      assert.strictEqual(
        ours.length,
        checks.length,
        `D=${durationS}s: ${ours.length} checks vs pollUntil's ${checks.length}`,
      );
      ours.forEach((t, i) =>
        assert.ok(
          Math.abs(t - checks[i]) < 1e-6,
          `D=${durationS}s check ${i}: ${t} vs ${checks[i]}`,
        ),
      );
      assert.ok(
        service.calls.every((c) => c.background),
        "status polls are background requests",
      );
    }
  });

  it("checks 100 pending jobs with list pages and describes each job once, when it finished", async () => {
    const run = async (coalesce: boolean) => {
      const { clock, service, wait } = setup({ coalesce });
      const waits: Promise<PollResult<Item>>[] = [];
      const finishedAt = new Map<string, number>();
      const detectedAt = new Map<string, number>();
      for (let i = 0; i < 100; i++) {
        service.addJob(`job-${i}`, 60_000);
        finishedAt.set(`job-${i}`, clock.now() + 60_000);
        waits.push(wait(`job-${i}`).then((r) => (detectedAt.set(`job-${i}`, clock.now()), r)));
        await clock.advance(250); // created at the budget's 4 requests/s
      }
      const results = await clock.run(Promise.all(waits));
      assert.ok(results.every((r) => r.done && r.value.full));
      const worstLag = Math.max(...[...detectedAt].map(([id, at]) => at - finishedAt.get(id)!));
      return { service, worstLag };
    };
    const together = await run(true);
    const alone = await run(false);
    // Every job is read in full once it finished, and only once: by its own check, or right after
    // a page showed it finished.
    for (let i = 0; i < 100; i++) {
      const afterDone = together.service.calls.filter(
        (c) => c.id === `job-${i}` && c.at - 1_000_000 >= i * 250 + 60_000,
      ).length;
      assert.strictEqual(
        afterDone,
        1,
        `job-${i} was described ${afterDone} times after it finished`,
      );
    }
    const requests = together.service.calls.length;
    assert.ok(
      requests < alone.service.calls.length / 5,
      `${requests} requests with lists vs ${alone.service.calls.length} without`,
    );
    assert.ok(requests <= 100 + 150, `${requests} requests for 100 jobs`);
    // Alone, a 60 s job is detected within 20% of its age; shared pages must not make that worse.
    assert.ok(together.worstLag <= 0.25 * 60_000, `worst detection lag ${together.worstLag} ms`);
    assert.ok(
      alone.worstLag <= 0.25 * 60_000,
      `worst detection lag without lists ${alone.worstLag} ms`,
    );
  });

  it("sees the jobs of a batch finished right at their end once some succeeded, at most a few checks more each", async () => {
    // 40 one-minute imports created at the 1/s quota, the last one slower than the rest.
    const run = async (durations: boolean) => {
      const { clock, service, wait } = setup({ durations });
      const lags = new Map<string, number>();
      const waits: Promise<unknown>[] = [];
      for (let i = 0; i < 40; i++) {
        const ms = i === 39 ? 90_000 : 60_000;
        const doneAt = clock.now() + ms;
        service.addJob(`job-${i}`, ms);
        waits.push(wait(`job-${i}`).then(() => lags.set(`job-${i}`, clock.now() - doneAt)));
        await clock.advance(1031);
      }
      await clock.run(Promise.all(waits));
      return {
        lags: [...Array(40).keys()].map((i) => lags.get(`job-${i}`)!),
        requests: service.calls.length,
      };
    };
    const backoffOnly = await run(false);
    const expecting = await run(true);
    // Without the durations the batch is seen in waves: some job waits most of a quarter of its age.
    assert.ok(
      Math.max(...backoffOnly.lags.slice(10, 39)) > 5_000,
      `lags without durations: ${backoffOnly.lags}`,
    );
    // The first wave seen finished (jobs 0-9, on their backoff) teaches the typical minute; every
    // later one is seen within the margin and a few round trips (a list page, then the describe,
    // each perhaps behind another request).
    const later = expecting.lags.slice(10, 39);
    assert.ok(
      Math.max(...later) <= EXPECTED_END_MARGIN_MS + 4 * LATENCY_MS,
      `lags with durations: ${later}`,
    );
    // The slow one is still seen within a quarter of its age, after a few extra checks.
    assert.ok(
      expecting.lags[39] <= 0.25 * 90_000,
      `the slow job was seen ${expecting.lags[39]} ms late`,
    );
    assert.ok(
      expecting.requests <= backoffOnly.requests + 40 + 5,
      `${expecting.requests} requests vs ${backoffOnly.requests} on the backoff alone`,
    );
  });

  it("never spends more requests than describing each job alone, even for two or three jobs", async () => {
    for (const jobs of [2, 3]) {
      for (const gapMs of [0, 1_250, 7_000]) {
        const requests = async (coalesce: boolean) => {
          const { clock, service, wait } = setup({ coalesce });
          const waits: Promise<PollResult<Item>>[] = [];
          for (let i = 0; i < jobs; i++) {
            service.addJob(`job-${i}`, 13_000 + 1_000 * i);
            waits.push(wait(`job-${i}`));
            await clock.advance(gapMs);
          }
          await clock.run(Promise.all(waits));
          return service.calls.length;
        };
        const [shared, alone] = [await requests(true), await requests(false)];
        assert.ok(
          shared <= alone,
          `${jobs} jobs ${gapMs} ms apart: ${shared} requests with lists, ${alone} without`,
        );
      }
    }
  });

  it("describes jobs a page does not reach on their own, and stops listing for them", async () => {
    const { clock, service, wait } = setup();
    for (let i = 0; i < 3; i++) service.addJob(`ours-${i}`, 30_000);
    const waits = [0, 1, 2].map((i) => wait(`ours-${i}`));
    for (let i = 0; i < 60; i++) service.addJob(`someone-elses-${i}`, 1_000); // newer, so listed first
    const results = await clock.run(Promise.all(waits));
    assert.ok(results.every((r) => r.done));
    // One sweep finds out the jobs are deeper than estimated (two pages read), then describes only.
    assert.strictEqual(service.count("list"), 2);
    assert.ok(service.count("describe") > 3);
  });

  it("falls back to one describe per job for good when listing is refused, and says so once", async () => {
    const { clock, service, wait, lines } = setup();
    service.failing.list = {
      error: Object.assign(new Error("not allowed"), { name: "AccessDeniedException" }),
      times: 100,
    };
    const waits = Array.from(
      { length: 10 },
      (_, i) => (service.addJob(`job-${i}`, 20_000), wait(`job-${i}`)),
    );
    const results = await clock.run(Promise.all(waits));
    assert.ok(results.every((r) => r.done));
    assert.strictEqual(service.count("list"), 1);
    assert.deepStrictEqual(lines, [
      "Listing jobs failed (AccessDeniedException: not allowed); checking each job on its own from now on.",
    ]);
  });

  it("reports a transient list error to every job that waited for the page, and checks them again", async () => {
    const { clock, service, wait } = setup();
    service.failing.list = { error: throttling(), times: 1 };
    const errors: string[] = [];
    const waits = Array.from({ length: 10 }, (_, i) => {
      service.addJob(`job-${i}`, 10_000);
      return wait(`job-${i}`, { onRetry: (o) => void ("error" in o && errors.push(`job-${i}`)) });
    });
    const results = await clock.run(Promise.all(waits));
    assert.ok(results.every((r) => r.done));
    assert.strictEqual(errors.length, 10);
    assert.ok(service.count("list") > 1, "listing goes on after a transient error");
  });

  it("ends a wait at its deadline with the last status, after a check at the deadline", async () => {
    const { clock, service, wait } = setup();
    service.addJob("slow", 1e9);
    const checks: number[] = [];
    const start = clock.now();
    const result = await clock.run(
      wait("slow", {
        wait: { timeoutSeconds: 10 },
        onRetry: (o, elapsed) => void ("value" in o && checks.push(elapsed)),
      }),
    );
    assert.deepStrictEqual(result, {
      done: false,
      value: { JobId: "slow", Status: "PENDING", full: true },
    });
    assert.strictEqual(service.calls[service.calls.length - 1].at - start, 10_000);
  });

  it("counts the deadline and the backoff from `startedAt` when a wait continues an earlier look", async () => {
    const { clock, service, wait } = setup();
    service.addJob("job", 1e9);
    const startedAt = clock.now();
    const first = await clock.run(wait("job", { once: true }));
    assert.deepStrictEqual([first.done, clock.now() - startedAt], [false, 500 + LATENCY_MS]);
    await clock.run(wait("job", { startedAt, wait: { timeoutSeconds: 3 } }));
    const times = service.calls.map((c) => c.at - startedAt);
    // The wait goes on from the look's age: 0.5 s apart until 2 s, then 24% of the age; the last
    // check falls on the deadline, 3 s after the first look began.
    assert.deepStrictEqual(times.slice(0, 3), [500, 1030, 1560]);
    assert.strictEqual(times[times.length - 1], 3000);
  });

  it("rides out transient describe errors and rejects on a permanent one, for that job only", async () => {
    const { clock, service, wait } = setup();
    service.addJob("job", 3_000);
    service.failing.describe = { error: throttling(), times: 2 };
    const seen: string[] = [];
    const ok = await clock.run(
      wait("job", {
        onRetry: (o) => void ("error" in o && seen.push((o.error as Error).name)),
      }),
    );
    assert.strictEqual(ok.done, true);
    assert.deepStrictEqual(seen, ["ThrottlingException", "ThrottlingException"]);
    await assert.rejects(clock.run(wait("missing")), { name: "ResourceNotFoundException" });
  });

  it("lets two waits on the same job share its checks", async () => {
    const { clock, service, wait } = setup();
    service.addJob("job", 8_000);
    for (let i = 0; i < 30; i++) service.addJob(`other-${i}`, 8_000);
    const waits = [
      wait("job"),
      wait("job"),
      ...Array.from({ length: 30 }, (_, i) => wait(`other-${i}`)),
    ];
    const results = await clock.run(Promise.all(waits));
    assert.ok(results.every((r) => r.done));
    assert.ok(service.count("list") > 0);
  });

  it("ends a wait whose signal aborts at once, with the last status seen, and goes on with the others", async () => {
    const { clock, service, wait } = setup();
    service.addJob("job", 1e9);
    service.addJob("other", 4_000);
    const controller = new AbortController();
    const aborted = wait("job", { signal: controller.signal });
    const other = wait("other");
    await clock.advance(2_000);
    const checksBefore = service.calls.filter((c) => c.id === "job").length;
    controller.abort();
    const result = await aborted;
    assert.deepStrictEqual(result, {
      done: false,
      value: { JobId: "job", Status: "PENDING" },
      lastError: undefined,
      aborted: true,
    });
    assert.strictEqual((await clock.run(other)).done, true);
    assert.strictEqual(
      service.calls.filter((c) => c.id === "job").length,
      checksBefore,
      "the aborted job is not checked again",
    );
  });
});
