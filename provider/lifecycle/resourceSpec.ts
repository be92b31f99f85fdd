// What a resource gives the one lifecycle (resourceProvider.ts): a spec, declared once, from
// which check, diff and the class's output placeholders derive, and a few hooks in the spirit of
// the CDK provider framework (start / isComplete) and smithy's waiter (one acceptor).
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { PanoramaClient } from "@aws-sdk/client-panorama";
import type { PollResult, WaitOptions } from "../calls/wait";
import type { WaitRequest } from "../calls/statusScheduler";

export type Props = Record<string, any>;

/** How check validates a provider option (an input that is not an API member). */
export type OptionKind = "boolean" | "tags" | "text";

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

/** What one call of the provider works with. */
export interface Call {
  client: PanoramaClient;
  region: string;
  wait: Required<WaitOptions>;
  /** How long one idempotent call is repeated on throttling, 5xx and network errors. */
  budgetSeconds: number;
  /**
   * Retry options of an idempotent create/modify call (1 request/s quota): failures get
   * `budgetSeconds`, throttled answers the resource's whole timeout (another stack may hold the quota).
   */
  quotaRetry: { budgetSeconds: number; throttledBudgetSeconds: number };
}

/** The acceptor's answer: finished well, finished badly, or keep waiting. */
export type Verdict = "success" | "failure" | "retry";

export interface Started {
  id: string;
  /** Outputs so far (base outputs merged with what the service answered). */
  outs: Props;
  /** When an early look began the wait; the wait goes on with the same backoff and deadline. */
  waitStartedAt?: number;
}

/** Waits many objects at once (a StatusScheduler), or one Describe per check. */
export interface Waiter<R> {
  waitFor(request: WaitRequest<R>): Promise<PollResult<R>>;
}

export interface ResourceHooks<R> {
  /** How messages name the object, e.g. `PackageImportJob SAMPLE_CODE 1.0`. */
  label(p: Props): string;
  /** What the object is called in sentences, e.g. `package import job`. */
  noun: string;
  /** Where or what the object is, after its id in messages, e.g. `for SAMPLE_CODE 1.0`. */
  where?(p: Props): string;
  /** Inputs as check returns them (defaults filled in). */
  defaults?(inputs: Props): Props;
  /** Checks of this resource's own members (request shape, documents); each names the property. */
  check(inputs: Props, adopting: boolean): dynamic.CheckFailure[];
  /** Creates the object, or finds the one an interrupted run made while it is still valid. */
  start(call: Call, inputs: Props, base: Props): Promise<Started>;
  /** Why an object read for adoption cannot be adopted (a sentence after its id), if so. */
  adoptable?(actual: Props): string | undefined;
  /** One Describe; undefined when the object does not exist. */
  describe(call: Call, id: string): Promise<R | undefined>;
  /** Merges a Describe answer into outputs; nothing known is dropped. */
  merge(outs: Props, described: R): Props;
  /** The acceptor. */
  isDone(outs: Props): Verdict;
  /** The status as progress lines show it. */
  state(outs: Props): string;
  /** The recorded-failure reason of a `failure` verdict: the id, status, message and next step. */
  failure(id: string, outs: Props): string;
  /** After success: outputs later resources need. Throws (with what to do) when they cannot be had. */
  complete?(call: Call, outs: Props): Promise<Props>;
  /**
   * On refresh of a finished object: checks what else must still hold (an import job's patch still
   * registered) and returns the outputs that say so. A refresh never fails for it.
   */
  refreshed?(call: Call, outs: Props): Promise<Props>;
  /** Read back but gone as far as the stack is concerned (an instance REMOVAL_SUCCEEDED). */
  gone?(outs: Props): boolean;
  /** The object can never become what the program asks (a FAILED job): the next up replaces it. */
  mustReplace?(olds: Props): boolean;
  /** The tags the object carries for this resource (the program's, plus any marker): update applies their changes. */
  apiTags?(p: Props): Record<string, string>;
  /** The remote part of an in-place update besides tags. */
  update?(call: Call, id: string, olds: Props, news: Props, outs: Props): Promise<Props>;
  /** Deletes (or forgets) the object and waits until it is gone. */
  remove(call: Call, id: string, props: Props): Promise<void>;
  /** A shared waiter (import jobs share list pages); default: one Describe per check. */
  waiter?(call: Call, isTerminal: (described: R) => boolean): Waiter<R>;
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
