// The provider plugin door in end-to-end tests: this checkout's `pulumi-resource-panorama`, found
// by path, and resources registered by type token, as a program without a generated SDK does.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { implementation } from "pulumi-panorama/dist/provider/resources/registry.js";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import {
  EngineStack,
  inlineStack,
  InlineStackOptions,
  localStack,
  ProviderPlugin,
  REPO_ROOT,
} from "./engine";

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

/** A resource registered by a local program (see `tokenProgram`). */
export interface TokenResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

/** The index.ts of a local program that registers these plugin resources by token, with no SDK. */
export function tokenProgram(resources: TokenResource[]): string {
  return [
    'import * as pulumi from "@pulumi/pulumi";',
    "const Resource = pulumi.CustomResource as any;",
    ...resources.map(
      (r) =>
        `new Resource(${JSON.stringify(pluginToken(r.type))}, ${JSON.stringify(r.name)}, ${JSON.stringify(r.props)});`,
    ),
    "",
  ].join("\n");
}

/** An import job's inputs for the manifest at `objectKey`, into SAMPLE_CODE 1.0. */
export function sampleJobInputs(bucketName: string, objectKey: string, markLatest = true) {
  return {
    inputConfig: { packageVersionInputConfig: { s3Location: { bucketName, objectKey } } },
    outputConfig: {
      packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion: "1.0", markLatest },
    },
  };
}

/** An inline stack whose `panorama:*` resources and invokes run in this checkout's plugin. */
export function inlinePluginStack(
  program: PulumiFn,
  env: Record<string, string>,
  options: Partial<InlineStackOptions> = {},
): Promise<EngineStack> {
  return inlineStack({ ...options, program, env, providerPlugins: [PANORAMA_PLUGIN] });
}

/** A local stack (this index.ts, run by the CLI's Node.js host) on this checkout's plugin. */
export function localPluginStack(
  indexTs: string,
  env: Record<string, string>,
): Promise<EngineStack> {
  return localStack({ files: { "index.ts": indexTs }, env, providerPlugins: [PANORAMA_PLUGIN] });
}
