// Tags are the one setting of packages and application instances that changes in place:
// TagResource for new or changed values, UntagResource for removed keys.
import { PanoramaClient, TagResourceCommand, UntagResourceCommand } from "@aws-sdk/client-panorama";

export type Tags = Record<string, string>;

export interface TagChanges {
  /** Keys to add or overwrite, with their new values. */
  set: Tags;
  /** Keys to remove. */
  remove: string[];
}

/**
 * The tags a resource manages: of the object's tags, only the keys the program declares. Tags
 * others put there (an import job's jobTags, the console) are neither stored nor removed.
 */
export function ownTags(actual: Tags | undefined, declared: Tags | undefined): Tags {
  return Object.fromEntries(
    Object.keys(declared ?? {})
      .filter((k) => actual !== undefined && k in actual)
      .map((k) => [k, actual![k]]),
  );
}

export function tagChanges(oldTags: Tags | undefined, newTags: Tags | undefined): TagChanges {
  const before = oldTags ?? {};
  const after = newTags ?? {};
  const set: Tags = {};
  for (const [k, v] of Object.entries(after)) if (before[k] !== v) set[k] = v;
  const remove = Object.keys(before).filter((k) => !(k in after));
  return { set, remove };
}

/** Applies the difference between two tag maps to `arn`; returns what it changed. */
export async function applyTagChanges(
  client: PanoramaClient,
  arn: string,
  oldTags: Tags | undefined,
  newTags: Tags | undefined,
): Promise<TagChanges> {
  const changes = tagChanges(oldTags, newTags);
  if (changes.remove.length)
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: changes.remove }));
  if (Object.keys(changes.set).length)
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: changes.set }));
  return changes;
}

export function describeTagChanges(changes: TagChanges): string {
  const parts: string[] = [];
  const set = Object.keys(changes.set);
  if (set.length) parts.push(`set ${set.join(", ")}`);
  if (changes.remove.length) parts.push(`removed ${changes.remove.join(", ")}`);
  return parts.length ? parts.join("; ") : "no changes";
}
