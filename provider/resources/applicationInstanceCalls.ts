// The calls and shapes every part of ApplicationInstance shares: Describe, the outputs merged from
// it, the package versions it runs, its tags (the program's plus the deploymentKey marker), how
// messages name it and what its failures say.
import {
  DescribeApplicationInstanceCommand,
  DescribeApplicationInstanceResponse,
  ListApplicationInstanceDependenciesCommand,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { DEPLOYMENT_FAILED_STATUSES, isStatusIn } from "../../model/statusGroups";
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

/**
 * The application, its device and, in a fleet rollout, its wave (the hidden `__wave` input
 * PanoramaApplication sets): a fleet runs one application on many devices.
 */
export function label(p: Props): string {
  const wave = typeof p.__wave === "string" ? `, ${p.__wave}` : "";
  return `ApplicationInstance ${p.name ?? p.applicationInstanceId ?? p.adoptApplicationInstanceId ?? "(new)"} ${where(p)}${wave}`;
}

/** `on device <name> (<id>)`; the name is known once the instance was described. */
export function where(p: Props): string {
  const id = p.defaultRuntimeContextDevice;
  const name = p.defaultRuntimeContextDeviceName;
  if (name && id && name !== id) return `on device ${name} (${id})`;
  return `on device ${name ?? id ?? "?"}`;
}

/**
 * How long an instance may run DEPLOYMENT_SUCCEEDED with health ERROR before its resource fails,
 * instead of waiting for RUNNING until the wait's timeout: an application that starts and then
 * reports an error is failing, but one that restarts once should not stop a rollout.
 */
export const UNHEALTHY_GRACE_SECONDS = 30;

/** Deployed, and the application reports an error. */
export const unhealthy = (p: { status?: string; healthStatus?: string }) =>
  p.status === "DEPLOYMENT_SUCCEEDED" && p.healthStatus === "ERROR";

/** The recorded-failure reason of a failure verdict: the id, device, status, message, next step. */
export function instanceFailure(id: string, p: Props): string {
  return unhealthy(p)
    ? `Application instance ${id} ${where(p)} is DEPLOYMENT_SUCCEEDED with health ERROR ` +
        `for ${UNHEALTHY_GRACE_SECONDS}s: ${p.statusDescription || "no status description"}; the application is deployed but ` +
        `failing on the device, so fix the cause there (its cameras, model or code, the node's logs) and run \`pulumi up\` ` +
        `again, which checks this instance again and continues the rollout once it is RUNNING.`
    : isStatusIn(DEPLOYMENT_FAILED_STATUSES, p.status)
      ? `Application instance ${id} ${where(p)} ended ${p.status}: ${p.statusDescription || "no status description"}. ` +
        `Fix the cause the description names (on the device, for a camera, network or device fault; otherwise register or ` +
        `import the package versions the manifest pins and check the manifest and overrides) and run \`pulumi up\` again; the failed instance stays recorded in the stack and is replaced by a new deployment.`
      : `Application instance ${id} ${where(p)} is ${p.status}: it was removed or replaced outside this deployment. ` +
        `Run \`pulumi up\` again to deploy a new instance.`;
}
