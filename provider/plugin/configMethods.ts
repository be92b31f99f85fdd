// CheckConfig, DiffConfig and Configure: the provider's own configuration (providerConfig.ts),
// checked before anything uses it, then applied to every client this provider process makes.
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { ClientFactory } from "../lifecycle/callContext";
import { differs } from "../lifecycle/inputChecks";
import { checkFailures, unary } from "./grpcErrors";
import { provproto } from "./grpcRuntime";
import { fromStruct, toStruct, unwrap } from "./properties";
import { configFailures, PROVIDER_CONFIG, settingsOf } from "./providerConfig";
import { pluginClients } from "./pluginClients";

/**
 * Whether Create and Update are called with `preview` (and answer without calling the service).
 * On: the lifecycle's preview of an update keeps every known output, so an options-only change
 * (an import job's waitOptions) leaves its dependents' inputs known and unchanged. Off, the
 * engine would preview the update as its inputs alone, every other output unknown, and predict
 * a replace of each dependent that the real update then does not do.
 */
export const SUPPORTS_PREVIEW = true;

/** Properties the engine adds to a provider's inputs for itself (plugin version, download URL). */
const ENGINE_KEYS = ["version", "pluginDownloadURL"];

export class ProviderState {
  private factory: ClientFactory | undefined;

  /** The clients of this provider instance: its config once Configure ran, else the environment's. */
  clients(): ClientFactory {
    return (this.factory ??= pluginClients({ endpoints: {} }));
  }

  configure(config: Record<string, unknown>): void {
    const failures = configFailures(config);
    if (failures.length) throw new Error(failures.map((f) => f.reason).join("; "));
    this.factory = pluginClients(settingsOf(config));
  }
}

function providerConfig(s: Parameters<typeof fromStruct>[0]): Record<string, unknown> {
  const config = unwrap(fromStruct(s));
  for (const key of ENGINE_KEYS) delete config[key];
  return config;
}

export function configMethods(state: ProviderState) {
  return {
    checkConfig: unary(async (req: pb.CheckRequest) => {
      const news = providerConfig(req.getNews());
      const resp = new provproto.CheckResponse();
      resp.setInputs(toStruct(fromStruct(req.getNews())));
      resp.setFailuresList(checkFailures(configFailures(news)));
      return resp;
    }),

    // A changed setting applies to the provider in place; whether a resource must move with it
    // (a new region) is the resource's own diff.
    diffConfig: unary(async (req: pb.DiffRequest) => {
      const olds = providerConfig(req.getOlds());
      const news = providerConfig(req.getNews());
      const changed = Object.keys(PROVIDER_CONFIG).filter((key) => differs(olds[key], news[key]));
      const resp = new provproto.DiffResponse();
      const { DiffChanges } = provproto.DiffResponse;
      resp.setChanges(changed.length ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE);
      resp.setDiffsList(changed);
      return resp;
    }),

    configure: unary(async (req: pb.ConfigureRequest) => {
      state.configure(providerConfig(req.getArgs()));
      const resp = new provproto.ConfigureResponse();
      resp.setAcceptsecrets(true);
      resp.setSupportspreview(SUPPORTS_PREVIEW);
      resp.setAcceptresources(false);
      resp.setAcceptoutputs(false);
      return resp;
    }),
  };
}
