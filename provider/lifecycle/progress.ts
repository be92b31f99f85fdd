// The progress lines of every wait (create, update, delete): one on each change of state and at
// least every PROGRESS_EVERY_MS, and one for each status check that failed and will be repeated.
import { describeError } from "../calls/awsClients";
import type { CheckOutcome } from "../calls/wait";
import type { Call } from "./resourceSpec";

/** Progress lines are printed on status changes and at least this often. */
export const PROGRESS_EVERY_MS = 10_000;

/** Seconds with one decimal, as every line shows them. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/**
 * pollUntil's `onRetry` for a wait on `what` (e.g. `package import job job-1`): `label()` names
 * the resource as it is now, `state` shows what a check found.
 */
export function progressLines<T>(
  call: Call,
  label: () => string,
  what: string,
  state: (value: T) => string,
): (outcome: CheckOutcome<T>, elapsedMs: number, nextDelayMs: number | undefined) => void {
  let lastLine = -Infinity;
  let lastState: string | undefined;
  return (outcome, elapsed, next) => {
    if ("error" in outcome) {
      call.log(
        `${label()}: status check of ${what} failed after ${seconds(elapsed)} (${describeError(outcome.error)}); will retry`,
      );
      return;
    }
    const shown = state(outcome.value);
    if (shown === lastState && elapsed - lastLine < PROGRESS_EVERY_MS) return;
    lastLine = elapsed;
    lastState = shown;
    const more = next === undefined ? "" : `; next check in ${seconds(next)}`;
    call.log(`${label()}: ${what} ${shown} after ${seconds(elapsed)}${more}`);
  };
}
