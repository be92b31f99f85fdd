// What every lookup shares. Dynamic providers have no invokes, so in a TypeScript program a lookup
// calls Panorama from the program itself, with the settings the resources' provider would use:
// stack config `aws:*` (read here through pulumi.Config), then the SDK's environment conventions.
// The provider plugin serves the same lookups as invokes, with its own provider config.
import * as pulumi from "@pulumi/pulumi";
import type { PanoramaClient } from "@aws-sdk/client-panorama";
import {
  AwsSettings,
  describeError,
  panoramaClient,
  readStackConfig,
  resolveRegion,
} from "../calls/awsClients";
import { requestViolations } from "../lifecycle/inputChecks";
import { isNotFound } from "../lifecycle/notFound";
import { UsageError } from "../userError";

/** Inputs of a lookup's Output form: every argument may be a Pulumi value. */
export type LookupOutputArgs<A> = { [K in keyof A]: pulumi.Input<A[K]> };

/**
 * Where a lookup gets its client and region: in a program, from its `region` argument and the
 * stack's `aws:*` config (programClients); in the provider plugin (an Invoke), from the
 * provider's config.
 */
export type LookupClients = (
  lookup: string,
  region: string | undefined,
) => { client: PanoramaClient; region: string };

/** The program's clients: stack config `aws:*`; a provider in the options is refused. */
export function programClients(opts: pulumi.InvokeOptions | undefined): LookupClients {
  return (lookup, region) => {
    if (opts?.provider) {
      throw new UsageError(
        `${lookup}: a provider in the options is not used: lookups call Panorama from the program. ` +
          "Pass `region` in the arguments and set aws:region, aws:profile or aws:endpoints in the stack config instead.",
      );
    }
    const settings = programSettings();
    const resolved = lookupStep(lookup, () => resolveRegion(region, settings));
    return { client: panoramaClient(resolved, settings), region: resolved };
  };
}

function programSettings(): AwsSettings {
  return readStackConfig({
    get: (key) => {
      const [namespace, name] = key.split(":");
      return new pulumi.Config(namespace).get(name);
    },
  });
}

/**
 * Throws, before any call, when the arguments break the API request's constraints; `resolvedLater`
 * names members the lookup fills in itself (a package id found by name).
 */
export function checkLookupArgs(
  lookup: string,
  requestShape: string,
  args: Record<string, unknown>,
  resolvedLater: string[] = [],
): void {
  const violations = requestViolations(requestShape, args).filter(
    (v) => !resolvedLater.includes(v.path),
  );
  if (violations.length > 0)
    throw new UsageError(
      `${lookup}: ${violations.map((v) => `${v.path}: ${v.rule.replace(/^Member /, "")}`).join("; ")}`,
    );
}

/** Runs `step`, prefixing any error with the lookup's name (a bad config value, a bad region). */
export function lookupStep<T>(lookup: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new UsageError(`${lookup}: ${(error as Error).message}`);
  }
}

/**
 * Sends one request; "does not exist" (isNotFound) becomes `notFound` (a sentence naming what was
 * looked for), any other error names the lookup and the service's answer.
 */
export async function lookupCall<T>(
  lookup: string,
  send: () => Promise<T>,
  notFound: string,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (isNotFound(error)) throw new UsageError(`${lookup}: ${notFound}`);
    throw new UsageError(`${lookup}: ${describeError(error)}`);
  }
}

/** Refuses arguments that must name exactly one of `keys`. */
export function requireOneOf(
  lookup: string,
  args: Record<string, unknown>,
  keys: readonly string[],
): string {
  const given = keys.filter((k) => args[k] !== undefined && args[k] !== "");
  if (given.length !== 1) {
    throw new UsageError(
      `${lookup}: set exactly one of ${keys.map((k) => `\`${k}\``).join(" or ")}${given.length ? ` (got ${given.join(" and ")})` : ""}`,
    );
  }
  return given[0];
}

/**
 * The Output form of a lookup: runs once its arguments are known and, like an invoke with
 * `dependsOn`, once those resources exist.
 */
export function lookupOutput<A, R>(
  lookup: (args: A, opts?: pulumi.InvokeOptions) => Promise<R>,
  args: LookupOutputArgs<A> | undefined,
  opts: pulumi.InvokeOutputOptions | undefined,
): pulumi.Output<R> {
  const { dependsOn, ...invokeOptions } = opts ?? {};
  return pulumi
    .all([pulumi.output(args ?? {}), created(dependsOn)])
    .apply(([plain]) => lookup(plain as A, invokeOptions));
}

/** Known once every resource exists: a custom resource's id, a component's urn. */
function created(dependsOn: unknown): pulumi.Output<unknown> {
  if (dependsOn === undefined) return pulumi.output([]);
  if (pulumi.Output.isInstance(dependsOn))
    return (dependsOn as pulumi.Output<unknown>).apply(created);
  if (Array.isArray(dependsOn)) return pulumi.all(dependsOn.map(created));
  if (pulumi.CustomResource.isInstance(dependsOn)) return dependsOn.id;
  if (pulumi.Resource.isInstance(dependsOn)) return dependsOn.urn;
  return (pulumi.output(Promise.resolve(dependsOn as object)) as pulumi.Output<unknown>).apply(
    created,
  );
}
