// The methods of a resource as its front doors call them: Pulumi's dynamic-provider host (through
// the serialized shim, with no CallContext) and the provider plugin (with one). Door-neutral: a
// door adds transport only (type tokens, secrets, timeouts, config); rules stay in the lifecycle.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { CallContext } from "./callContext";
import type { Props, ResourceSpec } from "./resourceSpec";

/** A check failure: the property and a sentence naming it and the rule. */
export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckResult {
  /** The inputs with defaults filled in. */
  inputs: Props;
  failures: CheckFailure[];
}

export interface DiffResult {
  /** Whether anything changes at all. */
  changes: boolean;
  /** The inputs whose change replaces the object. */
  replaces: string[];
  /** The inputs (and markers such as `status`, `__provider`) that change in place. */
  updates: string[];
  deleteBeforeReplace: boolean;
}

export interface CreateResult {
  id: string;
  outs: Props;
}

/** An empty result: the object no longer exists (refresh removes it from the stack). */
export interface ReadResult {
  id?: string;
  props?: Props;
  inputs?: Props;
}

export interface UpdateResult {
  outs: Props;
}

export interface ResourceImplementation {
  /** The dynamic door's configure: the stack's `aws:*` config for every call afterwards. */
  configure(req: dynamic.ConfigureRequest): Promise<void>;
  check(olds: Props, news: Props, ctx?: CallContext): Promise<CheckResult>;
  diff(id: string, olds: Props, news: Props, ctx?: CallContext): Promise<DiffResult>;
  /** Failures after the object exists throw a RecordedFailure (recordedFailure.ts). */
  create(inputs: Props, ctx?: CallContext): Promise<CreateResult>;
  read(id: string, props: Props, ctx?: CallContext): Promise<ReadResult>;
  update(id: string, olds: Props, news: Props, ctx?: CallContext): Promise<UpdateResult>;
  delete(id: string, props: Props, ctx?: CallContext): Promise<void>;
  /** check's failures, synchronously. */
  checkFailures(news: Props): CheckFailure[];
  /** Every input the resource accepts. */
  inputs: readonly string[];
  /** The resource's declaration (type, parameters, options, outputs), e.g. for a schema. */
  spec: ResourceSpec;
}
