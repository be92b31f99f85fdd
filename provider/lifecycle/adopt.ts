// Bringing an existing object under management by id (the adopt input), and the in-place change
// of the tags a resource manages.
import { describeError } from "../calls/awsClients";
import { retryTransient } from "../calls/retry";
import { differs } from "./inputChecks";
import type { FilledHooks, Started } from "./resourceHooks";
import type { Call, Props, ResourceSpec } from "./resourceSpec";
import { applyTagChanges, describeTagChanges } from "./tags";

/**
 * The object named by the adopt input: it must exist, be adoptable, and match every parameter the
 * program sets; the program's tags are put on it (others' stay).
 */
export async function adopt<R>(
  spec: ResourceSpec,
  hooks: FilledHooks<R>,
  call: Call,
  given: Props,
  base: Props,
): Promise<Started> {
  const { input, list } = spec.adopt!;
  const id: string = given[input];
  const next =
    `Check the id and the region (the resource's \`region\` input or \`aws:region\`); list the region's ${hooks.noun}s with ` +
    `\`aws panorama ${list} --region ${call.region}\`.`;
  let found: R | undefined;
  try {
    found = await retryTransient(() => hooks.describe(call, id), call.retry);
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
  call.log(`${hooks.label(outs)}: adopted ${hooks.noun} ${id} (${hooks.state(outs)})`);
  return { id, outs };
}

/** Applies the difference of the tags the program sets (TagResource / UntagResource). */
export async function retag<R>(
  hooks: FilledHooks<R>,
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
    call.log(`${hooks.label(outs)}: tags of ${id} updated (${describeTagChanges(changes)})`);
  } catch (e) {
    throw new Error(
      `${hooks.label(outs)}: could not update the tags of ${id}: ${describeError(e)}. Nothing else changed; run \`pulumi up\` again.`,
    );
  }
  return { ...outs, tags: { ...(news.tags ?? {}) } };
}
