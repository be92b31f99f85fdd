// check and diff of every resource, from its spec: unknown properties, the adopt id, the
// resource's own checks and the common options; parameters replace, options update in place.
import { validate } from "../../model/panoramaModel";
import {
  booleanOptionFailures,
  commonOptionFailures,
  differs,
  differsWhereKnown,
  regionChanged,
  unknownPropertyFailures,
  violationSentence,
} from "./inputChecks";
import { CallContext, stackClients } from "./callContext";
import { waitOptionsOf } from "./makeCall";
import type { FilledHooks } from "./resourceHooks";
import type { CheckResult, DiffResult } from "./resourceImplementation";
import { inputNames, Props, ResourceSpec } from "./resourceSpec";
import { isUnknown } from "./unknowns";

export function checkInputs<R>(
  spec: ResourceSpec,
  hooks: FilledHooks<R>,
  news: Props,
): CheckResult {
  const given = hooks.defaults ? hooks.defaults({ ...news }) : { ...news };
  const failures = unknownPropertyFailures(spec.type, given, inputNames(spec));
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

export function diffInputs<R>(
  spec: ResourceSpec,
  hooks: FilledHooks<R>,
  olds: Props,
  news: Props,
  ctx: CallContext = {},
  feedsKeepOutputs = false,
): DiffResult {
  const adopting = spec.adopt !== undefined && news[spec.adopt.input] !== undefined;
  // An adopted object's parameters are read from it; only the ones the program sets count.
  const unsetCounts = (key: string) => !adopting && !spec.filledIn?.includes(key);
  // An unknown part of a parameter replaces, unless what it comes from keeps its outputs (previewFeeds.ts).
  const parameterDiffers = feedsKeepOutputs ? differsWhereKnown : differs;
  const replaces = spec.parameters.filter(
    (key) =>
      (news[key] !== undefined || unsetCounts(key)) &&
      parameterDiffers(olds[spec.storedAs?.[key] ?? key], news[key]),
  );
  if (spec.adopt && differs(olds[spec.adopt.input], news[spec.adopt.input]))
    replaces.push(spec.adopt.input);
  const resolve = (ctx.clients ?? stackClients).region;
  if (regionChanged(olds.region, news.region, resolve)) replaces.push("region");
  if (hooks.mustReplace?.(olds)) replaces.push("status");

  const updates = Object.entries(spec.options)
    // The service reports "no tags" as {}.
    .filter(([key, kind]) =>
      kind === "tags"
        ? differs(olds[key] ?? {}, news[key] ?? {})
        : kind === "names"
          ? differs(sortedNames(olds[key]), sortedNames(news[key]))
          : differs(olds[key], news[key]),
    )
    .map(([key]) => key);
  if (differs(olds.waitOptions, news.waitOptions)) updates.push("waitOptions");
  // The dynamic door's deadlines reach refresh and destroy through the outputs.
  if (differs(olds.__timeouts, news.__timeouts)) updates.push("customTimeouts");
  // New provider code must reach state, or refresh and destroy keep running the old code.
  if (olds.__provider !== news.__provider) updates.push("__provider");
  // An object left in progress (timeout, refreshed mid-way) is waited on by update.
  if (
    replaces.length === 0 &&
    hooks.acceptor(olds) === "retry" &&
    waitOptionsOf(spec, news.waitOptions, ctx.timeoutSeconds).enabled
  )
    updates.push("status");
  return {
    changes: replaces.length + updates.length > 0,
    replaces,
    updates,
    deleteBeforeReplace: replaces.length > 0 && spec.deleteBeforeReplace?.(olds, news) === true,
  };
}

/** A list of names in a fixed order (unknowns and non-lists as they are). */
function sortedNames(value: unknown): unknown {
  return Array.isArray(value) && value.every((v) => typeof v === "string")
    ? [...value].sort()
    : value;
}
