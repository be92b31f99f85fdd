// Inputs the resource classes add for the dynamic door, carrying what Pulumi's dynamic-provider
// host does not pass to a dynamic provider: the resource's URN (for logs on its row and for the
// preview rule in previewFeeds.ts), the URNs of the resources its inputs come from, and the
// program's `customTimeouts`. The provider plugin gets these from the engine itself. A fleet
// rollout adds `__wave` to its ApplicationInstances, for their messages only.
import type { Props } from "./resourceSpec";

/** Set by the class on every resource; not inputs of the API, never in a schema. */
export const HIDDEN_INPUTS = ["__urn", "__feeds", "__timeouts", "__wave"] as const;

/** The hidden inputs the outputs keep, so refresh and delete have them too. */
export const KEPT_HIDDEN_INPUTS = ["__urn", "__timeouts", "__wave"] as const;

export type Operation = "create" | "update" | "delete";

/** `customTimeouts` in seconds, per operation. */
export type OperationTimeouts = Partial<Record<Operation, number>>;

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/**
 * A `customTimeouts` value (Go duration text, as the engine reads it: `30s`, `5m`, `1h30m`) in
 * seconds; throws a sentence naming `property` for anything else.
 */
export function durationSeconds(text: string, property: string): number {
  const parts = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(text)
    ? [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)]
    : [];
  const seconds = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_SECONDS[unit], 0);
  if (!(seconds > 0))
    throw new Error(
      `${property}: must be a duration greater than 0 such as "90s", "10m" or "1h30m", got ${JSON.stringify(text)}`,
    );
  return seconds;
}

/** The engine's deadline for `operation` from the hidden `__timeouts` input, if the program set one. */
export function hiddenTimeout(props: Props, operation: Operation): number | undefined {
  const seconds = (props.__timeouts as OperationTimeouts | undefined)?.[operation];
  return typeof seconds === "number" && seconds > 0 ? seconds : undefined;
}
