// What CameraNode does besides its spec: the job request, the start (with re-adoption, since the
// API has no client token), the outputs merged from the job and from ListNodes, and the delete.
import {
  CreateNodeFromTemplateJobCommand,
  DescribeNodeFromTemplateJobCommand,
  DescribeNodeFromTemplateJobResponse,
  ListNodeFromTemplateJobsCommand,
  ListNodesCommand,
} from "@aws-sdk/client-panorama";
import { describeError, errorName } from "../calls/awsClients";
import { retryTransient } from "../calls/retry";
import { definedOnly, fromApi, toApi } from "../lifecycle/apiShapes";
import type { Removal, Started } from "../lifecycle/resourceHooks";
import type { Call, Props } from "../lifecycle/resourceSpec";
import { deregisterPatch } from "./patches";

export const DEFAULT_TEMPLATE_TYPE = "RTSP_CAMERA_STREAM";

export function target(p: Props): string {
  return `${p.outputPackageName ?? "?"} ${p.outputPackageVersion ?? "?"}`;
}

export function label(p: Props): string {
  return `CameraNode ${target(p)}`;
}

function jobRequest(inputs: Props): Props {
  const { templateType = DEFAULT_TEMPLATE_TYPE, outputPackageName, outputPackageVersion } = inputs;
  const { nodeName, nodeDescription, templateParameters, jobTags } = inputs;
  return toApi("CreateNodeFromTemplateJobRequest", {
    templateType,
    outputPackageName,
    outputPackageVersion,
    nodeName,
    nodeDescription,
    templateParameters,
    jobTags,
  }) as Props;
}

/**
 * Merges a DescribeNodeFromTemplateJob answer into outputs. The parameters it reads back are
 * masked (`SAVED_AS_SECRET`), so the program's own (secret) values are kept instead.
 */
export function withJob(outs: Props, job: DescribeNodeFromTemplateJobResponse): Props {
  const { templateParameters: _masked, ...described } = fromApi(
    "DescribeNodeFromTemplateJobResponse",
    job,
  ) as Props;
  return definedOnly({ ...outs, ...described, statusMessage: described.statusMessage ?? "" });
}

/**
 * Starts the job. With no client token in the API, a second create for the same package version
 * is a ConflictException: the job an interrupted run started is found by its names and stream URL
 * (the one parameter read back in clear) and re-adopted instead. Only the version's newest job can
 * be that one: an older job of the same names is history (its node was deregistered since).
 */
export async function startJob(call: Call, inputs: Props, base: Props): Promise<Started> {
  let jobId: string;
  try {
    const created = await retryTransient(
      () => call.client.send(new CreateNodeFromTemplateJobCommand(jobRequest(inputs) as any)),
      call.quotaRetry,
    );
    jobId = created.JobId!;
    call.log(`${label(inputs)}: started camera node job ${jobId}`);
  } catch (e) {
    const earlier = errorName(e) === "ConflictException" ? await sameJob(call, inputs) : undefined;
    if (!earlier)
      throw new Error(
        `${label(inputs)}: CreateNodeFromTemplateJob failed: ${describeError(e)}. Nothing was created; ` +
          `fix the cause (another node may already hold package ${target(inputs)}) and run \`pulumi up\` again.`,
      );
    call.log(
      `${label(inputs)}: re-adopted camera node job ${earlier.JobId} (${earlier.Status}) started earlier`,
    );
    return { id: earlier.JobId!, outs: withJob(base, earlier) };
  }
  return { id: jobId, outs: withJob(base, { JobId: jobId, Status: "PENDING" } as any) };
}

async function sameJob(
  call: Call,
  inputs: Props,
): Promise<DescribeNodeFromTemplateJobResponse | undefined> {
  let token: string | undefined;
  let newest: DescribeNodeFromTemplateJobResponse | undefined;
  do {
    const page = await retryTransient(
      () =>
        call.client.send(new ListNodeFromTemplateJobsCommand({ NextToken: token, MaxResults: 25 })),
      call.retry,
    );
    for (const j of page.NodeFromTemplateJobs ?? []) {
      if (j.NodeName !== inputs.nodeName) continue;
      const job = await retryTransient(
        () => call.client.send(new DescribeNodeFromTemplateJobCommand({ JobId: j.JobId })),
        call.retry,
      );
      if (
        job.OutputPackageName === inputs.outputPackageName &&
        job.OutputPackageVersion === inputs.outputPackageVersion &&
        (newest === undefined ||
          (job.CreatedTime?.getTime() ?? 0) >= (newest.CreatedTime?.getTime() ?? 0))
      )
        newest = job;
    }
    token = page.NextToken;
  } while (token);
  return newest &&
    newest.Status !== "FAILED" &&
    newest.TemplateParameters?.StreamUrl === inputs.templateParameters?.StreamUrl
    ? newest
    : undefined;
}

/** After SUCCEEDED: the node the job made (ListNodes), which deployments name in their overrides. */
export async function withNode(call: Call, outs: Props): Promise<Props> {
  if (outs.nodeId !== undefined) return outs;
  const page = await retryTransient(
    () =>
      call.client.send(
        new ListNodesCommand({
          Category: "MEDIA_SOURCE",
          PackageName: outs.outputPackageName,
          PackageVersion: outs.outputPackageVersion,
        }),
      ),
    call.retry,
  );
  // The newest patch of the version is this job's (a version holds one camera patch at a time).
  const node = (page.Nodes ?? []).filter((n) => n.Name === outs.nodeName).pop();
  if (!node)
    throw new Error(
      `${label(outs)}: job ${outs.jobId} SUCCEEDED, but ListNodes shows no node ${outs.nodeName} in it. Run \`pulumi up\` again: the job stays recorded and its node is looked up again.`,
    );
  return {
    ...outs,
    nodeId: node.NodeId,
    packageId: node.PackageId,
    packageName: node.PackageName,
    packageVersion: node.PackageVersion,
    patchVersion: node.PatchVersion,
    packageArn: node.PackageArn,
    ownerAccount: node.OwnerAccount,
    nodeInterface: `${node.OwnerAccount}::${node.PackageName}.${node.Name}`,
  };
}

export async function deleteNode(call: Call, id: string, props: Props): Promise<Removal<unknown>> {
  const patch = props.patchVersion;
  // A recorded patch is deregistered even if the job reads FAILED since: the version holds it.
  if (props.deregisterOnDelete === false || !patch)
    return {
      outcome: "done",
      verb: "forget",
      line:
        `template jobs cannot be deleted; forgetting job ${id}` +
        (patch ? ` and keeping patch ${patch} registered (deregisterOnDelete is false)` : ""),
    };
  const what = `patch ${patch} of camera package ${props.packageId} (job ${id})`;
  return deregisterPatch(
    call,
    { PackageId: props.packageId, PackageVersion: props.packageVersion, PatchVersion: patch },
    { label: label(props), what, holder: "The camera node" },
  );
}
