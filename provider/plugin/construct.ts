// Construct: the fleet rollout (PanoramaApplication) as a component of any language's program. The
// plugin runs the same component a TypeScript program does, as a Pulumi program against the
// engine's monitor, with its children declared as this plugin's own resource types under the
// component's provider: the engine then sends their operations back to this plugin, through the
// one lifecycle. Answers the component's URN and its outputs (secrets stay secret).
import * as pulumi from "@pulumi/pulumi";
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import {
  PANORAMA_APPLICATION_OUTPUTS,
  PanoramaApplication,
  PanoramaApplicationArgs,
  PASSED_ON_ARGS,
  TYPESCRIPT_ONLY_ARGS,
} from "../components/panoramaApplication";
import { UsageError } from "../userError";
import { onlyCameraCredentialsSecret, withSecretCameraCredentials } from "./constructSecrets";
import { unary } from "./grpcErrors";
import { provproto, structproto } from "./grpcRuntime";
import { PLUGIN_DOOR } from "./pluginResources";
import {
  asProgram,
  constructInputs,
  constructOptions,
  outputValue,
  serializedState,
} from "./sdkRuntime";
import { COMPONENTS, nameOf, token } from "./tokens";

export function constructMethod(engineAddress: string | undefined) {
  return unary(async (req: pb.ConstructRequest) => {
    const type = req.getType();
    if (!COMPONENTS.includes(nameOf(type) ?? ""))
      throw new Error(
        `the panorama provider has no component type ${type} (known: ${COMPONENTS.map(token).join(", ")})`,
      );
    return asProgram(req, engineAddress, async () => {
      const args = await componentArgs(
        await constructInputs(req),
        req.getInputs()?.toJavaScript() ?? {},
      );
      const app = new PanoramaApplication(req.getName(), args, constructOptions(req), PLUGIN_DOOR);
      const outputs = Object.fromEntries(PANORAMA_APPLICATION_OUTPUTS.map((k) => [k, app[k]]));
      const [state, dependencies] = await serializedState(`construct(${type})`, outputs);
      const resp = new provproto.ConstructResponse();
      resp.setUrn((await outputValue(app.urn)).value as string);
      resp.setState(structproto.Struct.fromJavaScript(state as any));
      const map = resp.getStatedependenciesMap();
      for (const [key, resources] of dependencies) {
        const deps = new provproto.ConstructResponse.PropertyDependencies();
        const urns = [...resources].map(async (r) => (await outputValue(r.urn)).value as string);
        deps.setUrnsList(await Promise.all(urns));
        map.set(key, deps);
      }
      return resp;
    });
  });
}

/** The component's arguments: plain values where it reads them, Outputs where it passes them on. */
async function componentArgs(
  inputs: Record<string, unknown>,
  rawInputs: Record<string, unknown>,
): Promise<PanoramaApplicationArgs> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if ((TYPESCRIPT_ONLY_ARGS as readonly string[]).includes(key))
      throw new UsageError(
        `PanoramaApplication: ${key} is for TypeScript programs; give projectDir (a panorama-cli project directory) instead.`,
      );
    if ((PASSED_ON_ARGS as readonly string[]).includes(key) || !pulumi.Output.isInstance(value)) {
      args[key] = value;
      continue;
    }
    const secret = await pulumi.isSecret(value);
    if (secret && key === "devices" && onlyCameraCredentialsSecret(rawInputs[key])) {
      const { value: plain, known } = await outputValue(value);
      if (known) {
        args[key] = withSecretCameraCredentials(plain);
        continue;
      }
    }
    if (secret)
      throw new UsageError(
        `PanoramaApplication: ${key} cannot be a secret: it decides which resources the rollout declares (only ${PASSED_ON_ARGS.join(", ")} can be).`,
      );
    const { value: plain, known } = await outputValue(value);
    if (!known)
      throw new UsageError(
        `PanoramaApplication: ${key} must be known when the program runs (it decides which resources the rollout declares); give it as a value or config, not another resource's output.`,
      );
    args[key] = plain;
  }
  return args as unknown as PanoramaApplicationArgs;
}
