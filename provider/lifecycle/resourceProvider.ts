// The one lifecycle every resource runs on (the CDK provider framework's split: a resource is a
// spec plus hooks; this owns the rest). It owns configure, the common part of check, the tail of
// diff, the options-only update and its preview, base outputs, adoption, recorded failures,
// progress lines and the waits of create, update and delete. Each method takes the door's
// CallContext (none from the dynamic door: today's behaviour).
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { applyStackConfig, describeError } from "../calls/awsClients";
import { retryTransient } from "../calls/retry";
import type { WaitClock } from "../calls/waitClock";
import { adopt, retag } from "./adopt";
import type { CallContext } from "./callContext";
import { checkInputs, diffInputs } from "./checkAndDiff";
import { watchEngine } from "./engineWatch";
import { makeCall } from "./makeCall";
import { removeAndWait } from "./removal";
import { ResourceHooks, withDefaults } from "./resourceHooks";
import type { ResourceImplementation } from "./resourceImplementation";
import { inputNames, Props, ResourceSpec } from "./resourceSpec";
import { settle } from "./settle";
import { KEPT_HIDDEN_INPUTS } from "./hiddenInputs";
import { feedsKeepOutputs, recordDiff } from "./previewFeeds";

export type { ResourceImplementation };

/** Seams of the lifecycle itself, for its own tests. */
export interface LifecycleOptions {
  /** The clock of every wait and retry. @default systemWaitClock */
  clock?: WaitClock;
}

export function resourceProvider<R>(
  spec: ResourceSpec,
  given: ResourceHooks<R>,
  options: LifecycleOptions = {},
): ResourceImplementation {
  const hooks = withDefaults(given);
  const inputs = inputNames(spec);
  const kept = [...Object.keys(spec.options), "waitOptions", "__provider", ...KEPT_HIDDEN_INPUTS];
  const callFor = (region: unknown, wait: Props["waitOptions"], ctx?: CallContext) =>
    makeCall(spec, region, wait, ctx, options.clock);

  /** Settings of the live object brought to the program's, once it is done (and waited for). */
  async function converged(call: ReturnType<typeof callFor>, id: string, outs: Props) {
    return hooks.converge && hooks.acceptor(outs) === "success"
      ? hooks.converge(call, id, outs)
      : outs;
  }

  function baseOutputs(given: Props, region: string): Props {
    const outs: Props = {};
    for (const key of inputs)
      if (given[key] !== undefined && !spec.createOnly?.includes(key)) outs[key] = given[key];
    outs.__provider = given.__provider;
    for (const key of KEPT_HIDDEN_INPUTS) if (given[key] !== undefined) outs[key] = given[key];
    outs.region = region;
    return outs;
  }

  return {
    spec,
    inputs,

    async configure(req: dynamic.ConfigureRequest): Promise<void> {
      applyStackConfig(req.config);
      watchEngine();
    },

    async check(_olds, news) {
      return checkInputs(spec, hooks, news);
    },

    checkFailures: (news) => checkInputs(spec, hooks, news).failures,

    async diff(_id, olds, news, ctx) {
      const result = diffInputs(spec, hooks, olds, news, ctx, feedsKeepOutputs(news));
      recordDiff(news, result);
      return result;
    },

    async create(given, ctx) {
      const call = callFor(given.region, given.waitOptions, ctx);
      const base = baseOutputs(given, call.region);
      const adopting = spec.adopt !== undefined && given[spec.adopt.input] !== undefined;
      const started = adopting
        ? await adopt(spec, hooks, call, given, base)
        : await hooks.start(call, given, base);
      const settled = await settle(
        spec,
        hooks,
        call,
        started.id,
        started.outs,
        started.waitStartedAt,
      );
      return { id: started.id, outs: await converged(call, started.id, settled) };
    },

    async update(id, olds, news, ctx) {
      let outs: Props = { ...olds };
      for (const key of kept) {
        if (news[key] === undefined) delete outs[key];
        else outs[key] = news[key];
      }
      // What the update would produce, with no call: every known output, the program's new tags.
      if (ctx?.preview)
        return { outs: hooks.apiTags ? { ...outs, tags: { ...(news.tags ?? {}) } } : outs };
      const call = callFor(olds.region ?? news.region, news.waitOptions, ctx);
      if (hooks.apiTags) outs = await retag(hooks, call, id, olds, news, outs);
      if (hooks.update) outs = await hooks.update(call, id, olds, news, outs);
      if (hooks.acceptor(outs) === "retry" && call.wait.enabled)
        call.log(
          `${hooks.label(outs)}: resuming the wait on ${hooks.noun} ${id} (last seen ${hooks.state(olds)})`,
        );
      return { outs: await converged(call, id, await settle(spec, hooks, call, id, outs)) };
    },

    async read(id, props, ctx) {
      const call = callFor(props.region, props.waitOptions, ctx);
      let found: R | undefined;
      try {
        found = await retryTransient(() => hooks.describe(call, id), {
          ...call.retry,
          onRetry: (e) =>
            call.log(
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
        call.log(
          `${hooks.label(props)}: ${hooks.noun} ${id} no longer exists in ${call.region}; removing it from the stack`,
        );
        return {};
      }
      // Outputs a create could not finish are filled in when they can be had; a refresh never fails for them.
      if (hooks.complete && hooks.acceptor(outs) === "success")
        outs = await hooks.complete(call, outs).catch(() => outs!);
      if (hooks.refreshed && hooks.acceptor(outs) === "success")
        outs = await hooks.refreshed(call, outs).catch(() => outs!);
      return { id, props: outs };
    },

    async delete(id, props, ctx) {
      await removeAndWait(hooks, callFor(props.region, props.waitOptions, ctx), id, props);
    },
  };
}
