// The Package provider's real implementation, loaded by name from the shim in package.ts.
// Lifecycle (reference §8.5, from the CloudFormation handlers): CreatePackage, then DescribePackage
// until the package is readable; delete repeats DeletePackage until 404, a 409 meaning "not yet".
import {
  CreatePackageCommand,
  CreatePackageResponse,
  DeletePackageCommand,
  DescribePackageCommand,
  DescribePackageResponse,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { fromApi } from "../lifecycle/apiShapes";
import { describeError, errorName, isTransientError, panoramaClient, resolveRegion, applyStackConfig } from "../calls/awsClients";
import { watchEngine } from "../calls/engineWatch";
import {
  booleanOptionFailures,
  commonOptionFailures,
  differs,
  regionChanged,
  requestViolations,
  unknownPropertyFailures,
  violationSentence,
} from "../lifecycle/inputChecks";
import { CREATED_TIME_TOLERANCE_MS, isAmbiguousFailure, serviceClock } from "../calls/createOnce";
import { RecordedFailure } from "../lifecycle/recordedFailure";
import { MAX_CALL_RETRY_SECONDS, retryTransient } from "../calls/retry";
import { applyTagChanges, describeTagChanges } from "../lifecycle/tags";
import { pollUntil, resolveWaitOptions, WaitOptions } from "../calls/wait";

export const RESOURCE = "Package";

/** Inputs sent to CreatePackage besides tags; a change means a new package. */
export const PACKAGE_PARAMETERS = ["packageName"] as const;
/** Inputs that only change how this provider behaves; a change is an in-place update. */
export const BEHAVIOUR_OPTIONS = ["forceDelete", "waitOptions"] as const;
export const INPUTS = [...PACKAGE_PARAMETERS, "tags", "region", ...BEHAVIOUR_OPTIONS] as const;

/**
 * Packages appear and disappear within seconds; a longer wait only delays the message about a
 * package that cannot be deleted without `forceDelete`.
 */
export const PACKAGE_TIMEOUT_SECONDS = 120;

type Props = Record<string, any>;

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  applyStackConfig(req.config);
  watchEngine();
}

export async function check(_olds: Props, news: Props): Promise<dynamic.CheckResult> {
  return { inputs: { ...news }, failures: checkFailures(news) };
}

/** Every rule of CreatePackageRequest in the API model plus our own options; each failure names the property. */
export function checkFailures(inputs: Props): dynamic.CheckFailure[] {
  const failures = unknownPropertyFailures(RESOURCE, inputs, INPUTS);
  for (const v of requestViolations("CreatePackageRequest", { packageName: inputs.packageName, tags: inputs.tags }))
    failures.push({ property: v.property, reason: violationSentence(v.path, v.rule) });
  failures.push(...commonOptionFailures(inputs), ...booleanOptionFailures(inputs, "forceDelete"));
  return failures;
}

export async function diff(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  const replaces: string[] = PACKAGE_PARAMETERS.filter((key) => differs(olds[key], news[key]));
  if (regionChanged(olds.region, news.region)) replaces.push("region");
  const updates: string[] = BEHAVIOUR_OPTIONS.filter((key) => differs(olds[key], news[key]));
  // The service reports "no tags" as {}.
  if (differs(olds.tags ?? {}, news.tags ?? {})) updates.push("tags");
  // New provider code must reach state, or refresh and destroy keep running the old code.
  if (olds.__provider !== news.__provider) updates.push("__provider");
  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
}

export async function create(inputs: Props): Promise<dynamic.CreateResult> {
  const region = resolveRegion(inputs.region);
  const client = panoramaClient(region);
  const name: string = inputs.packageName;
  let created: CreatePackageResponse;
  const startedAt = serviceClock(client)() - CREATED_TIME_TOLERANCE_MS;
  try {
    created = await client.send(new CreatePackageCommand({ PackageName: name, Tags: inputs.tags }));
  } catch (e) {
    // The SDK repeats a Create whose answer was lost, and the repeat finds the name taken (409).
    // A 409 to the first attempt means the name was taken before this call.
    const repeated = ((e as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1;
    const mayBeOurs = (errorName(e) === "ConflictException" && repeated) || isAmbiguousFailure(e);
    const ours = mayBeOurs ? await packageMadeSince(client, name, startedAt, inputs.tags) : undefined;
    if (ours) {
      console.log(`${RESOURCE} ${name}: the answer to CreatePackage was lost; found ${ours.PackageId} created by it`);
      created = { PackageId: ours.PackageId, Arn: ours.Arn, StorageLocation: ours.StorageLocation };
    } else if (errorName(e) === "ConflictException") {
      const existing = (e as { ResourceId?: string }).ResourceId;
      throw new Error(
        `${RESOURCE} ${name}: a package with this name already exists in ${region}${existing ? ` (${existing})` : ""}: ${describeError(e)}. ` +
          `Package names are unique per account and region. If an import job created it first, make the job depend on this ` +
          `Package (pass its packageName to the job); otherwise choose another packageName or delete the existing package.`,
      );
    } else {
      throw new Error(`${RESOURCE} ${name}: CreatePackage failed in ${region}: ${describeError(e)}. Nothing was created; fix the cause and run \`pulumi up\` again.`);
    }
  }
  const id = created.PackageId!;
  const outs = withPackage(baseOutputs(inputs, region), fromApi("CreatePackageResponse", created) as Props);
  console.log(`${label(outs)}: created ${id} (storage ${storageUrl(outs)})`);

  // Creation may be eventually consistent (the CloudFormation handler waits for Describe too).
  const check = () => describe(client, id);
  let described: Props | undefined;
  let lastError: unknown;
  try {
    described = await check();
    if (!described) {
      const result = await pollUntil({ options: packageWaitOptions(inputs.waitOptions), check, isDone: (p) => p !== undefined, isTransient: isTransientError });
      described = result.value;
      if (!result.done) lastError = result.lastError;
    }
  } catch (e) {
    lastError = e;
  }
  if (!described) {
    const why = lastError ? `: ${describeError(lastError)}` : " (DescribePackage kept answering 404)";
    throw new RecordedFailure(
      id,
      outs,
      `Package ${name} (${id}) was created but could not be read${why}. It is recorded in the stack; ` +
        `run \`pulumi up\` again to finish, or \`pulumi destroy\` to delete it.`,
    );
  }
  return { id, outs: withPackage(outs, described) };
}

export async function update(id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  let outs: Props = { ...olds };
  for (const key of [...BEHAVIOUR_OPTIONS, "__provider"]) outs[key] = news[key];
  for (const key of BEHAVIOUR_OPTIONS) if (outs[key] === undefined) delete outs[key];
  const client = panoramaClient(olds.region ?? resolveRegion(news.region));
  // A create that could not read the package back (a recorded failure) is finished here.
  if (olds.createdTime === undefined) {
    const described = await describe(client, id).catch((e) => {
      throw new Error(`${label(olds)}: could not read package ${id}: ${describeError(e)}. Run \`pulumi up\` again.`);
    });
    if (!described) throw new Error(`${label(olds)}: package ${id} no longer exists; run \`pulumi refresh\` and then \`pulumi up\` to create it again.`);
    outs = withPackage(outs, described);
  }
  if (differs(olds.tags ?? {}, news.tags ?? {})) {
    try {
      const changes = await applyTagChanges(client, olds.arn, olds.tags, news.tags ?? {});
      console.log(`${label(olds)}: tags of ${id} updated (${describeTagChanges(changes)})`);
    } catch (e) {
      throw new Error(`${label(olds)}: could not update the tags of ${id}: ${describeError(e)}. Nothing else changed; run \`pulumi up\` again.`);
    }
    outs.tags = { ...(news.tags ?? {}) };
  }
  return { outs };
}

export async function read(id: string, props: Props): Promise<dynamic.ReadResult> {
  const region = props.region ?? resolveRegion(undefined);
  let described: Props | undefined;
  try {
    described = await describe(panoramaClient(region), id);
  } catch (e) {
    throw new Error(`Could not refresh package ${id} in ${region}: ${describeError(e)}`);
  }
  if (!described) {
    console.log(`${RESOURCE} ${id}: the package no longer exists in ${region}; removing it from the stack`);
    return {};
  }
  return { id, props: withPackage(props, described) };
}

export async function deletePackage(id: string, props: Props): Promise<void> {
  const client = panoramaClient(props.region ?? resolveRegion(undefined));
  const force = props.forceDelete === true;
  const options = packageWaitOptions(props.waitOptions);
  let announced = false;
  const attempt = async (): Promise<DeleteAttempt> => {
    const outcome = await deleteOnce(client, id, force);
    if (outcome.state === "CONFLICT" && !announced) {
      announced = true;
      console.log(
        `${label(props)}: DeletePackage ${id} answered 409 Conflict (${outcome.message}); retrying for up to ` +
          `${options.timeoutSeconds}s${force ? "" : " (forceDelete is off)"}`,
      );
    }
    return outcome;
  };
  let last: DeleteAttempt;
  try {
    last = await attempt();
    if (last.state === "GONE" && last.absent) return void console.log(`${label(props)}: package ${id} no longer exists; nothing to delete`);
    if (last.state !== "GONE") {
      const result = await pollUntil({ options, check: attempt, isDone: (a) => a.state === "GONE", isTransient: isTransientError });
      if (result.done) last = result.value;
      else last = result.value ?? last;
    }
  } catch (e) {
    throw new Error(`${label(props)}: could not delete package ${id}: ${describeError(e)}. It stays in the stack; fix the cause and run \`pulumi destroy\` again.`);
  }
  if (last.state === "GONE") {
    console.log(`${label(props)}: package ${id} deleted${force ? " with its versions and artifacts" : ""}`);
    return;
  }
  const advice = force
    ? "Check what holds the package and run `pulumi destroy` again."
    : "Deregister its package versions and remove its artifacts, or set `forceDelete: true` on the Package " +
      "(run `pulumi up` so the setting reaches the stack) to delete them with it, then run `pulumi destroy` again.";
  throw new Error(
    `${label(props)}: package ${id} is still there after ${options.timeoutSeconds}s (waitOptions.timeoutSeconds)` +
      (last.state === "CONFLICT" ? `; the service answers 409 Conflict: ${last.message}` : "; deletion is still in progress") +
      `. ${advice}`,
  );
}

// ---- helpers -------------------------------------------------------------------------------

/** GONE `absent`: DeletePackage answered 404, i.e. there was nothing to delete. */
type DeleteAttempt = { state: "GONE"; absent: boolean } | { state: "DELETING" } | { state: "CONFLICT"; message: string };

/** One DeletePackage; after an accepted request, one Describe tells whether it is gone already. */
async function deleteOnce(client: PanoramaClient, id: string, force: boolean): Promise<DeleteAttempt> {
  try {
    await client.send(new DeletePackageCommand({ PackageId: id, ...(force ? { ForceDelete: true } : {}) }));
  } catch (e) {
    if (errorName(e) === "ResourceNotFoundException") return { state: "GONE", absent: true };
    if (errorName(e) === "ConflictException") return { state: "CONFLICT", message: (e as Error).message };
    throw e;
  }
  return (await describe(client, id)) ? { state: "DELETING" } : { state: "GONE", absent: false };
}

/**
 * The package named `name` if this create made it: created at or after `startedAt` (service
 * time) with exactly the tags we sent. Anything else, or a failed lookup, is not ours.
 */
async function packageMadeSince(client: PanoramaClient, name: string, startedAt: number, tags: Props | undefined): Promise<DescribePackageResponse | undefined> {
  try {
    const p = await retryTransient(() => client.send(new DescribePackageCommand({ PackageId: `packageName/${name}` })), { budgetSeconds: MAX_CALL_RETRY_SECONDS });
    const fresh = (p.CreatedTime?.getTime() ?? 0) >= startedAt;
    return fresh && p.PackageId && !differs(p.Tags ?? {}, tags ?? {}) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** DescribePackage as camelCase outputs, or undefined when the package does not exist. */
async function describe(client: PanoramaClient, id: string): Promise<Props | undefined> {
  let p: DescribePackageResponse;
  try {
    p = await client.send(new DescribePackageCommand({ PackageId: id }));
  } catch (e) {
    if (errorName(e) === "ResourceNotFoundException") return undefined;
    throw e;
  }
  return fromApi("DescribePackageResponse", p) as Props;
}

/** The waits of a package are short unless the program says otherwise. */
export function packageWaitOptions(input: WaitOptions | undefined): Required<WaitOptions> {
  const options = resolveWaitOptions(input);
  if (input?.timeoutSeconds === undefined || input.timeoutSeconds === null) options.timeoutSeconds = PACKAGE_TIMEOUT_SECONDS;
  return options;
}

function baseOutputs(inputs: Props, region: string): Props {
  const outs: Props = {};
  for (const key of INPUTS) if (inputs[key] !== undefined) outs[key] = inputs[key];
  outs.__provider = inputs.__provider;
  outs.region = region;
  return outs;
}

/** Merges described members into outputs; nothing known is ever dropped. */
export function withPackage(outs: Props, described: Props): Props {
  const merged: Props = { ...outs, ...described };
  merged.tags = described.tags ?? outs.tags ?? {};
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return merged;
}

function label(p: Props): string {
  return `${RESOURCE} ${p.packageName ?? p.packageId ?? "?"}`;
}

function storageUrl(p: Props): string {
  const s = p.storageLocation ?? {};
  return `s3://${s.bucket ?? "?"}/${s.repoPrefixLocation ?? ""}`;
}
