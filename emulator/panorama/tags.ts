// TagResource / UntagResource / ListTagsForResource on the ARNs the emulator hands out
// (packages, application instances, devices). The ARN arrives as one percent-encoded segment.
import { notFound } from "../protocol/errors";
import { parseArn } from "../state/ids";
import { Runtime } from "../state/runtime";
import { Tags } from "../state/records";

function tagsOf(rt: Runtime, resourceArn: string): Tags {
  const parsed = parseArn(resourceArn);
  const missing = () => notFound("Resource", resourceArn, `Resource ${resourceArn} was not found.`);
  if (!parsed || parsed.region !== rt.options.region || parsed.accountId !== rt.options.accountId)
    throw missing();
  const record =
    parsed.type === "package"
      ? rt.state.packages[parsed.id]
      : parsed.type === "applicationInstance"
        ? rt.state.applicationInstances[parsed.id]
        : parsed.type === "device"
          ? rt.state.devices[parsed.id]
          : undefined;
  if (!record) throw missing();
  return record.tags;
}

export function tagResource(rt: Runtime, input: { ResourceArn: string; Tags: Tags }) {
  Object.assign(tagsOf(rt, input.ResourceArn), input.Tags);
  return {};
}

export function untagResource(rt: Runtime, input: { ResourceArn: string; TagKeys: string[] }) {
  const tags = tagsOf(rt, input.ResourceArn);
  for (const key of input.TagKeys) delete tags[key];
  return {};
}

export function listTagsForResource(rt: Runtime, input: { ResourceArn: string }) {
  return { Tags: { ...tagsOf(rt, input.ResourceArn) } };
}
