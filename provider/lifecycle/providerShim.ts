import type * as pulumi from "@pulumi/pulumi";

/**
 * The serialized provider of a resource: a thin shim that loads the implementation by package
 * name at call time. State then holds about a kilobyte per resource instead of a copy of the
 * code, and `pulumi refresh` / `destroy` run the installed version rather than code frozen in
 * state (pulumi/pulumi#6490). `require` must stay inside the functions: a module imported at the
 * top would be serialized by value.
 *
 * @param implementation the module, by package name, e.g. `pulumi-panorama/dist/provider/resources/packageProvider.js`
 * @param deleteExport the implementation's export that deletes (`delete` is a reserved word)
 */
export function providerShim(implementation: string, deleteExport: string): pulumi.dynamic.ResourceProvider {
  return {
    configure: (req) => require(implementation).configure(req),
    check: (olds, news) => require(implementation).check(olds, news),
    diff: (id, olds, news) => require(implementation).diff(id, olds, news),
    create: (inputs) => require(implementation).create(inputs),
    read: (id, props) => require(implementation).read(id, props),
    update: (id, olds, news) => require(implementation).update(id, olds, news),
    delete: (id, props) => require(implementation)[deleteExport](id, props),
  };
}
