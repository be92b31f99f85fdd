// Invoke: the lookups (provider/lookups) as `panorama:index:get…` functions, with this provider's
// clients, so every language (and YAML's `fn::invoke`) can call them.
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import { LOOKUPS } from "../lookups/invokes";
import type { ClientFactory } from "../lifecycle/callContext";
import { unary } from "./grpcErrors";
import { provproto } from "./grpcRuntime";
import { containsSecrets, fromStruct, secret, toStruct, unwrap } from "./properties";
import { lookupClients } from "./pluginClients";
import { nameOf, token } from "./tokens";

export function invokeMethod(clients: () => ClientFactory) {
  return unary(async (req: pb.InvokeRequest) => {
    const name = nameOf(req.getTok());
    const lookup = name === undefined ? undefined : LOOKUPS[name];
    if (!lookup)
      throw new Error(
        `the panorama provider has no function ${req.getTok()} (known: ${Object.keys(LOOKUPS).map(token).join(", ")})`,
      );
    const raw = fromStruct(req.getArgs());
    const result = (await lookup(lookupClients(clients()), unwrap(raw))) as Record<string, unknown>;
    // What was looked up with a secret is secret too.
    const returned = containsSecrets(raw)
      ? Object.fromEntries(Object.entries(result).map(([k, v]) => [k, secret(v)]))
      : result;
    const resp = new provproto.InvokeResponse();
    resp.setReturn(toStruct(returned));
    return resp;
  });
}
