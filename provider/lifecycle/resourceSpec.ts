// What a resource declares for the one lifecycle (resourceProvider.ts): a spec, declared once,
// from which check, diff and the class's output placeholders derive; and what each call of it
// works with. Its hooks are in resourceHooks.ts.
import type { PanoramaClient } from "@aws-sdk/client-panorama";
import type { RetryOptions } from "../calls/retry";
import type { WaitOptions } from "../calls/wait";
import type { WaitClock } from "../calls/waitClock";
import type { ClientFactory } from "./callContext";

export type Props = Record<string, any>;

/**
 * How check validates a provider option (an input that is not an API member), and how diff
 * compares it: `names` is a list of names whose order does not count.
 */
export type OptionKind = "boolean" | "tags" | "text" | "names";

export interface ResourceSpec {
  /** The one constant tying the class to its implementation: the registry key and Pulumi type name. */
  type: string;
  /** Inputs sent when the object is created: a change replaces it. */
  parameters: readonly string[];
  /** Inputs changed in place: provider options, and tags (applied by the `update` hook). */
  options: Readonly<Record<string, OptionKind>>;
  /** Inputs read only at creation; changing them later does nothing. */
  createOnly?: readonly string[];
  /**
   * The input that brings an existing object under management by id, the model shape of its value,
   * and the AWS CLI command that lists the region's objects (for the message when the id is wrong).
   */
  adopt?: { input: string; shape: string; list: string };
  /** Parameters the service fills in when the program leaves them unset: unset is no change. */
  filledIn?: readonly string[];
  /** Output-only properties. */
  outputs: readonly string[];
  /** Outputs that are always secret. */
  secretOutputs?: readonly string[];
  /** Where an output's old value is kept under another name (a requested token, say). */
  storedAs?: Readonly<Record<string, string>>;
  /** The wait timeout when the program sets none. @default DEFAULT_WAIT.timeoutSeconds */
  timeoutSeconds?: number;
  /** A Describe may answer 404 for a while after the create (eventual consistency): keep waiting. */
  appearsLate?: boolean;
  /**
   * A replacement must remove the old object first: it holds something the new one needs (a
   * camera node's package version takes one camera at a time). @default never
   */
  deleteBeforeReplace?(olds: Props, news: Props): boolean;
  /** Inputs derived from the resource's identity when the program leaves them unset. */
  derived?: Readonly<Record<string, DerivedInput>>;
}

/** A resource's identity as Pulumi knows it (the parts of its URN derived inputs depend on). */
export interface ResourceScope {
  project: string;
  stack: string;
  name: string;
}

/**
 * An input a resource derives when the program leaves it unset (an idempotency token, a marker
 * tag), from its identity and the inputs named in `from`: a change of one gives a new value. The
 * class computes it in the program, the provider plugin from the URN in Check; both get the same.
 */
export interface DerivedInput {
  /** The inputs the value depends on (given to `derive` as an object of exactly these keys). */
  from: readonly string[];
  /** Not derived while this input is set (an adopted job keeps its own token). */
  unless?: string;
  derive(scope: ResourceScope, from: Props): string;
}

/** The derived inputs still to compute for these inputs: unset, and not excluded by `unless`. */
export function pendingDerivations(spec: ResourceSpec, inputs: Props): [string, DerivedInput][] {
  return Object.entries(spec.derived ?? {}).filter(
    ([key, d]) =>
      inputs[key] === undefined && (d.unless === undefined || inputs[d.unless] === undefined),
  );
}

/** The inputs a derived value depends on, as `derive` receives them. */
export function derivationSources(d: DerivedInput, inputs: Props): Props {
  return Object.fromEntries(d.from.map((key) => [key, inputs[key]]));
}

/** What one call of the provider works with: its clients, region, wait, log and cancellation. */
export interface Call {
  /** The Panorama client for `region` (from `clients`). */
  client: PanoramaClient;
  region: string;
  /** Makes every other client a hook needs (single-attempt Panorama, S3); hooks never build one. */
  clients: ClientFactory;
  /** Where progress lines go (the CLI, or the engine on the resource's URN); hooks never call console.log. */
  log: (line: string) => void;
  /** Aborted when the engine cancels: waits and retry sleeps end at once. */
  signal?: AbortSignal;
  /** The clock waits and retries run on (a fake one in tests of the lifecycle). */
  clock: WaitClock;
  wait: Required<WaitOptions>;
  /** The setting that bounds the wait, for messages: `waitOptions.timeoutSeconds` or `customTimeouts`. */
  deadline: string;
  /** How long one idempotent call is repeated on throttling, 5xx and network errors. */
  budgetSeconds: number;
  /** Retry options of one idempotent call (a Describe, say): `budgetSeconds`, the signal and the clock. */
  retry: RetryOptions;
  /**
   * Retry options of an idempotent create/modify call (1 request/s quota): failures get
   * `budgetSeconds`, throttled answers the resource's whole timeout (another stack may hold the quota).
   */
  quotaRetry: RetryOptions & { throttledBudgetSeconds: number };
}

/** Every input a resource accepts (besides Pulumi's own `__provider`). */
export function inputNames(spec: ResourceSpec): string[] {
  return [
    ...spec.parameters,
    ...Object.keys(spec.options),
    ...(spec.createOnly ?? []),
    ...(spec.adopt ? [spec.adopt.input] : []),
    "region",
    "waitOptions",
  ];
}
