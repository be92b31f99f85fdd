// Moving a stack from the dynamic resources (the TypeScript classes) to the provider plugin, in
// its checkpoint (`pulumi stack export` → this → `pulumi stack import`): each resource keeps its
// id, inputs and outputs (secrets stay encrypted: nothing is decrypted) and gets the plugin's type
// token and default provider. Nothing remote is created, deleted or touched; the derived tokens
// and marker keys are the same from both doors, so the program rewritten for the plugin (same
// resource names, same inputs) previews no change.
import { randomUUID } from "crypto";
import { resourceTypes } from "../resources/registry";
import { PACKAGE, token } from "./tokens";

/** The type token of this package's dynamic resources: `pulumi-nodejs:dynamic/panorama:<Type>`. */
export const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic/panorama:";
const DYNAMIC_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";
const PLUGIN_PROVIDER_TYPE = `pulumi:providers:${PACKAGE}`;

interface StateResource {
  urn: string;
  type: string;
  id?: string;
  provider?: string;
  parent?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  deletedWith?: string;
  [field: string]: unknown;
}

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` with its own type replaced. */
function withType(urn: string, type: string): string {
  const parts = urn.split("::");
  const chain = parts[2].split("$");
  chain[chain.length - 1] = type;
  parts[2] = chain.join("$");
  return parts.join("::");
}

/** The default provider's URN of a package in this stack. */
function defaultProviderUrn(anyUrn: string, providerType: string): string {
  const [stackPart, project] = anyUrn.split("::");
  return `${stackPart}::${project}::${providerType}::default`;
}

/**
 * The checkpoint (as `pulumi stack export` writes it) with every dynamic Panorama resource moved
 * to the plugin; `moved` lists their new URNs. Refuses a checkpoint with operations in flight.
 */
export function moveToPlugin(exported: any): { checkpoint: any; moved: string[] } {
  const deployment = exported?.deployment;
  if (!deployment || !Array.isArray(deployment.resources))
    throw new Error("not a stack checkpoint: expected the output of `pulumi stack export`");
  if (deployment.pending_operations?.length)
    throw new Error(
      `the stack has ${deployment.pending_operations.length} operation(s) in flight (an interrupted \`pulumi up\`): ` +
        "run `pulumi refresh --clear-pending-creates` or `pulumi up` with the TypeScript classes first",
    );
  const resources: StateResource[] = deployment.resources.map((r: StateResource) => ({ ...r }));
  const renamed = new Map<string, string>();
  for (const r of resources) {
    if (!r.type.startsWith(DYNAMIC_TYPE_PREFIX)) continue;
    const name = r.type.slice(DYNAMIC_TYPE_PREFIX.length);
    if (!resourceTypes().includes(name))
      throw new Error(`${r.urn}: ${r.type} is not a resource of this version of pulumi-panorama`);
    renamed.set(r.urn, withType(r.urn, token(name)));
  }
  if (renamed.size === 0) return { checkpoint: exported, moved: [] };

  const providerUrn = defaultProviderUrn([...renamed.values()][0], PLUGIN_PROVIDER_TYPE);
  let provider = resources.find((r) => r.urn === providerUrn);
  if (!provider) {
    provider = { urn: providerUrn, custom: true, id: randomUUID(), type: PLUGIN_PROVIDER_TYPE };
    // A provider stands before the resources it serves.
    resources.splice(
      resources.findIndex((r) => renamed.has(r.urn)),
      0,
      provider,
    );
  }
  const rename = (urn: string) => renamed.get(urn) ?? urn;
  for (const r of resources) {
    if (renamed.has(r.urn)) {
      r.urn = rename(r.urn);
      r.type = token(r.type.slice(DYNAMIC_TYPE_PREFIX.length));
      r.provider = `${providerUrn}::${provider.id}`;
      for (const props of [r.inputs, r.outputs, r.propertyDependencies])
        if (props) delete props.__provider;
    }
    if (r.parent) r.parent = rename(r.parent);
    if (r.deletedWith) r.deletedWith = rename(r.deletedWith);
    if (r.dependencies) r.dependencies = r.dependencies.map(rename);
    if (r.propertyDependencies)
      r.propertyDependencies = Object.fromEntries(
        Object.entries(r.propertyDependencies).map(([k, urns]) => [k, urns.map(rename)]),
      );
  }
  // The dynamic provider is dropped once nothing uses it (it holds nothing remote).
  const dynamicProvider = defaultProviderUrn(providerUrn, DYNAMIC_PROVIDER_TYPE);
  const used = (urn: string) => resources.some((r) => r.provider?.startsWith(`${urn}::`));
  const kept = resources.filter((r) => r.urn !== dynamicProvider || used(dynamicProvider));
  return {
    checkpoint: { ...exported, deployment: { ...deployment, resources: kept } },
    moved: [...renamed.values()],
  };
}
