// A request budget for one account and region: token buckets that keep the provider process under
// Panorama's documented quotas (5 requests/s for the account, 1 request/s for each create/modify
// operation; reference panorama-api §10) with headroom for other clients of the account. Every
// dynamic resource of a stack runs in one provider process (reference §1.1), so without a shared
// budget `pulumi up --parallel 100` fires 100 CreatePackageImportJob calls at once, and the 429s
// that follow drain the SDK's retry quota (5 tokens per retry out of 500) until calls fail outright.
// Several processes of one account on this machine (stacks deploying at once, the plugin's explicit
// providers) also take shared time slots (quotaSlots.ts), so that together they keep the quotas.
import { AdaptiveRates } from "./adaptiveRate";
import { Quota, QuotaSlots, Slot } from "./quotaSlots";
import { systemWaitClock, WaitClock } from "./waitClock";

export interface RequestBudgetOptions {
  /** Requests in any one second for all Panorama operations together (fractions round down); 0 turns the limit off. @default 4 */
  perSecond: number;
  /** Requests per second for each Create*, Register*, Deregister*, Delete* and Remove* operation (below 1: one per 1/rate s); 0 turns it off. @default 0.97 */
  createPerSecond: number;
  /** Share of the overall rate that background requests (status polls) get while others wait. @default 0.25 */
  backgroundShare: number;
}

/**
 * The ceilings. Overall 80% of the account's 5/s, leaving room for a console or CLI session.
 * Creates at the quota itself, less 3%: they leave 1031 ms apart, so a few milliseconds of network
 * jitter never lands two in one second of the service's bucket (at 80%, 100 imports took 1.29× the
 * time the quota allows). Other processes in the account are met by adapting: the account's rate
 * along the SDK's curve (adaptiveRate.ts), creates by their slots (RequestBudget.answered).
 */
export const DEFAULT_REQUEST_BUDGET: RequestBudgetOptions = {
  perSecond: 4,
  createPerSecond: 0.97,
  backgroundShare: 0.25,
};

/** The environment variables that change the budget, documented in the README. */
export const BUDGET_ENV = {
  perSecond: "PULUMI_PANORAMA_MAX_RPS",
  createPerSecond: "PULUMI_PANORAMA_MAX_CREATE_RPS",
} as const;

/**
 * With shared slots a create also leaves at least this share of its slot after the answer to the
 * create before it (quotaSlots.ts): the answer came after that create reached the service, so no
 * network delay or busy machine brings two closer than a second there (1031 ms × 0.97). The slots
 * themselves stay 1 / createPerSecond apart, so that round trips do not put the creates behind them.
 */
export const ANSWER_SPACED_SLOT = 0.97;

/** The operations the service limits to 1 request/s each. */
export const LIMITED_OPERATION = /^(Create|Register|Deregister|Delete|Remove)/;

/** How long the account's requests pause after the service answers 429: its bucket refills within a second. */
export const THROTTLE_PAUSE_MS = 1000;

/**
 * After this many throttled attempts in a row, a create operation is tried every other slot: the
 * process keeps watching for the quota to free up, at half the throttled calls.
 */
export const PROBE_AFTER_THROTTLES = 2;

export type Priority = "foreground" | "background";

/** Reads the budget from the environment; a value that is not a rate is refused with its name. */
export function requestBudgetOptions(
  env: Record<string, string | undefined> = process.env,
): RequestBudgetOptions {
  const out = { ...DEFAULT_REQUEST_BUDGET };
  for (const key of ["perSecond", "createPerSecond"] as const) {
    const text = env[BUDGET_ENV[key]];
    if (text === undefined || text.trim() === "") continue;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(
        `${BUDGET_ENV[key]} must be a number of requests per second (0 turns the limit off), got ${JSON.stringify(text)}.`,
      );
    out[key] = value;
  }
  return out;
}

/**
 * At most `allowance` requests in any window of `windowMs`: ⌊rate⌋ per second, or one per 1/rate
 * seconds below 1/s. A sliding window never lets more through in any second than the rate, yet
 * lets a lone resource's back-to-back calls (its last status check, then its package details) go
 * at once.
 */
class Window {
  private readonly windowMs: number;
  private readonly allowance: number;
  /** When the requests of the current window passed, oldest first. */
  private readonly passed: number[] = [];
  private blockedUntil = -Infinity;
  private answeredOnce = false;

  constructor(perSecond: number) {
    this.windowMs = perSecond >= 1 ? 1000 : 1000 / perSecond;
    this.allowance = perSecond >= 1 ? Math.floor(perSecond) : 1;
  }

  /** The earliest time, from `now` on, at which one more request fits, keeping `reserved` of the allowance free. */
  freeAt(now: number, reserved = 0): number {
    while (this.passed.length > 0 && this.passed[0] <= now - this.windowMs) this.passed.shift();
    const allowed = Math.max(1, this.allowance - reserved);
    const room =
      this.passed.length < allowed
        ? now
        : this.passed[this.passed.length - allowed] + this.windowMs;
    return Math.max(room, this.blockedUntil);
  }

  record(now: number): void {
    this.passed.push(now);
  }

  pause(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  /**
   * The answer to a request that passed. The first one of a process reached the service late (the
   * SDK loads its modules and opens the connection after the request left the budget), so the
   * next leaves a whole window after this answer rather than after the first one left; measured:
   * the second create of a run was otherwise refused within the service's second.
   */
  answered(at: number): void {
    if (this.answeredOnce) return;
    this.answeredOnce = true;
    this.pause(at + this.windowMs);
  }

  /** Skips `slots` of this window's slots after the last request passed. */
  skip(slots: number): void {
    const last = this.passed[this.passed.length - 1];
    if (last !== undefined) this.pause(last + (1 + slots) * this.windowMs);
  }
}

interface Waiter {
  operation: string;
  priority: Priority;
  /** When it asked; a request that had to wait leaves at least 1/rate after the previous one. */
  since: number;
  resolve: (slot?: Slot) => void;
}

/**
 * The budget of one client (one account and region), shared by every resource in the process.
 * One queue, checked against every window that applies to a request at the moment it would pass:
 * a create waits for its operation's window and the overall one together, so the spacing of
 * creates is the spacing at which they leave, and a create waiting for its window holds up nothing
 * else. Requests that had to queue leave 1/rate apart rather than all at once when the window
 * opens. While foreground and background requests could both pass, background ones (status polls)
 * get `backgroundShare` of the passes, so they neither starve nor crowd out the calls that start
 * and finish resources.
 */
export class RequestBudget {
  private readonly overall?: Window;
  private readonly perOperation = new Map<string, Window>();
  private readonly waiting: Waiter[] = [];
  private backgroundCredit = 0;
  /** Throttled answers in a row, per create operation. */
  private readonly throttledInARow = new Map<string, number>();
  private lastPassAt = -Infinity;
  private timer: unknown;
  private timerAt = Infinity;
  /** The rate under the ceiling this process has adapted to (the middleware's part, in real time). */
  readonly adaptive: AdaptiveRates;
  /** Quotas of which this process is taking a slot right now: one request at a time per quota. */
  private readonly taking = new Set<string>();

  /**
   * @param shared the account's slots shared with the other processes on this machine
   * (quotaSlots.ts); without them the windows are this process's alone.
   */
  constructor(
    readonly options: RequestBudgetOptions = DEFAULT_REQUEST_BUDGET,
    private readonly clock: WaitClock = systemWaitClock,
    private readonly shared?: QuotaSlots,
  ) {
    const share = options.backgroundShare;
    if (!(share > 0 && share < 1))
      throw new Error(
        `backgroundShare must be a fraction between 0 and 1 (exclusive), got ${share}.`,
      );
    if (options.perSecond > 0) this.overall = new Window(options.perSecond);
    this.adaptive = new AdaptiveRates(options.perSecond);
  }

  /**
   * Resolves when a request of `operation` (e.g. "CreatePackageImportJob") may be sent; with
   * shared slots, with the slot it owns (its answer is to be reported to it).
   */
  acquire(operation: string, priority: Priority = "foreground"): Promise<Slot | undefined> {
    if (!this.overall && !this.operationWindow(operation)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiting.push({ operation, priority, since: this.clock.now(), resolve });
      this.pump();
    });
  }

  /**
   * The service's answer to a request that passed. A 429 means another client shares the account.
   * For the account's requests, they pause for a moment and the adaptive rate is cut. A create
   * operation's quota is a bucket of one request that refills in a second: whoever asks first
   * after it refilled gets it, so cutting the rate would only leave it unused (measured: 3 stacks
   * whose creates each followed the SDK's curve spent 1.38× the time the quota allows, with gaps
   * of 10 s when all three sat at their lowest rate). A throttled create therefore keeps its
   * slots (1/rate apart), tries only every other slot once it is refused again and again, and is
   * back at every slot with its first success: the process whose creates go through keeps the
   * quota busy, the others take over as soon as it is free.
   */
  answered(operation: string, throttled: boolean): void {
    const window = this.operationWindow(operation);
    if (!window) {
      if (throttled) this.overall?.pause(this.clock.now() + THROTTLE_PAUSE_MS);
      this.adaptive.answered(throttled);
    } else {
      // With shared slots, the slot after a process's first create waits for its answer instead.
      if (!this.sharing()) window.answered(this.clock.now());
      const inARow = throttled ? (this.throttledInARow.get(operation) ?? 0) + 1 : 0;
      this.throttledInARow.set(operation, inARow);
      if (inARow >= PROBE_AFTER_THROTTLES) window.skip(1);
    }
    if (throttled) this.pump();
  }

  private operationWindow(operation: string): Window | undefined {
    if (!(this.options.createPerSecond > 0) || !LIMITED_OPERATION.test(operation)) return undefined;
    let window = this.perOperation.get(operation);
    if (!window)
      this.perOperation.set(operation, (window = new Window(this.options.createPerSecond)));
    return window;
  }

  /**
   * Requests that had to queue leave 1/rate apart, except a create: its own window already spaces
   * it, and holding it behind a status poll that just left would cost the quota part of a slot.
   * For the same reason, while creates wait, other requests leave one request of the account's
   * allowance to them (3 of 4 a second by default).
   */
  private freeAt(w: Waiter, now: number, createsWaiting: boolean): number {
    const own = this.operationWindow(w.operation);
    const spaced =
      !own && w.since < now && this.options.perSecond > 0
        ? this.lastPassAt + 1000 / this.options.perSecond
        : now;
    const reserved = !own && createsWaiting ? 1 : 0;
    return Math.max(this.overall?.freeAt(now, reserved) ?? now, own?.freeAt(now) ?? now, spaced);
  }

  private sharing(): boolean {
    return this.shared !== undefined && !this.shared.broken;
  }

  /**
   * The shared quota a request takes a slot of: its operation's (a create at createPerSecond), or
   * the account's for any other, at what the creates leave of perSecond (one a second) in slots of
   * two, so that a lone resource's back-to-back calls still go at once.
   */
  private quotaOf(operation: string): Quota | undefined {
    const { perSecond, createPerSecond } = this.options;
    if (this.operationWindow(operation))
      return {
        name: operation,
        intervalMs: 1000 / createPerSecond,
        perSlot: 1,
        afterAnswerMs: (1000 / createPerSecond) * ANSWER_SPACED_SLOT,
      };
    if (!(perSecond > 0)) return undefined;
    const rate = createPerSecond > 0 ? Math.max(1, perSecond - 1) : perSecond;
    return { name: "account", intervalMs: 2000 / rate, perSlot: 2 };
  }

  /**
   * Takes the request's shared slot, one request of a quota at a time: the others of this process
   * wait in this queue (where priorities count) rather than in the shared directory, so each
   * process holds at most one place in line and the processes take turns.
   */
  private pass(w: Waiter): void {
    const quota = this.sharing() ? this.quotaOf(w.operation) : undefined;
    if (!quota) return w.resolve();
    this.taking.add(quota.name);
    this.shared!.take(quota).then(
      (slot) => this.passed(quota, w, slot),
      () => this.passed(quota, w, undefined),
    );
  }

  private passed(quota: Quota, w: Waiter, slot: Slot | undefined): void {
    this.taking.delete(quota.name);
    w.resolve(slot);
    this.pump();
  }

  private createsWaiting(): boolean {
    return this.waiting.some((w) => this.operationWindow(w.operation) !== undefined);
  }

  private pump(): void {
    const now = this.clock.now();
    for (;;) {
      const createsWaiting = this.createsWaiting();
      const passable = this.waiting.filter(
        (w) => !this.isTaking(w) && this.freeAt(w, now, createsWaiting) <= now,
      );
      if (passable.length === 0) break;
      const next = this.choose(passable);
      this.waiting.splice(this.waiting.indexOf(next), 1);
      this.overall?.record(now);
      this.operationWindow(next.operation)?.record(now);
      this.lastPassAt = now;
      this.pass(next);
    }
    const createsWaiting = this.createsWaiting();
    // A request behind a slot being taken is pumped again when that slot is there.
    const at = Math.min(
      ...this.waiting
        .filter((w) => !this.isTaking(w))
        .map((w) => this.freeAt(w, now, createsWaiting)),
    );
    if (at < this.timerAt) {
      if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
      this.timerAt = at;
      this.timer =
        at === Infinity
          ? undefined
          : this.clock.setTimeout(
              () => {
                this.timer = undefined;
                this.timerAt = Infinity;
                this.pump();
              },
              Math.max(1, Math.ceil(at - now)),
            );
    }
  }

  private isTaking(w: Waiter): boolean {
    const quota = this.sharing() ? this.quotaOf(w.operation) : undefined;
    return quota !== undefined && this.taking.has(quota.name);
  }

  /** First come, first served within a priority; background gets its share when both could go. */
  private choose(passable: Waiter[]): Waiter {
    const foreground = passable.find((w) => w.priority === "foreground");
    const background = passable.find((w) => w.priority === "background");
    if (!background) return foreground!;
    if (!foreground) return background;
    if (this.backgroundCredit >= 1) {
      this.backgroundCredit -= 1;
      return background;
    }
    this.backgroundCredit += this.options.backgroundShare / (1 - this.options.backgroundShare);
    return foreground;
  }
}

/** Inputs of requests that are routine status polls; the budget serves them with background priority. */
const backgroundInputs = new WeakSet<object>();

/** Marks a command input as a background status poll and returns it. */
export function inBackground<T extends object>(input: T): T {
  backgroundInputs.add(input);
  return input;
}

/** The parts of an SDK client this module needs (kept structural so tests can pass a stub). */
export interface MiddlewareHost {
  middlewareStack: {
    addRelativeTo(
      middleware: any,
      options: { name: string; relation: "before" | "after"; toMiddleware: string },
    ): void;
  };
}

/**
 * Makes every HTTP attempt of `client` (retries included) wait for the budget. The step sits
 * after the SDK's retry middleware and before signing, so a request that waited long is still
 * signed with a fresh timestamp. Before the budget's ceiling, a request other than a create waits
 * for the rate this process adapted to the account's other clients (adaptiveRate.ts).
 */
export function installRequestBudget(client: MiddlewareHost, budget: RequestBudget): void {
  client.middlewareStack.addRelativeTo(
    (next: (args: any) => Promise<any>, context: { commandName?: string }) =>
      async (args: { input?: object }) => {
        const operation = (context.commandName ?? "").replace(/Command$/, "");
        if (!LIMITED_OPERATION.test(operation)) await budget.adaptive.gate();
        const slot = await budget.acquire(
          operation,
          args.input && backgroundInputs.has(args.input) ? "background" : "foreground",
        );
        try {
          const output = await next(args);
          budget.answered(operation, false);
          return output;
        } catch (e) {
          budget.answered(operation, isThrottlingAnswer(e));
          throw e;
        } finally {
          slot?.answered();
        }
      },
    { name: "panoramaRequestBudget", relation: "before", toMiddleware: "httpSigningMiddleware" },
  );
}

/** The service refused the request for its rate (429 or a Throttling* error): it was not applied. */
export function isThrottlingAnswer(error: unknown): boolean {
  const e = error as { $metadata?: { httpStatusCode?: number }; name?: string };
  return (
    e?.$metadata?.httpStatusCode === 429 ||
    /Throttl|TooManyRequests|RequestLimitExceeded/.test(e?.name ?? "")
  );
}
