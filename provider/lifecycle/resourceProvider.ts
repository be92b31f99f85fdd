// The one lifecycle every resource runs on. It owns configure, the common part of check, the tail
// of diff, the options-only update, base outputs, recorded failures, progress lines and the wait;
// a resource supplies its spec and hooks (resourceSpec.ts).
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { validate } from "../../model/panoramaModel";
import {
  applyStackConfig,
  describeError,
  isTransientError,
  panoramaClient,
  resolveRegion,
} from "../calls/awsClients";
import { watchEngine } from "../calls/engineWatch";
import { callBudgetSeconds, retryTransient } from "../calls/retry";
import { pollUntil, resolveWaitOptions, WaitOptions } from "../calls/wait";
import {
  booleanOptionFailures,
  commonOptionFailures,
  differs,
  regionChanged,
  unknownPropertyFailures,
  violationSentence,
} from "./inputChecks";
import { RecordedFailure } from "./recordedFailure";
import { applyTagChanges, describeTagChanges } from "./tags";
import {
  Call,
  inputNames,
  Props,
  ResourceHooks,
  ResourceSpec,
  Started,
  Waiter,
} from "./resourceSpec";
import { isUnknown } from "./unknowns";

/** Progress lines are printed on status changes and at least this often. */
export const PROGRESS_EVERY_MS = 10_000;

/** The methods Pulumi's dynamic provider host calls (delete under its own name). */
export interface ResourceImplementation extends Required<Omit<dynamic.ResourceProvider, "delete">> {
  delete(id: string, props: Props): Promise<void>;
  /** check's failures, synchronously. */
  checkFailures(news: Props): dynamic.CheckFailure[];
  /** Every input the resource accepts. */
  inputs: readonly string[];
  /** The resource's spec (what the provider plugin's schema and checks are derived from). */
  spec: ResourceSpec;
}

/** The wait options of a resource: the program's, with the resource's own default timeout. */
export function waitOptionsOf(
  spec: ResourceSpec,
  input: WaitOptions | undefined,
): Required<WaitOptions> {
  const options = resolveWaitOptions(input);
  if (spec.timeoutSeconds !== undefined && input?.timeoutSeconds == null)
    options.timeoutSeconds = spec.timeoutSeconds;
  return options;
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A Describe's 404 while the wait expected the object: ends the wait (recorded). */
class NotFound extends Error {}

export function resourceProvider<R>(
  spec: ResourceSpec,
  hooks: ResourceHooks<R>,
): ResourceImplementation {
  const inputs = inputNames(spec);
  const kept = [...Object.keys(spec.options), "waitOptions", "__provider"];

  function callFor(region: unknown, waitInput: WaitOptions | undefined): Call {
    const resolved = resolveRegion(region);
    const wait = waitOptionsOf(spec, waitInput);
    const budgetSeconds = callBudgetSeconds(wait.timeoutSeconds);
    const quotaRetry = { budgetSeconds, throttledBudgetSeconds: wait.timeoutSeconds };
    return { client: panoramaClient(resolved), region: resolved, wait, budgetSeconds, quotaRetry };
  }

  function baseOutputs(given: Props, region: string): Props {
    const outs: Props = {};
    for (const key of inputs)
      if (given[key] !== undefined && !spec.createOnly?.includes(key)) outs[key] = given[key];
    outs.__provider = given.__provider;
    outs.region = region;
    return outs;
  }

  function pollingWaiter(call: Call, isTerminal: (r: R) => boolean): Waiter<R> {
    return {
      waitFor: (request) =>
        pollUntil({
          options: request.options,
          check: async () => {
            const found = await hooks.describe(call, request.id);
            if (found === undefined && !spec.appearsLate)
              throw new NotFound(`${request.id} no longer exists in ${call.region}`);
            return found as R;
          },
          isDone: (r) => r !== undefined && isTerminal(r),
          isTransient: isTransientError,
          onCheck: (r, elapsed, next) => r !== undefined && request.onCheck?.(r, elapsed, next),
          onTransientError: request.onTransientError,
        }),
    };
  }

  function checkInputs(news: Props): { inputs: Props; failures: dynamic.CheckFailure[] } {
    const given = hooks.defaults ? hooks.defaults({ ...news }) : { ...news };
    const failures = unknownPropertyFailures(spec.type, given, inputs);
    const adopting = spec.adopt !== undefined && given[spec.adopt.input] !== undefined;
    if (adopting) {
      const { input, shape } = spec.adopt!;
      for (const v of validate(shape, given[input], input, isUnknown))
        failures.push({ property: input, reason: violationSentence(v.path, v.rule) });
    }
    failures.push(...hooks.check(given, adopting), ...commonOptionFailures(given));
    for (const [key, kind] of Object.entries(spec.options))
      if (kind === "boolean") failures.push(...booleanOptionFailures(given, key));
    return { inputs: given, failures };
  }

  /**
   * Brings the object named by the adopt input under management: it must exist, be adoptable, and
   * match every parameter the program sets; the program's tags are put on it (others' stay).
   */
  async function adopt(call: Call, given: Props, base: Props): Promise<Started> {
    const { input, list } = spec.adopt!;
    const id: string = given[input];
    const next =
      `Check the id and the region (the resource's \`region\` input or \`aws:region\`); list the region's ${hooks.noun}s with ` +
      `\`aws panorama ${list} --region ${call.region}\`.`;
    let found: R | undefined;
    try {
      found = await retryTransient(() => hooks.describe(call, id), {
        budgetSeconds: call.budgetSeconds,
      });
    } catch (e) {
      throw new Error(
        `${input}: ${hooks.noun} ${id} could not be read in ${call.region}: ${describeError(e)}. ${next}`,
      );
    }
    if (found === undefined)
      throw new Error(`${input}: ${hooks.noun} ${id} does not exist in ${call.region}. ${next}`);
    const actual = hooks.merge({}, found);
    const problem = hooks.adoptable?.(actual);
    if (problem) throw new Error(`${input}: ${hooks.noun} ${id} ${problem}.`);
    for (const key of spec.parameters)
      if (given[key] !== undefined && actual[key] !== undefined && differs(actual[key], given[key]))
        // Values are not shown: any of them may be secret in the program (tags, say).
        throw new Error(
          `${input}: ${hooks.noun} ${id} has another ${key} than the program sets; remove ${key} from the program or make it match.`,
        );
    const outs = hooks.merge(base, found);
    if (hooks.apiTags) {
      const tags = hooks.apiTags(given);
      if (Object.keys(tags).length) await applyTagChanges(call.client, outs.arn, {}, tags);
      outs.tags = { ...(given.tags ?? {}) };
    }
    console.log(`${hooks.label(outs)}: adopted ${hooks.noun} ${id} (${hooks.state(outs)})`);
    return { id, outs };
  }

  /** Applies the difference of the tags the program sets (TagResource / UntagResource). */
  async function retag(
    call: Call,
    id: string,
    olds: Props,
    news: Props,
    outs: Props,
  ): Promise<Props> {
    const before = hooks.apiTags!(olds);
    const after = hooks.apiTags!(news);
    if (!differs(before, after)) return outs;
    try {
      // A create that could not read the object back has no arn in state yet.
      const found = outs.arn ? undefined : await hooks.describe(call, id);
      if (found !== undefined) outs = hooks.merge(outs, found);
      const changes = await applyTagChanges(call.client, outs.arn, before, after);
      console.log(`${hooks.label(outs)}: tags of ${id} updated (${describeTagChanges(changes)})`);
    } catch (e) {
      throw new Error(
        `${hooks.label(outs)}: could not update the tags of ${id}: ${describeError(e)}. Nothing else changed; run \`pulumi up\` again.`,
      );
    }
    return { ...outs, tags: { ...(news.tags ?? {}) } };
  }

  /** Waits (unless waiting is off) until the acceptor says success; returns the final outputs or throws a RecordedFailure. */
  async function settle(call: Call, id: string, outs: Props, startedAt?: number): Promise<Props> {
    let current = outs;
    const label = () => hooks.label(current);
    const waited = call.wait.enabled && hooks.isDone(current) === "retry";
    if (waited) {
      const isTerminal = (r: R) => hooks.isDone(hooks.merge(current, r)) !== "retry";
      const waiter = hooks.waiter?.(call, isTerminal) ?? pollingWaiter(call, isTerminal);
      let lastLine = -Infinity;
      let lastState: string | undefined;
      let result;
      try {
        result = await waiter.waitFor({
          id,
          options: call.wait,
          startedAt,
          onCheck: (r, elapsed, next) => {
            const state = hooks.state(hooks.merge(current, r));
            if (state === lastState && elapsed - lastLine < PROGRESS_EVERY_MS) return;
            lastLine = elapsed;
            lastState = state;
            const more = next === undefined ? "" : `; next check in ${(next / 1000).toFixed(1)}s`;
            console.log(
              `${label()}: ${hooks.noun} ${id} ${state} after ${(elapsed / 1000).toFixed(1)}s${more}`,
            );
          },
          onTransientError: (e, elapsed) =>
            console.log(
              `${label()}: status check of ${hooks.noun} ${id} failed after ${(elapsed / 1000).toFixed(1)}s (${describeError(e)}); will retry`,
            ),
        });
      } catch (e) {
        throw new RecordedFailure(
          id,
          current,
          `Could not check ${hooks.noun} ${id}: ${e instanceof NotFound ? e.message : describeError(e)}. It is recorded in the stack as ` +
            `${hooks.state(current)}; fix the cause and run \`pulumi up\` again to resume waiting.`,
        );
      }
      if (result.value !== undefined) current = hooks.merge(current, result.value);
      if (!result.done) {
        const why = result.lastError ? ` (last check: ${describeError(result.lastError)})` : "";
        throw new RecordedFailure(
          id,
          current,
          `${capitalized(hooks.noun)} ${id}${hooks.where ? " " + hooks.where(current) : ""} is still ${hooks.state(current)} after ` +
            `${call.wait.timeoutSeconds}s (waitOptions.timeoutSeconds)${why}. ` +
            `It is recorded in the stack; run \`pulumi up\` again to resume waiting on the same ${hooks.noun}, or raise waitOptions.timeoutSeconds.`,
        );
      }
    }
    const verdict = hooks.isDone(current);
    if (verdict === "failure") throw new RecordedFailure(id, current, hooks.failure(id, current));
    if (verdict === "success") {
      if (waited) console.log(`${label()}: ${hooks.noun} ${id} ${hooks.state(current)}`);
      if (hooks.complete) {
        try {
          current = await hooks.complete(call, current);
        } catch (e) {
          throw new RecordedFailure(id, current, (e as Error).message);
        }
      }
    }
    return current;
  }

  return {
    async configure(req: dynamic.ConfigureRequest): Promise<void> {
      applyStackConfig(req.config);
      watchEngine();
    },

    async check(_olds: Props, news: Props): Promise<dynamic.CheckResult> {
      return checkInputs(news);
    },

    checkFailures: (news: Props) => checkInputs(news).failures,
    inputs,
    spec,

    async diff(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
      const adopting = spec.adopt !== undefined && news[spec.adopt.input] !== undefined;
      // An adopted object's parameters are read from it; only the ones the program sets count.
      const unsetCounts = (key: string) => !adopting && !spec.filledIn?.includes(key);
      const replaces = spec.parameters.filter(
        (key) =>
          (news[key] !== undefined || unsetCounts(key)) &&
          differs(olds[spec.storedAs?.[key] ?? key], news[key]),
      );
      if (spec.adopt && differs(olds[spec.adopt.input], news[spec.adopt.input]))
        replaces.push(spec.adopt.input);
      if (regionChanged(olds.region, news.region)) replaces.push("region");
      if (hooks.mustReplace?.(olds)) replaces.push("status");

      const updates = Object.entries(spec.options)
        // The service reports "no tags" as {}.
        .filter(([key, kind]) =>
          kind === "tags"
            ? differs(olds[key] ?? {}, news[key] ?? {})
            : differs(olds[key], news[key]),
        )
        .map(([key]) => key);
      if (differs(olds.waitOptions, news.waitOptions)) updates.push("waitOptions");
      // New provider code must reach state, or refresh and destroy keep running the old code.
      if (olds.__provider !== news.__provider) updates.push("__provider");
      // An object left in progress (timeout, refreshed mid-way) is waited on by update.
      if (
        replaces.length === 0 &&
        hooks.isDone(olds) === "retry" &&
        waitOptionsOf(spec, news.waitOptions).enabled
      )
        updates.push("status");
      return {
        changes: replaces.length + updates.length > 0,
        replaces,
        deleteBeforeReplace: false,
      };
    },

    async create(given: Props): Promise<dynamic.CreateResult> {
      const call = callFor(given.region, given.waitOptions);
      const base = baseOutputs(given, call.region);
      const adopting = spec.adopt !== undefined && given[spec.adopt.input] !== undefined;
      const started = adopting
        ? await adopt(call, given, base)
        : await hooks.start(call, given, base);
      return {
        id: started.id,
        outs: await settle(call, started.id, started.outs, started.waitStartedAt),
      };
    },

    async update(id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
      let outs: Props = { ...olds };
      for (const key of kept) {
        if (news[key] === undefined) delete outs[key];
        else outs[key] = news[key];
      }
      const call = callFor(olds.region ?? news.region, news.waitOptions);
      if (hooks.apiTags) outs = await retag(call, id, olds, news, outs);
      if (hooks.update) outs = await hooks.update(call, id, olds, news, outs);
      if (hooks.isDone(outs) === "retry" && call.wait.enabled)
        console.log(
          `${hooks.label(outs)}: resuming the wait on ${hooks.noun} ${id} (last seen ${hooks.state(olds)})`,
        );
      return { outs: await settle(call, id, outs) };
    },

    async read(id: string, props: Props): Promise<dynamic.ReadResult> {
      const call = callFor(props.region, props.waitOptions);
      let found: R | undefined;
      try {
        found = await retryTransient(() => hooks.describe(call, id), {
          budgetSeconds: call.budgetSeconds,
          onRetry: (e) =>
            console.log(
              `${hooks.label(props)}: reading ${hooks.noun} ${id} failed (${describeError(e)}); will retry`,
            ),
        });
      } catch (e) {
        throw new Error(
          `Could not refresh ${hooks.noun} ${id} in ${call.region}: ${describeError(e)}. ` +
            `The stack still holds it as last seen; run \`pulumi refresh\` again once the service answers.`,
        );
      }
      let outs = found === undefined ? undefined : hooks.merge(props, found);
      if (outs === undefined || hooks.gone?.(outs)) {
        console.log(
          `${hooks.label(props)}: ${hooks.noun} ${id} no longer exists in ${call.region}; removing it from the stack`,
        );
        return {};
      }
      // Outputs a create could not finish are filled in when they can be had; a refresh never fails for them.
      if (hooks.complete && hooks.isDone(outs) === "success")
        outs = await hooks.complete(call, outs).catch(() => outs!);
      if (hooks.refreshed && hooks.isDone(outs) === "success")
        outs = await hooks.refreshed(call, outs).catch(() => outs!);
      return { id, props: outs };
    },

    async delete(id: string, props: Props): Promise<void> {
      await hooks.remove(callFor(props.region, props.waitOptions), id, props);
    },
  };
}
