// The provider plugin door in end-to-end tests: this checkout's `pulumi-resource-panorama`, found
// by path, and resources registered by type token, as a program without a generated SDK does.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { implementation } from "pulumi-panorama/dist/provider/resources/registry.js";
import { ProviderPlugin, REPO_ROOT } from "./engine";

/** bin/pulumi-resource-panorama of this checkout (it runs dist/: build first). */
export const PANORAMA_PLUGIN: ProviderPlugin = {
  name: "panorama",
  path: path.join(REPO_ROOT, "bin"),
};

export function pluginToken(type: string): string {
  return `panorama:index:${type}`;
}

/**
 * `new pulumi.CustomResource("panorama:index:<type>", …)` with every input and output of the
 * type's spec declared, so the program reads all of them back.
 */
export function pluginResource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  opts?: pulumi.CustomResourceOptions,
): pulumi.CustomResource & Record<string, pulumi.Output<any>> {
  const impl = implementation(type);
  const declared = Object.fromEntries(
    [...impl.inputs, ...impl.spec.outputs].map((key) => [key, undefined]),
  );
  return new (pulumi.CustomResource as any)(
    pluginToken(type),
    name,
    { ...declared, ...props },
    opts,
  );
}
