// From what a door passes (a CallContext, or nothing) to what hooks work with (a Call): the
// region and clients from the factory, the wait options with their deadline, the retry budgets,
// the log, the signal and the clock.
import { callBudgetSeconds } from "../calls/retry";
import { resolveWaitOptions, WaitOptions } from "../calls/wait";
import { systemWaitClock, WaitClock } from "../calls/waitClock";
import { CallContext, consoleLog, stackClients } from "./callContext";
import type { Call, ResourceSpec } from "./resourceSpec";

/**
 * The wait options of a resource: the program's; where it sets no timeout, the engine's deadline
 * (`customTimeouts`, through the plugin), else the resource's own default.
 */
export function waitOptionsOf(
  spec: ResourceSpec,
  input: WaitOptions | undefined,
  engineTimeoutSeconds?: number,
): Required<WaitOptions> {
  const options = resolveWaitOptions(input);
  if (input?.timeoutSeconds == null) {
    const fallback = engineTimeoutSeconds ?? spec.timeoutSeconds;
    if (fallback !== undefined) options.timeoutSeconds = fallback;
  }
  return options;
}

export function makeCall(
  spec: ResourceSpec,
  region: unknown,
  waitInput: WaitOptions | undefined,
  ctx: CallContext = {},
  clock: WaitClock = systemWaitClock,
): Call {
  const clients = ctx.clients ?? stackClients;
  const resolved = clients.region(typeof region === "string" ? region : undefined);
  const wait = waitOptionsOf(spec, waitInput, ctx.timeoutSeconds);
  const byEngine = waitInput?.timeoutSeconds == null && ctx.timeoutSeconds !== undefined;
  const budgetSeconds = callBudgetSeconds(wait.timeoutSeconds);
  const log = ctx.log ?? consoleLog;
  const announce = (line: string) => log(`${spec.type}: ${line}`);
  const retry = { budgetSeconds, signal: ctx.signal, clock, announce };
  return {
    client: clients.panorama(resolved),
    clients,
    region: resolved,
    log,
    signal: ctx.signal,
    clock,
    wait,
    deadline: byEngine ? "customTimeouts" : "waitOptions.timeoutSeconds",
    budgetSeconds,
    retry,
    quotaRetry: { ...retry, throttledBudgetSeconds: wait.timeoutSeconds },
  };
}
