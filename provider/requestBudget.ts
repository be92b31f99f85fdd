// A request budget for one account and region: token buckets that keep the provider process under
// Panorama's documented quotas (5 requests/s for the account, 1 request/s for each create/modify
// operation; reference panorama-api §10) with headroom for other clients of the account. Every
// dynamic resource of a stack runs in one provider process (reference §1.1), so without a shared
// budget `pulumi up --parallel 100` fires 100 CreatePackageImportJob calls at once, and the 429s
// that follow drain the SDK's retry quota (5 tokens per retry out of 500) until calls fail outright.
import { Clock, systemClock } from "./wait";

export interface RequestBudgetOptions {
  /** Requests in any one second for all Panorama operations together (fractions round down); 0 turns the limit off. @default 4 */
  perSecond: number;
  /** Requests per second for each Create*, Register*, Deregister*, Delete* and Remove* operation (below 1: one per 1/rate s); 0 turns it off. @default 0.8 */
  createPerSecond: number;
  /** Share of the overall rate that background requests (status polls) get while others wait. @default 0.25 */
  backgroundShare: number;
}

/** 80% of the service's quotas, so a console or CLI session in the same account is not throttled by us. */
export const DEFAULT_REQUEST_BUDGET: RequestBudgetOptions = { perSecond: 4, createPerSecond: 0.8, backgroundShare: 0.25 };

/** The environment variables that change the budget, documented in the README. */
export const BUDGET_ENV = { perSecond: "PULUMI_PANORAMA_MAX_RPS", createPerSecond: "PULUMI_PANORAMA_MAX_CREATE_RPS" } as const;

/** The operations the service limits to 1 request/s each. */
export const LIMITED_OPERATION = /^(Create|Register|Deregister|Delete|Remove)/;

/** How long the whole budget pauses after the service answers 429: its buckets refill within a second. */
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
 * At most `allowance` requests in any window of `windowMs` (⌊rate⌋ per second; below 1/s, one per
 * 1/rate seconds), with two FIFO queues. A sliding window never lets more through in any second
 * than the rate, however the service counts (token bucket or fixed windows), yet lets a lone
 * resource's back-to-back calls (its last status check, then its package details) go at once.
 * While both queues have waiters, background requests get `share` of the passes, so status polls
 * neither starve nor crowd out the calls that start or finish resources.
 */
class Gate {
  private readonly windowMs: number;
  private readonly allowance: number;
  /** When the requests of the current window passed, oldest first. */
  private readonly passed: number[] = [];
  private blockedUntil = -Infinity;
  private readonly waiting: Record<Priority, (() => void)[]> = { foreground: [], background: [] };
  private backgroundCredit = 0;
  private timer: unknown;

  constructor(
    perSecond: number,
    private readonly share: number,
    private readonly clock: Clock,
  ) {
    this.windowMs = perSecond >= 1 ? 1000 : 1000 / perSecond;
    this.allowance = perSecond >= 1 ? Math.floor(perSecond) : 1;
  }

  pass(priority: Priority): Promise<void> {
    return new Promise((resolve) => {
      this.waiting[priority].push(resolve);
      this.pump();
    });
  }

  /** No request passes for `ms` (after the service said 429). */
  pause(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + ms);
    this.pump();
  }

  private pump(): void {
    const now = this.clock.now();
    while (this.passed.length > 0 && this.passed[0] <= now - this.windowMs) this.passed.shift();
    while (now >= this.blockedUntil && this.passed.length < this.allowance && this.waitingCount() > 0) {
      this.passed.push(now);
      this.next()();
    }
    if (this.waitingCount() > 0 && this.timer === undefined) {
      const at = Math.max(this.blockedUntil, this.passed.length < this.allowance ? now : this.passed[0] + this.windowMs);
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, Math.max(1, Math.ceil(at - now)));
    }
  }

  private waitingCount(): number {
    return this.waiting.foreground.length + this.waiting.background.length;
  }

  private next(): () => void {
    const { foreground, background } = this.waiting;
    if (background.length === 0) return foreground.shift()!;
    if (foreground.length === 0) return background.shift()!;
    if (this.backgroundCredit >= 1) {
      this.backgroundCredit -= 1;
      return background.shift()!;
    }
    this.backgroundCredit += this.share / (1 - this.share);
    return foreground.shift()!;
  }
}

/** The budget of one client (one account and region), shared by every resource in the process. */
export class RequestBudget {
  private overall?: Gate;
  private readonly perOperation = new Map<string, Gate>();

  constructor(
    readonly options: RequestBudgetOptions = DEFAULT_REQUEST_BUDGET,
    private readonly clock: Clock = systemClock,
  ) {
    const share = options.backgroundShare;
    if (!(share > 0 && share < 1)) throw new Error(`backgroundShare must be a fraction between 0 and 1 (exclusive), got ${share}.`);
  }

  /** Resolves when a request of `operation` (e.g. "CreatePackageImportJob") may be sent. */
  async acquire(operation: string, priority: Priority = "foreground"): Promise<void> {
    const own = this.operationGate(operation);
    if (own) await own.pass("foreground");
    if (this.options.perSecond > 0) {
      this.overall ??= new Gate(this.options.perSecond, this.options.backgroundShare, this.clock);
      await this.overall.pass(priority);
    }
  }

  /** The service answered 429 anyway (another client shares the account): back off for a moment. */
  throttled(operation: string): void {
    this.overall?.pause(THROTTLE_PAUSE_MS);
    this.operationGate(operation)?.pause(THROTTLE_PAUSE_MS);
  }

  private operationGate(operation: string): Gate | undefined {
    if (!(this.options.createPerSecond > 0) || !LIMITED_OPERATION.test(operation)) return undefined;
    let gate = this.perOperation.get(operation);
    if (!gate) this.perOperation.set(operation, (gate = new Gate(this.options.createPerSecond, this.options.backgroundShare, this.clock)));
    return gate;
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
 * signed with a fresh timestamp.
 */
export function installRequestBudget(client: MiddlewareHost, budget: RequestBudget): void {
  client.middlewareStack.addRelativeTo(
    (next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: { input?: object }) => {
      const operation = (context.commandName ?? "").replace(/Command$/, "");
      await budget.acquire(operation, args.input && backgroundInputs.has(args.input) ? "background" : "foreground");
      try {
        return await next(args);
      } catch (e) {
        if (isThrottlingAnswer(e)) budget.throttled(operation);
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
