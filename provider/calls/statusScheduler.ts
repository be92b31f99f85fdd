// Waits on many asynchronous jobs at once. Every dynamic resource of a stack runs in one provider
// process (reference pulumi-dynamic-providers §1.1), so the waits of `pulumi up --parallel 100`
// can share their status checks:
// - each job keeps the backoff of wait.ts (backoffDelayMs, a function of the job's age), so a lone
//   job is checked exactly when pollUntil would check it, with one Describe per check;
// - when several jobs are due, one list page (newest first) reports up to a page of statuses for
//   one request; jobs due soon join the page early, jobs that happen to be on it are refreshed for
//   free, and only a job the page shows finished is then described, once, for its outputs;
// - a list the caller may not use (AccessDenied) switches the process back to one Describe per job;
// - jobs of one stack tend to take alike: once some have succeeded, a pending job is also checked
//   when it reaches their typical duration (and a few times shortly after), so a batch is not seen
//   finished up to a quarter of its age late (measured: the last of 100 one-minute imports was
//   seen 13 s after it ended; the first job of a batch still waits for its backoff).
// The request rate itself is bounded by the client's RequestBudget; checks made here are sent as
// background requests, so they yield to the calls that start and finish resources.
import {
  backoffDelayMs,
  CheckOutcome,
  DURATIONS_KEPT,
  expectedEndCheckMs,
  PollOptions,
  PollResult,
  Verdict,
  WaitOptions,
} from "./wait";
import { systemWaitClock, WaitClock } from "./waitClock";

/** How the scheduler reads one service's jobs. */
export interface StatusSource<T> {
  /** One job in full; `background` marks a routine status poll (as opposed to reading a finished job). */
  describe(id: string, background: boolean): Promise<T>;
  /** One page of job summaries, newest first. Without it every check is a describe. */
  list?(nextToken: string | undefined): Promise<{ items: T[]; nextToken?: string }>;
  /** The number of jobs on a full page. */
  pageSize: number;
  idOf(item: T): string | undefined;
  /**
   * pollUntil's acceptor: a job judged "success" or "failure" is terminal (described once more in
   * full when only a list page showed it); an error judged "retry" is transient (checked again
   * later), any other error ends the wait.
   */
  acceptor(outcome: CheckOutcome<T>): Verdict;
  /** How long a job that succeeded took on the service (its timestamps), to expect the others; undefined if unknown. */
  serviceDurationMs?(item: T): number | undefined;
}

export {
  DURATIONS_KEPT,
  EXPECTED_END_MARGIN_MS,
  EXPECTED_END_SPAN,
  EXPECTED_END_STEP,
} from "./wait";

export interface WaitRequest<T> {
  id: string;
  options: Required<WaitOptions>;
  /** Where the job's age and deadline count from. @default now (a wait resumed from an earlier look passes that look's start) */
  startedAt?: number;
  /** Stop after the first check, whatever it shows: the one look a job just created gets. @default false */
  once?: boolean;
  /** After every check that did not finish the wait, as pollUntil's `onRetry`. */
  onRetry?: PollOptions<T>["onRetry"];
  /** Ends this wait at once (`aborted: true`); the others go on. */
  signal?: AbortSignal;
  /** Where a notice about this wait's checks goes (the list cannot be used). @default the scheduler's log */
  log?: (line: string) => void;
}

export interface StatusSchedulerOptions {
  clock?: WaitClock;
  /** Use the source's list to check several jobs with one request. @default true */
  coalesce?: boolean;
  /**
   * A job joins a list page when its next check is due within this fraction of its current delay;
   * checking it a little early costs nothing when the page is fetched anyway. @default 0.5
   */
  window?: number;
  /** Where the one-line notice goes when the list cannot be used. @default console.log */
  log?: (line: string) => void;
}

interface Watch<T> {
  request: WaitRequest<T>;
  startedAt: number;
  deadline: number;
  dueAt: number;
  /** A status check of this job alone, or a list page it is waited for on, is in flight. */
  busy: boolean;
  /** The list showed it finished; its describe is in flight. */
  fetching: boolean;
  settled: boolean;
  last?: T;
  lastError?: unknown;
  resolve(result: PollResult<T>): void;
  reject(error: unknown): void;
}

/** Where a job was seen in the list, to estimate how many pages reach it next time. */
interface Placement {
  /** Order in which jobs first came to this scheduler (newer jobs are listed before it). */
  arrival: number;
  /** Its index in the list at the last sweep that looked for it; a lower bound if not found. */
  index?: number;
  /** `arrivals` when that sweep started. */
  arrivalsThen?: number;
}

export class StatusScheduler<T> {
  private readonly watches = new Set<Watch<T>>();
  private readonly placements = new Map<string, Placement>();
  private arrivals = 0;
  /** Service-side durations of the most recent jobs that succeeded, oldest first. */
  private readonly durations: number[] = [];
  private listing: boolean;
  private sweeping = false;
  private timer: unknown;
  private timerAt = Infinity;
  private readonly clock: WaitClock;
  private readonly window: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly source: StatusSource<T>,
    options: StatusSchedulerOptions = {},
  ) {
    this.clock = options.clock ?? systemWaitClock;
    this.listing = (options.coalesce ?? true) && source.list !== undefined;
    this.window = options.window ?? 0.5;
    this.log = options.log ?? ((line) => console.log(line));
  }

  /** Jobs currently waited on. */
  get pending(): number {
    return this.watches.size;
  }

  /**
   * Checks the job until it is terminal or the deadline passes, with pollUntil's contract: the
   * first check after minDelaySeconds, the last one at the deadline, `done: true` only with a
   * full describe of the terminal job, errors that are not transient reject.
   */
  waitFor(request: WaitRequest<T>): Promise<PollResult<T>> {
    return new Promise((resolve, reject) => {
      const now = this.clock.now();
      const startedAt = request.startedAt ?? now;
      const w: Watch<T> = {
        request,
        startedAt,
        deadline: startedAt + request.options.timeoutSeconds * 1000,
        dueAt: now,
        busy: false,
        fetching: false,
        settled: false,
        resolve,
        reject,
      };
      w.dueAt = this.nextCheckAt(w, now);
      const signal = request.signal;
      if (signal?.aborted) return resolve({ done: false, value: undefined, aborted: true });
      if (signal) {
        const abort = () =>
          this.settle(w, { done: false, value: w.last, lastError: w.lastError, aborted: true });
        signal.addEventListener("abort", abort, { once: true });
        w.resolve = (result) => (signal.removeEventListener("abort", abort), resolve(result));
        w.reject = (error) => (signal.removeEventListener("abort", abort), reject(error));
      }
      if (!this.placements.has(request.id))
        this.placements.set(request.id, { arrival: this.arrivals++ });
      this.watches.add(w);
      this.arm();
    });
  }

  // ---- timing ---------------------------------------------------------------------------------

  private delayOf(w: Watch<T>, at: number): number {
    return backoffDelayMs(w.request.options, at - w.startedAt);
  }

  /**
   * The backoff's next check, or one around the job's expected end if that comes first; never past
   * the deadline (the last check falls on it, as in pollUntil).
   */
  private nextCheckAt(w: Watch<T>, at: number): number {
    const backoff = at + this.delayOf(w, at);
    return Math.min(backoff, this.expectedEndCheck(w, at) ?? Infinity, Math.max(at, w.deadline));
  }

  /** The next check from `at` on around the job's expected end, by the typical duration of jobs that succeeded. */
  private expectedEndCheck(w: Watch<T>, at: number): number | undefined {
    const next = expectedEndCheckMs(
      median(this.durations),
      at - w.startedAt,
      w.request.options.minDelaySeconds * 1000,
    );
    return next === undefined ? undefined : w.startedAt + next;
  }

  private learn(value: T): void {
    const ms = this.source.serviceDurationMs?.(value);
    if (ms === undefined || !(ms >= 0)) return;
    this.durations.push(ms);
    if (this.durations.length > DURATIONS_KEPT) this.durations.shift();
    // Jobs already scheduled by their backoff alone may be due at their expected end first.
    const now = this.clock.now();
    for (const w of this.watches)
      if (this.ready(w)) w.dueAt = Math.min(w.dueAt, this.expectedEndCheck(w, now) ?? Infinity);
  }

  private ready(w: Watch<T>): boolean {
    return !w.settled && !w.busy && !w.fetching;
  }

  private arm(): void {
    if (this.sweeping) return; // the sweep re-arms when it ends
    let earliest = Infinity;
    for (const w of this.watches) if (this.ready(w) && w.dueAt < earliest) earliest = w.dueAt;
    if (earliest >= this.timerAt) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = earliest;
    if (earliest === Infinity) return;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.tick();
      },
      Math.max(0, earliest - this.clock.now()),
    );
  }

  private tick(): void {
    const now = this.clock.now();
    const ready = [...this.watches].filter((w) => this.ready(w));
    const due = ready.filter((w) => w.dueAt <= now);
    const plan =
      due.length > 0 && this.listing && ready.length >= 2 ? this.planSweep(ready, now) : undefined;
    if (plan) void this.sweep(plan.covered, plan.pages); // first: it holds the timer until it ends
    for (const w of due) if (!plan?.covered.includes(w)) void this.checkAlone(w);
    this.arm();
  }

  /**
   * How many list pages to read now, if any. A page costs one request and reports every job on
   * it; checking the jobs due now or soon (within `window` of their delay) one by one costs one
   * request each. Read the most pages that cost less than the checks they replace; a due job
   * deeper than that (one old job behind many new ones) is described on its own.
   */
  private planSweep(
    ready: Watch<T>[],
    now: number,
  ): { pages: number; covered: Watch<T>[] } | undefined {
    const joining = ready.filter((w) => w.dueAt <= now + this.window * this.delayOf(w, now));
    const pageOf = (w: Watch<T>) => Math.floor(this.estimatedIndex(w) / this.source.pageSize);
    for (let pages = Math.max(...joining.map(pageOf)) + 1; pages >= 1; pages--) {
      const covered = joining.filter((w) => pageOf(w) < pages);
      if (covered.length >= 2 && pages < covered.length) return { pages, covered };
    }
    return undefined;
  }

  // ---- checks ---------------------------------------------------------------------------------

  /** One describe of one job (the only kind of check when the list is not used). */
  private async checkAlone(w: Watch<T>): Promise<void> {
    w.busy = true;
    try {
      const value = await this.source.describe(w.request.id, true);
      w.busy = false;
      this.observe(w, value, true);
    } catch (e) {
      w.busy = false;
      this.failed(w, e);
    } finally {
      this.arm();
    }
  }

  /** The list showed the job finished: describe it for its outputs. */
  private async fetchFinished(w: Watch<T>): Promise<void> {
    w.fetching = true;
    try {
      const value = await this.source.describe(w.request.id, false);
      w.fetching = false;
      this.observe(w, value, true);
    } catch (e) {
      w.fetching = false;
      this.failed(w, e);
    } finally {
      this.arm();
    }
  }

  /** Reads list pages until every joining job was seen, at most one page more than planned. */
  private async sweep(joining: Watch<T>[], plannedPages: number): Promise<void> {
    this.sweeping = true;
    for (const w of joining) w.busy = true;
    const wanted = new Set(joining.map((w) => w.request.id));
    const arrivalsThen = this.arrivals;
    let index = 0;
    let failure: unknown;
    try {
      let token: string | undefined;
      for (let pages = 0; pages <= plannedPages; pages++) {
        const page = await this.source.list!(token);
        for (const item of page.items) {
          const id = this.source.idOf(item);
          const placement = id === undefined ? undefined : this.placements.get(id);
          if (placement) Object.assign(placement, { index, arrivalsThen });
          index++;
          if (id === undefined) continue;
          wanted.delete(id);
          for (const w of this.watchesOf(id)) {
            // Jobs on the page that were not due are refreshed too; a describe already in flight wins.
            if (joining.includes(w) || this.ready(w)) {
              w.busy = false;
              this.observe(w, item, false);
            }
          }
        }
        if (wanted.size === 0 || !page.nextToken) break;
        token = page.nextToken;
      }
    } catch (e) {
      failure = e;
    }
    this.sweeping = false;
    const unseen = joining.filter((w) => w.busy);
    for (const w of unseen) {
      w.busy = false;
      const placement = this.placements.get(w.request.id)!;
      // Not within `index` jobs from the top: estimate it at least that deep from now on.
      if (failure === undefined)
        Object.assign(placement, { index: Math.max(index, placement.index ?? 0), arrivalsThen });
    }
    if (failure !== undefined && !this.isTransient(failure)) {
      this.listing = false;
      (unseen[0]?.request.log ?? this.log)(
        `Listing jobs failed (${describe(failure)}); checking each job on its own from now on.`,
      );
      for (const w of unseen) void this.checkAlone(w);
    } else if (failure !== undefined) {
      for (const w of unseen) this.failed(w, failure);
    } else {
      for (const w of unseen) void this.checkAlone(w);
    }
    this.arm();
  }

  private watchesOf(id: string): Watch<T>[] {
    return [...this.watches].filter((w) => w.request.id === id && !w.settled);
  }

  /** Where the job should be in the list (newest first), by the last sweep that looked for it. */
  private estimatedIndex(w: Watch<T>): number {
    const p = this.placements.get(w.request.id)!;
    return p.index === undefined
      ? this.arrivals - 1 - p.arrival // ours are the newest jobs; later arrivals are listed first
      : p.index + (this.arrivals - p.arrivalsThen!);
  }

  // ---- outcomes -------------------------------------------------------------------------------

  private observe(w: Watch<T>, value: T, full: boolean): void {
    if (w.settled) return;
    if (this.source.acceptor({ value }) !== "retry") {
      if (full) {
        this.learn(value);
        this.settle(w, { done: true, value });
      } else void this.fetchFinished(w);
      return;
    }
    const now = this.clock.now();
    w.last = value;
    w.lastError = undefined;
    const remaining = w.deadline - now;
    w.request.onRetry?.(
      { value },
      now - w.startedAt,
      remaining > 0 ? this.delayOf(w, now) : undefined,
    );
    if (remaining <= 0 || w.request.once) this.settle(w, { done: false, value });
    else w.dueAt = this.nextCheckAt(w, now);
  }

  private failed(w: Watch<T>, error: unknown): void {
    if (w.settled) return;
    if (!this.isTransient(error)) {
      this.settle(w, undefined, error);
      return;
    }
    const now = this.clock.now();
    w.lastError = error;
    const remaining = w.deadline - now;
    w.request.onRetry?.(
      { error },
      now - w.startedAt,
      remaining > 0 ? this.delayOf(w, now) : undefined,
    );
    if (remaining <= 0 || w.request.once)
      this.settle(w, { done: false, value: w.last, lastError: error });
    else w.dueAt = this.nextCheckAt(w, now);
  }

  private isTransient(error: unknown): boolean {
    return this.source.acceptor({ error }) === "retry";
  }

  private settle(w: Watch<T>, result: PollResult<T> | undefined, error?: unknown): void {
    if (w.settled) return;
    w.settled = true;
    this.watches.delete(w);
    if (result) w.resolve(result);
    else w.reject(error);
  }
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1];
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e?.name ?? "Error"}: ${e?.message ?? String(error)}`;
}
