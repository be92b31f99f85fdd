import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "./providerShim";
import { derivationSources, inputNames, pendingDerivations, ResourceSpec } from "./resourceSpec";
import { feedsOf, refuseOptions, timeoutsOf, urnOf } from "./classHiddenInputs";

/**
 * The base of every resource class: the serialized shim for its spec's type, every input and
 * output declared (a dynamic resource only has the outputs named in its constructor's props), the
 * spec's derived inputs computed from the project, stack and name, the hidden inputs of the
 * dynamic door (its URN, where its inputs come from, customTimeouts), and the options that cannot
 * apply refused before anything is registered.
 */
export abstract class PanoramaResource extends pulumi.dynamic.Resource {
  protected constructor(
    spec: ResourceSpec,
    name: string,
    props: Record<string, unknown>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    refuseOptions(spec, name, opts);
    const declared = Object.fromEntries(
      [...inputNames(spec), ...spec.outputs].map((key) => [key, undefined]),
    );
    const given: Record<string, unknown> = { ...props };
    const scope = { project: pulumi.getProject(), stack: pulumi.getStack(), name };
    for (const [key, d] of pendingDerivations(spec, given))
      given[key] = d.from.length
        ? pulumi.output(derivationSources(d, given)).apply((from) => d.derive(scope, from))
        : d.derive(scope, {});
    const timeouts = timeoutsOf(spec, name, opts?.customTimeouts);
    if (timeouts) given.__timeouts = timeouts;
    given.__urn = urnOf(spec, name, opts);
    given.__feeds = feedsOf(props);
    const secretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...(spec.secretOutputs ?? [])];
    super(
      providerShim(spec.type),
      name,
      { ...declared, ...given },
      { ...opts, additionalSecretOutputs: secretOutputs },
      "panorama",
      spec.type,
    );
  }
}
