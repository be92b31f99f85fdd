// Fault injection: rules (faultRules.ts) that make matching requests fail, wait, lose their
// connection, lose their answer after the change was applied ("applyAndDrop", the case
// idempotency tokens exist for), or never get one ("hang": a half-open connection, which only the
// client's timeout ends). They plug into the request pipeline as a RequestHook, after
// authentication and routing; `/_emulator/faults` manages them.
import { modeledErrorStatus } from "../protocol/errors";
import { ControlEndpoints, ControlError, notAllowed, ok } from "./controlEndpoint";
import { FaultRule, FaultRuleError, FaultRuleInput, normalizeRule } from "./faultRules";
import { HookContext, HookDecision, RequestHook } from "./requestHooks";
import type { EmulatorControl } from "./emulatorControl";

export class FaultInjector implements RequestHook {
  private rules: (FaultRule & { random: () => number })[] = [];
  private nextId = 1;

  /**
   * @param initial rules installed now and again on every `reset`
   * @param onHit called for every request a rule affects, for the request counts
   */
  constructor(
    private readonly initial: FaultRuleInput[] = [],
    private readonly onHit: (ctx: HookContext, rule: FaultRule) => void = () => {},
  ) {
    this.reset();
  }

  add(input: FaultRuleInput): FaultRule {
    const rule = normalizeRule(input, `fault-${this.nextId++}`);
    this.rules.push({
      ...rule,
      random: rule.seed === undefined ? Math.random : seededRandom(rule.seed),
    });
    return { ...rule };
  }

  list(): FaultRule[] {
    return this.rules.map(({ random: _random, ...rule }) => structuredClone(rule));
  }

  /** Removes one rule; false if there is no rule with this id. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** Back to the start-up rules, with fresh counters. */
  reset(): void {
    this.rules = [];
    this.nextId = 1;
    for (const input of this.initial) this.add(input);
  }

  /** Rules are tried in the order they were added; the first that affects the request decides. */
  onRequest(ctx: HookContext): HookDecision | undefined {
    for (const rule of this.rules) {
      if (!matches(rule.operation, ctx)) continue;
      rule.matched++;
      if (rule.count !== undefined && rule.hits >= rule.count) continue;
      if (rule.probability < 1 && rule.random() >= rule.probability) continue;
      rule.hits++;
      this.onHit(ctx, rule);
      return decision(rule, ctx);
    }
    return undefined;
  }
}

function decision(rule: FaultRule, ctx: HookContext): HookDecision {
  const delayMs = rule.latencyMs || undefined;
  switch (rule.action) {
    case "delay":
      return { action: "continue", delayMs };
    case "drop":
    case "applyAndDrop":
    case "hang":
      return { action: rule.action, delayMs };
    case "fail": {
      const s3 = ctx.service === "s3";
      const errorType = rule.error ?? (s3 ? "InternalError" : "InternalServerException");
      const status = rule.status ?? defaultStatus(errorType, s3);
      const message =
        rule.message ?? `Fault injected by emulator rule ${rule.id} into ${ctx.operation}.`;
      return { action: "fail", status, errorType, message, members: rule.members, delayMs };
    }
  }
}

/** Status for an error name: the model's for modeled Panorama errors, 429 for throttling, else 500. */
export function defaultStatus(errorType: string, s3 = false): number {
  if (/^(ThrottlingException|TooManyRequestsException|Throttling)$/.test(errorType)) return 429;
  if (s3 && errorType === "SlowDown") return 503;
  return (s3 ? undefined : modeledErrorStatus(errorType)) ?? 500;
}

function matches(patterns: string[], ctx: HookContext): boolean {
  return patterns.some((p) => {
    if (p === "*") return true;
    const [service, name] = p.includes(":") ? p.split(":", 2) : [undefined, p];
    if (service !== undefined && service !== ctx.service) return false;
    return name === "*" || name === ctx.operation;
  });
}

export function faultControls(
  injector: FaultInjector,
): Pick<EmulatorControl, "addFault" | "faults" | "removeFault" | "clearFaults"> {
  return {
    addFault(rule: FaultRuleInput) {
      try {
        return injector.add(rule);
      } catch (e) {
        if (e instanceof FaultRuleError) throw new ControlError(400, e.message);
        throw e;
      }
    },
    faults: () => injector.list(),
    removeFault(id: string) {
      if (!injector.remove(id)) throw new ControlError(404, `No fault rule ${id}.`);
    },
    clearFaults: () => injector.clear(),
  };
}

export const faultEndpoints: ControlEndpoints<EmulatorControl> = {
  faults: (c, { method, id, rest, input }) => {
    if (rest.length) return undefined;
    if (method === "GET" && !id) return ok({ faults: c.faults() });
    if (method === "POST" && !id) return ok(c.addFault(input));
    if (method === "DELETE") return (id ? c.removeFault(id) : c.clearFaults(), ok());
    return notAllowed("GET, POST or DELETE");
  },
};

/** mulberry32: a small, good-enough PRNG for repeatable fault patterns. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
