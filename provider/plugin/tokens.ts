// Type tokens of the provider plugin: `panorama:index:<Name>` for every resource of the registry,
// every lookup and every object type of the schema.
import { lifecycleOf, resourceTypes } from "../resources/registry";
import type { ResourceImplementation } from "../lifecycle/resourceProvider";

/** The Pulumi package name: `panorama:*` config keys, `pulumi-resource-panorama`. */
export const PACKAGE = "panorama";
const MODULE = "index";

export function token(name: string): string {
  return `${PACKAGE}:${MODULE}:${name}`;
}

/** The name in a token of this package, or undefined for any other token. */
export function nameOf(tok: string): string | undefined {
  const [pkg, module, name] = tok.split(":");
  return pkg === PACKAGE && module === MODULE && name ? name : undefined;
}

/** The component types the plugin constructs (provider/plugin/construct.ts). */
export const COMPONENTS = ["PanoramaApplication"];

/** The implementation behind a resource token; the error lists the tokens there are. */
export function implementationOf(tok: string): ResourceImplementation {
  const name = nameOf(tok);
  if (name && resourceTypes().includes(name)) return lifecycleOf(name);
  throw new Error(
    `the panorama provider has no resource type ${tok} (known: ${resourceTypes().map(token).join(", ")}); upgrade pulumi-panorama.`,
  );
}
