// What a resource gives the one lifecycle besides its spec: a few hooks in the spirit of the CDK
// provider framework (onEvent starts, isComplete says when it is done, for create as for delete)
// and smithy's waiter (one acceptor: success, failure or retry). A resource that is done when its
// call returns (an upload, a lookup) writes only what it needs: no acceptor, no removal.
import type { WaitRequest } from "../calls/statusScheduler";
import type { PollResult, Verdict } from "../calls/wait";
import type { CheckFailure } from "./resourceImplementation";
import type { Call, Props } from "./resourceSpec";

export type { Verdict };

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
  check(inputs: Props, adopting: boolean): CheckFailure[];
  /** Creates the object, or finds the one an interrupted run made while it is still valid. */
  start(call: Call, inputs: Props, base: Props): Promise<Started>;
  /** Why an object read for adoption cannot be adopted (a sentence after its id), if so. */
  adoptable?(actual: Props): string | undefined;
  /** One Describe; undefined when the object does not exist (describeOrUndefined). */
  describe(call: Call, id: string): Promise<R | undefined>;
  /** Merges a Describe answer into outputs; nothing known is dropped. @default the outputs as they are */
  merge?(outs: Props, described: R): Props;
  /** The acceptor: what the outputs say. @default "success": done when `start` returns */
  acceptor?(outs: Props): Verdict;
  /**
   * How long a state the acceptor calls `retry` may last before the wait ends as a failure (an
   * instance that deployed but runs unhealthy); undefined: until the deadline. Counted from the
   * first check that saw it, so a later `pulumi up` looks again before failing.
   */
  patienceSeconds?(outs: Props): number | undefined;
  /** The status as progress lines show it. @default the `status` output */
  state?(outs: Props): string;
  /**
   * The recorded-failure reason of a `failure` verdict: the id, status, message and next step.
   * Needed when the acceptor can say `failure`.
   */
  failure?(id: string, outs: Props): string;
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
  /**
   * After the wait of create and update succeeded: brings what is set on the live object, not at
   * its creation (an instance's paused nodes), to the program's values, and waits for it. A
   * failure is a RecordedFailure carrying the outputs seen. Never called by refresh.
   */
  converge?(call: Call, id: string, outs: Props): Promise<Props>;
  /** The remote part of an in-place update besides tags. */
  update?(call: Call, id: string, olds: Props, news: Props, outs: Props): Promise<Props>;
  /**
   * Starts deleting the object (one request; its own failure is a sentence with the next step);
   * the Removal it returns tells the lifecycle whether and how to wait until the object is gone.
   * @default delete only forgets the object
   */
  remove?(call: Call, id: string, props: Props): Promise<Removal<any>>;
  /** A shared waiter (import jobs share list pages); default: one Describe per check. */
  waiter?(call: Call): Waiter<R>;
}

/** What a removal is, in messages: `${label}: could not ${verb} ${what}…`. */
interface RemovalWords {
  /** The verb: `remove`, `delete`, `deregister`. */
  verb: string;
  /** What the removal acts on. @default the noun, id and `where` of the object */
  what?: string;
}

/** A removal with nothing to wait for. */
export interface RemovalDone extends RemovalWords {
  /** `absent`: there was nothing to remove (the request answered 404); `done`: removed at once, or only forgotten. */
  outcome: "absent" | "done";
  /** What happened, for the log (for `absent` the lifecycle says it). */
  line?: string;
}

/** A removal under way: the lifecycle checks until its acceptor says gone (the CDK's isComplete for Delete). */
export interface RemovalUnderWay<G> extends RemovalWords {
  outcome: "started";
  /** Logged when the wait begins, e.g. `removing … from device …`. */
  line?: string;
  /** One check: what is there now; undefined (or a 404) once it is gone. It may repeat a request refused for now. */
  check(): Promise<G | undefined>;
  /** What a check found, judged: `failure` the removal failed for good. @default "retry" until not found */
  acceptor?(seen: G): Verdict;
  /** What a check found, as progress lines and the timeout show it. */
  state(seen: G): string;
  /** The reason of a `failure` verdict, with the next step. */
  failure?(seen: G): string;
  /** The next step after the deadline passed. @default run `pulumi destroy` again to keep waiting */
  advice?(seen: G | undefined): string;
  /** Logged once the object is gone, e.g. `applicationInstance-1 removed (REMOVAL_SUCCEEDED)`. */
  done: string;
}

export type Removal<G> = RemovalDone | RemovalUnderWay<G>;

/** Hooks with every default filled in, as the lifecycle runs them. */
export type FilledHooks<R> = ResourceHooks<R> &
  Required<Pick<ResourceHooks<R>, "merge" | "acceptor" | "state" | "failure">>;

export function withDefaults<R>(hooks: ResourceHooks<R>): FilledHooks<R> {
  const state = hooks.state ?? ((outs: Props) => String(outs.status ?? "unknown"));
  return {
    merge: (outs) => outs,
    acceptor: () => "success",
    failure: (id, outs) =>
      `${capitalized(hooks.noun)} ${id}${hooks.where ? " " + hooks.where(outs) : ""} is ${state(outs)}. ` +
      "It is recorded in the stack; fix the cause and run `pulumi up` again.",
    ...hooks,
    state,
  };
}

export function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
