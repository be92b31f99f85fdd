// Why a preview can say "unchanged" about an input it does not know. In a preview, Pulumi's
// dynamic-provider host does not run `update`: the engine takes the resource's inputs as its new
// state, so every output that is not an input (an import job's `patchVersion`, a package's `arn`)
// is unknown to the resources fed from it, even when the update only changes an option such as
// `waitOptions`. A dependent's parameter then arrives unknown and would read as a replace that
// `up` never does. The engine diffs every resource before the ones fed from it register, in
// this one provider process: so when each resource an input comes from (its class lists their
// URNs in `__feeds`) has been diffed here without a replace and without a wait to resume, its
// outputs stay as they are, and an unknown parameter cannot change either.
import type { DiffResult } from "./resourceImplementation";
import type { Props } from "./resourceSpec";

/** URN → whether its diff in this deployment keeps every output but its changed options. */
const keepsOutputs = new Map<string, boolean>();

/** Remembers what a resource's diff means for the outputs of the resources fed from it. */
export function recordDiff(news: Props, diff: DiffResult): void {
  const urn = news.__urn;
  if (typeof urn !== "string") return;
  const keeps = diff.replaces.length === 0 && !diff.updates.includes("status");
  // A URN diffed twice in one process (a preview, then its up) keeps the stricter answer.
  keepsOutputs.set(urn, (keepsOutputs.get(urn) ?? true) && keeps);
}

/**
 * True when every resource this one's inputs come from keeps its outputs in this deployment, so
 * an unknown parameter will come out as it is now. Any other source (one not diffed here, a
 * resource of another provider) keeps the conservative reading: unknown may change.
 */
export function feedsKeepOutputs(news: Props): boolean {
  const feeds = news.__feeds;
  return (
    Array.isArray(feeds) &&
    feeds.length > 0 &&
    feeds.every((urn) => typeof urn === "string" && keepsOutputs.get(urn) === true)
  );
}
