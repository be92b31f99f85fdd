// The hidden inputs a resource class adds for the dynamic door (hiddenInputs.ts says what each is
// for), and the resource options it refuses before anything is registered.
import * as pulumi from "@pulumi/pulumi";
import { getAllResources } from "@pulumi/pulumi/output";
import { UsageError } from "../userError";
import { durationSeconds, Operation, OperationTimeouts } from "./hiddenInputs";
import type { ResourceSpec } from "./resourceSpec";

/** The type token of a dynamic resource of this package (`pulumi.dynamic.Resource` with module "panorama"). */
export function dynamicToken(type: string): string {
  return `pulumi-nodejs:dynamic/panorama:${type}`;
}

/** Refuses what a dynamic resource cannot honour, in one sentence naming what to use instead. */
export function refuseOptions(
  spec: ResourceSpec,
  name: string,
  opts: pulumi.CustomResourceOptions | undefined,
): void {
  const where = `${spec.type} ${name}`;
  if (opts?.provider !== undefined)
    throw new UsageError(
      `${where}: opts.provider is not supported. Panorama resources run in Pulumi's dynamic provider, so a ` +
        `provider passed here (an aws.Provider, say) would not reach them. Set the resource's \`region\` input, or stack ` +
        `config \`aws:region\` / \`aws:endpoints\`, instead (or use the provider plugin, \`panorama:index:${spec.type}\`, with an explicit provider).`,
    );
  if (opts?.import !== undefined)
    throw new UsageError(
      `${where}: opts.import is not supported by the dynamic resources (Pulumi's dynamic-provider host cannot import). ` +
        (spec.adopt
          ? `Set the \`${spec.adopt.input}\` input to ${JSON.stringify(opts.import)} to bring it under management, or use `
          : "Use ") +
        `the provider plugin's \`panorama:index:${spec.type}\` with \`pulumi import\`.`,
    );
}

/** `customTimeouts` as seconds per operation, or undefined when the program sets none. */
export function timeoutsOf(
  spec: ResourceSpec,
  name: string,
  custom: pulumi.CustomTimeouts | undefined,
): OperationTimeouts | undefined {
  if (!custom) return undefined;
  const timeouts: OperationTimeouts = {};
  for (const operation of ["create", "update", "delete"] as Operation[]) {
    const text = custom[operation];
    if (text === undefined || text === "") continue;
    try {
      timeouts[operation] = durationSeconds(text, `customTimeouts.${operation}`);
    } catch (e) {
      throw new UsageError(`${spec.type} ${name}: ${(e as Error).message}`);
    }
  }
  return Object.keys(timeouts).length ? timeouts : undefined;
}

/** The URN the engine gives this resource, known before it registers. */
export function urnOf(
  spec: ResourceSpec,
  name: string,
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.Output<string> {
  return pulumi.output(valueOf(pulumi.createUrn(name, dynamicToken(spec.type), opts?.parent)));
}

/** The URNs of the resources the inputs' values come from. */
export function feedsOf(props: Record<string, unknown>): pulumi.Output<string[]> {
  const sources = getAllResources(pulumi.output(props));
  return pulumi.output(
    sources
      .then((set) => Promise.all([...set].map((r) => valueOf(r.urn))))
      .then((urns) => [...new Set(urns)].sort()),
  );
}

/**
 * An Output's value as a plain promise, so the hidden input carries no dependency: a URN Output
 * depends on its resource, and a dependency on a parent component is one on all its children,
 * this resource among them (the registration would wait for itself). URNs are known in previews.
 */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}
