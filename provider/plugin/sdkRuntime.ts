// The Node SDK's program runtime, pointed at the engine's resource monitor for one Construct, as
// @pulumi/pulumi/provider's stock server does it (3.248): the runtime's settings (project, stack,
// monitor, engine, preview, parallelism), the stack config, resources registered in that call's
// own async store, and the answer held until every registration is done. These parts of the SDK
// are not in its typings, hence the narrow declarations below.
import * as pulumi from "@pulumi/pulumi";
import type * as pb from "@pulumi/pulumi/proto/provider_pb";

interface Settings {
  resetOptions(
    project: string,
    stack: string,
    parallel: number,
    engineAddr: string,
    monitorAddr: string,
    preview: boolean,
    organization: string,
  ): void;
  awaitFeatureSupport(): Promise<void>;
  waitForRPCs(): Promise<void>;
}

const settings: Settings = require("@pulumi/pulumi/runtime/settings");
const state: {
  withLocalStorage<T>(fn: () => Promise<T>): Promise<T>;
} = require("@pulumi/pulumi/runtime/state");
const config: {
  setAllConfig(c: Record<string, string>, secretKeys: string[]): void;
} = require("@pulumi/pulumi/runtime/config");
const rpc: {
  serializeResourceProperties(
    label: string,
    props: Record<string, unknown>,
  ): Promise<[Record<string, unknown>, Map<string, Set<pulumi.Resource>>]>;
} = require("@pulumi/pulumi/runtime/rpc");
const sdkServer: {
  deserializeInputs(
    inputs: ReturnType<pb.ConstructRequest["getInputs"]>,
    deps: ReturnType<pb.ConstructRequest["getInputdependenciesMap"]>,
  ): Promise<Record<string, unknown>>;
} = require("@pulumi/pulumi/provider/server");

/**
 * Runs `program` as a Pulumi program of the request's stack, registering through the engine's
 * monitor. A registration that fails surfaces as an unhandled rejection in the SDK: it fails this
 * call instead of leaving the engine waiting.
 */
export function asProgram<T>(
  req: pb.ConstructRequest,
  engineAddress: string | undefined,
  program: () => Promise<T>,
): Promise<T> {
  if (!engineAddress)
    throw new Error("Construct needs the engine's address (the plugin's argument)");
  return state.withLocalStorage(async () => {
    settings.resetOptions(
      req.getProject(),
      req.getStack(),
      req.getParallel(),
      engineAddress,
      req.getMonitorendpoint(),
      req.getDryrun(),
      req.getOrganization(),
    );
    await settings.awaitFeatureSupport();
    config.setAllConfig(Object.fromEntries(req.getConfigMap().entries()), [
      ...req.getConfigsecretkeysList(),
    ]);
    let onFailure: (e: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (onFailure = reject));
    process.on("unhandledRejection", onFailure);
    try {
      const result = await Promise.race([program(), failed]);
      await Promise.race([settings.waitForRPCs(), failed]);
      return result;
    } finally {
      process.off("unhandledRejection", onFailure);
    }
  });
}

/** The request's inputs as the SDK gives a component: secrets and unknowns as Outputs. */
export function constructInputs(req: pb.ConstructRequest): Promise<Record<string, unknown>> {
  return sdkServer.deserializeInputs(req.getInputs(), req.getInputdependenciesMap());
}

/** The component options of the request: its parent, providers and dependencies. */
export function constructOptions(req: pb.ConstructRequest): pulumi.ComponentResourceOptions {
  const providers = [...req.getProvidersMap().entries()].map(
    ([, ref]) => new pulumi.DependencyProviderResource(ref),
  );
  return {
    parent: req.getParent() ? new pulumi.DependencyResource(req.getParent()) : undefined,
    providers,
    dependsOn: req.getDependenciesList().map((urn) => new pulumi.DependencyResource(urn)),
    protect: req.getProtect(),
  };
}

/** State as the ConstructResponse carries it, with each property's dependencies. */
export function serializedState(
  label: string,
  props: Record<string, unknown>,
): Promise<[Record<string, unknown>, Map<string, Set<pulumi.Resource>>]> {
  return rpc.serializeResourceProperties(label, props);
}

/** An Output's value (undefined where it is unknown), and whether it is known, as the SDK has them. */
export async function outputValue(
  output: pulumi.Output<unknown>,
): Promise<{ value: unknown; known: boolean }> {
  const o = output as unknown as { promise(): Promise<unknown>; isKnown: Promise<boolean> };
  return { value: await o.promise(), known: await o.isKnown };
}
