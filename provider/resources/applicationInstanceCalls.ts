// The calls and shapes every part of ApplicationInstance shares: Describe, the outputs merged from
// it, the package versions it runs, its tags (the program's plus the deploymentKey marker) and
// how messages name it.
import {
  DescribeApplicationInstanceCommand,
  DescribeApplicationInstanceResponse,
  ListApplicationInstanceDependenciesCommand,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { describeError } from "../calls/awsClients";
import { definedOnly, fromApi } from "../lifecycle/apiShapes";
import type { Call, Props } from "../lifecycle/resourceSpec";
import { ownTags, Tags } from "../lifecycle/tags";

/** The tag that marks this resource's instances on the device (see applicationInstance.ts). */
export const DEPLOYMENT_KEY_TAG = "pulumi-panorama:deploymentKey";

/** The inputs sent with CreateApplicationInstance: fixed at creation, a change replaces. */
export const CREATION_SETTINGS = [
  "name",
  "description",
  "manifestPayload",
  "manifestOverridesPayload",
  "defaultRuntimeContextDevice",
  "runtimeRoleArn",
] as const;

/** Adds the resolved package versions (ListApplicationInstanceDependencies); best effort. */
export async function withPackages(call: Call, outs: Props): Promise<Props> {
  const packages: Props[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await call.client.send(
        new ListApplicationInstanceDependenciesCommand({
          ApplicationInstanceId: outs.applicationInstanceId,
          NextToken: token,
        }),
      );
      const converted = fromApi("ListApplicationInstanceDependenciesResponse", page) as Props;
      for (const p of converted.packageObjects ?? [])
        packages.push({
          name: p.name,
          packageVersion: p.packageVersion,
          patchVersion: p.patchVersion,
        });
      token = page.NextToken;
    } while (token);
  } catch (e) {
    call.log(
      `${label(outs)}: could not list the package versions of ${outs.applicationInstanceId} (${describeError(e)}); \`pulumi refresh\` fills them in later`,
    );
    return outs;
  }
  return { ...outs, packages };
}

/** The Tags sent to the API: the user's plus the deploymentKey marker. */
export function instanceTags(tags: Tags | undefined, deploymentKey: string | undefined): Tags {
  return { ...(tags ?? {}), ...(deploymentKey ? { [DEPLOYMENT_KEY_TAG]: deploymentKey } : {}) };
}

export function describeInstance(
  client: PanoramaClient,
  id: string,
): Promise<DescribeApplicationInstanceResponse> {
  return client.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: id }));
}

/**
 * Merges a DescribeApplicationInstance answer into outputs. Creation settings keep the values the
 * program gave (diff compares them with the program); of the tags only the program's keys are kept.
 */
export function withInstance(outs: Props, instance: DescribeApplicationInstanceResponse): Props {
  const described = fromApi("DescribeApplicationInstanceResponse", instance) as Props;
  for (const key of CREATION_SETTINGS) if (outs[key] !== undefined) delete described[key];
  const merged: Props = { ...outs, ...described };
  merged.tags = ownTags(instance.Tags, outs.tags);
  merged.statusDescription = described.statusDescription ?? "";
  return definedOnly(merged);
}

/** The application and its device: a fleet runs one application on many devices. */
export function label(p: Props): string {
  return `ApplicationInstance ${p.name ?? p.applicationInstanceId ?? p.adoptApplicationInstanceId ?? "(new)"} ${where(p)}`;
}

/** `on device <name> (<id>)`; the name is known once the instance was described. */
export function where(p: Props): string {
  const id = p.defaultRuntimeContextDevice;
  const name = p.defaultRuntimeContextDeviceName;
  if (name && id && name !== id) return `on device ${name} (${id})`;
  return `on device ${name ?? id ?? "?"}`;
}
