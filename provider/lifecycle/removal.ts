// The wait of delete: the remove hook starts the removal; this checks until the removal's
// acceptor says gone, with the progress lines, the deadline and every message of how it ended.
// A delete that does not finish throws, and the engine keeps the object in the stack.
import { describeError, isTransientError } from "../calls/awsClients";
import { pollUntil } from "../calls/wait";
import { describeOrUndefined } from "./notFound";
import { progressLines, seconds } from "./progress";
import type { FilledHooks, RemovalUnderWay } from "./resourceHooks";
import type { Call, Props } from "./resourceSpec";

const AGAIN = "run `pulumi destroy` again to keep waiting";

/** Deletes the object as the remove hook says; without one, delete only forgets it. */
export async function removeAndWait<R>(
  hooks: FilledHooks<R>,
  call: Call,
  id: string,
  props: Props,
): Promise<void> {
  if (!hooks.remove) return;
  const removal = await hooks.remove(call, id, props);
  const label = hooks.label(props);
  const what = removal.what ?? `${hooks.noun} ${id}${hooks.where ? " " + hooks.where(props) : ""}`;
  if (removal.outcome === "absent")
    return call.log(`${label}: ${what} no longer exists; nothing to ${removal.verb}`);
  if (removal.line) call.log(`${label}: ${removal.line}`);
  if (removal.outcome !== "started") return;
  await untilGone(removal, call, label, what);
}

async function untilGone<G>(
  removal: RemovalUnderWay<G>,
  call: Call,
  label: string,
  what: string,
): Promise<void> {
  const shown = (seen: G | undefined) =>
    seen === undefined ? "not confirmed gone" : removal.state(seen);
  const began = call.clock.now();
  let result;
  try {
    result = await pollUntil<G | undefined>({
      options: call.wait,
      clock: call.clock,
      signal: call.signal,
      check: () => describeOrUndefined(() => removal.check()),
      acceptor: (o) => {
        if ("error" in o) return isTransientError(o.error) ? "retry" : "failure";
        return o.value === undefined ? "success" : (removal.acceptor?.(o.value) ?? "retry");
      },
      onRetry: progressLines(call, () => label, what, shown),
    });
  } catch (e) {
    throw cannotRemove(label, removal.verb, what, e);
  }
  const seen = result.value;
  if (result.done && seen === undefined) return call.log(`${label}: ${removal.done}`);
  if (result.done)
    throw new Error(
      `${label}: ${removal.failure?.(seen!) ?? `${what} is ${shown(seen)}. It stays in the stack; fix the cause and run \`pulumi destroy\` again.`}`,
    );
  if (result.aborted)
    throw new Error(
      `${label}: stopped waiting for ${what} to be gone after ${seconds(call.clock.now() - began)} (cancelled; last seen ${shown(seen)}). ` +
        `It stays in the stack; ${AGAIN}.`,
    );
  const why = result.lastError ? ` (last check: ${describeError(result.lastError)})` : "";
  throw new Error(
    `${label}: ${what} is not gone after ${call.wait.timeoutSeconds}s (${call.deadline}): ${shown(seen)}${why}. ` +
      `It stays in the stack; ${removal.advice?.(seen) ?? AGAIN}.`,
  );
}

/** The failure of a removal's request or check: what was not removed, why, and what to do. */
export function cannotRemove(
  label: string,
  verb: string,
  what: string,
  error: unknown,
  holder = "It",
): Error {
  return new Error(
    `${label}: could not ${verb} ${what}: ${describeError(error)}. ` +
      `${holder} stays in the stack; fix the cause and run \`pulumi destroy\` again.`,
  );
}
