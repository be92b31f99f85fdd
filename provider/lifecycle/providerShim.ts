import type * as pulumi from "@pulumi/pulumi";

/** The module that maps a resource type to its implementation, by package name. */
export const REGISTRY_MODULE = "pulumi-panorama/dist/provider/resources/registry.js";

/**
 * The serialized provider of a resource: a thin shim that loads the implementation by package
 * name at call time. State then holds about a kilobyte per resource instead of a copy of the
 * code, and `pulumi refresh` / `destroy` run the installed version rather than code frozen in
 * state (pulumi/pulumi#6490). `require` must stay inside the functions: a module imported at the
 * top would be serialized by value.
 *
 * @param type the resource type (ResourceSpec.type), the registry's key
 */
export function providerShim(type: string): pulumi.dynamic.ResourceProvider {
  let shim = shims.get(type);
  if (!shim) shims.set(type, (shim = makeShim(type)));
  return shim;
}

/**
 * One shim per type: the SDK serializes a provider object once and reuses the text for every
 * resource given the same object, where a new object each time cost every resource a walk of the
 * closure through the inspector (most of the seconds before the first create of a 100-job stack).
 */
const shims = new Map<string, pulumi.dynamic.ResourceProvider>();

function makeShim(type: string): pulumi.dynamic.ResourceProvider {
  const registry = REGISTRY_MODULE;
  const impl = () => require(registry).implementation(type);
  return {
    configure: (req) => impl().configure(req),
    check: (olds, news) => impl().check(olds, news),
    diff: (id, olds, news) => impl().diff(id, olds, news),
    create: (inputs) => impl().create(inputs),
    read: (id, props) => impl().read(id, props),
    update: (id, olds, news) => impl().update(id, olds, news),
    delete: (id, props) => impl().delete(id, props),
  };
}
