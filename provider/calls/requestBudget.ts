// A request budget for one account and region: token buckets that keep the provider process under
// Panorama's documented quotas (5 requests/s for the account, 1 request/s for each create/modify
// operation; reference panorama-api §10) with headroom for other clients of the account. Every
// dynamic resource of a stack runs in one provider process (reference §1.1), so without a shared
// budget `pulumi up --parallel 100` fires 100 CreatePackageImportJob calls at once, and the 429s
// that follow drain the SDK's retry quota (5 tokens per retry out of 500) until calls fail outright.
import { AdaptiveRates } from "./adaptiveRate";
import { Clock, systemClock } from "./wait";

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
 * time the quota allows). Other processes in the account are met by adapting (adaptiveRate.ts).
 */
export const DEFAULT_REQUEST_BUDGET: RequestBudgetOptions = { perSecond: 4, createPerSecond: 0.97, backgroundShare: 0.25 };

/** The environment variables that change the budget, documented in the README. */
export const BUDGET_ENV = { perSecond: "PULUMI_PANORAMA_MAX_RPS", createPerSecond: "PULUMI_PANORAMA_MAX_CREATE_RPS" } as const;

/** The operations the service limits to 1 request/s each. */
export const LIMITED_OPERATION = /^(Create|Register|Deregister|Delete|Remove)/;

/** How long the throttled class of requests pauses after the service answers 429: its buckets refill within a second. */
export const THROTTLE_PAUSE_MS = 1000;

export type Priority = "foreground" | "background";

/** Reads the budget from the environment; a value that is not a rate is refused with its name. */
export function requestBudgetOptions(env: Record<string, string | undefined> = process.env): RequestBudgetOptions {
  const out = { ...DEFAULT_REQUEST_BUDGET };
  for (const key of ["perSecond", "createPerSecond"] as const) {
    const text = env[BUDGET_ENV[key]];
    if (text === undefined || text.trim() === "") continue;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`${BUDGET_ENV[key]} must be a number of requests per second (0 turns the limit off), got ${JSON.stringify(text)}.`);
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

  constructor(perSecond: number) {
    this.windowMs = perSecond >= 1 ? 1000 : 1000 / perSecond;
    this.allowance = perSecond >= 1 ? Math.floor(perSecond) : 1;
  }

  /** The earliest time, from `now` on, at which one more request fits. */
  freeAt(now: number): number {
    while (this.passed.length > 0 && this.passed[0] <= now - this.windowMs) this.passed.shift();
    const room = this.passed.length < this.allowance ? now : this.passed[0] + this.windowMs;
    return Math.max(room, this.blockedUntil);
  }

  record(now: number): void {
    this.passed.push(now);
  }

  pause(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }
}

interface Waiter {
  operation: string;
  priority: Priority;
  /** When it asked; a request that had to wait leaves at least 1/rate after the previous one. */
  since: number;
  resolve: () => void;
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
  private lastPassAt = -Infinity;
  private timer: unknown;
  private timerAt = Infinity;
  /** The rate under the ceiling this process has adapted to (the middleware's part, in real time). */
  readonly adaptive: AdaptiveRates;

  constructor(
    readonly options: RequestBudgetOptions = DEFAULT_REQUEST_BUDGET,
    private readonly clock: Clock = systemClock,
  ) {
    const share = options.backgroundShare;
    if (!(share > 0 && share < 1)) throw new Error(`backgroundShare must be a fraction between 0 and 1 (exclusive), got ${share}.`);
    if (options.perSecond > 0) this.overall = new Window(options.perSecond);
    this.adaptive = new AdaptiveRates(options);
  }

  /** Resolves when a request of `operation` (e.g. "CreatePackageImportJob") may be sent. */
  acquire(operation: string, priority: Priority = "foreground"): Promise<void> {
    if (!this.overall && !this.operationWindow(operation)) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push({ operation, priority, since: this.clock.now(), resolve });
      this.pump();
    });
  }

  /**
   * The service answered 429 anyway (another client shares the account): the class it was counted
   * in (a create's own operation, else the account) backs off for a moment; other requests go on.
   */
  throttled(operation: string): void {
    const until = this.clock.now() + THROTTLE_PAUSE_MS;
    (this.operationWindow(operation) ?? this.overall)?.pause(until);
    this.pump();
  }

  private operationWindow(operation: string): Window | undefined {
    if (!(this.options.createPerSecond > 0) || !LIMITED_OPERATION.test(operation)) return undefined;
    let window = this.perOperation.get(operation);
    if (!window) this.perOperation.set(operation, (window = new Window(this.options.createPerSecond)));
    return window;
  }

  private freeAt(w: Waiter, now: number): number {
    const spaced = w.since < now && this.options.perSecond > 0 ? this.lastPassAt + 1000 / this.options.perSecond : now;
    return Math.max(this.overall?.freeAt(now) ?? now, this.operationWindow(w.operation)?.freeAt(now) ?? now, spaced);
  }

  private pump(): void {
    const now = this.clock.now();
    for (;;) {
      const passable = this.waiting.filter((w) => this.freeAt(w, now) <= now);
      if (passable.length === 0) break;
      const next = this.choose(passable);
      this.waiting.splice(this.waiting.indexOf(next), 1);
      this.overall?.record(now);
      this.operationWindow(next.operation)?.record(now);
      this.lastPassAt = now;
      next.resolve();
    }
    const at = Math.min(...this.waiting.map((w) => this.freeAt(w, now)));
    if (at < this.timerAt) {
      if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
      this.timerAt = at;
      this.timer = at === Infinity ? undefined : this.clock.setTimeout(() => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      }, Math.max(1, Math.ceil(at - now)));
    }
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
    addRelativeTo(middleware: any, options: { name: string; relation: "before" | "after"; toMiddleware: string }): void;
  };
}

/**
 * Makes every HTTP attempt of `client` (retries included) wait for the budget. The step sits
 * after the SDK's retry middleware and before signing, so a request that waited long is still
 * signed with a fresh timestamp. Before the budget's ceiling, the request waits for the rate
 * this process adapted to the account's other clients (adaptiveRate.ts).
 */
export function installRequestBudget(client: MiddlewareHost, budget: RequestBudget): void {
  const adaptive = budget.adaptive;
  client.middlewareStack.addRelativeTo(
    (next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: { input?: object }) => {
      const operation = (context.commandName ?? "").replace(/Command$/, "");
      await adaptive.gate(operation);
      await budget.acquire(operation, args.input && backgroundInputs.has(args.input) ? "background" : "foreground");
      try {
        const output = await next(args);
        adaptive.answered(operation, false);
        return output;
      } catch (e) {
        const throttled = isThrottlingAnswer(e);
        if (throttled) budget.throttled(operation);
        adaptive.answered(operation, throttled);
        throw e;
      }
    },
    { name: "panoramaRequestBudget", relation: "before", toMiddleware: "httpSigningMiddleware" },
  );
}

function isThrottlingAnswer(error: unknown): boolean {
  const e = error as { $metadata?: { httpStatusCode?: number }; name?: string };
  return e?.$metadata?.httpStatusCode === 429 || /Throttl|TooManyRequests|RequestLimitExceeded/.test(e?.name ?? "");
}
