// The provider plugin `pulumi-resource-panorama`: Pulumi's ResourceProvider gRPC service, served
// by this package itself (the SDK's stock provider server drops config, timeouts, secrets and
// previews). The engine starts one process per provider instance, passes its own address as the
// last argument and reads the port this prints on stdout.
import * as fs from "fs";
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import { parseAddress, watchEngineAt } from "../lifecycle/engineWatch";
import { configMethods, ProviderState } from "./configMethods";
import { constructMethod } from "./construct";
import { EngineLog } from "./engineLog";
import { unary, unimplemented } from "./grpcErrors";
import { emptyproto, grpc, plugproto, provproto, provrpc } from "./grpcRuntime";
import { invokeMethod } from "./invokes";
import { Operations } from "./operations";
import { packageVersion, schemaPath } from "./packageFiles";
import { resourceMethods } from "./resourceMethods";

/** The engine's address among the plugin's arguments: the last one (flags such as -v come first). */
export function engineAddressOf(args: string[]): string | undefined {
  const last = args[args.length - 1];
  return parseAddress(last) ? last : undefined;
}

export interface RunningPlugin {
  port: number;
  server: import("@grpc/grpc-js").Server;
  operations: Operations;
  stop(): Promise<void>;
}

export async function startPlugin(args: string[]): Promise<RunningPlugin> {
  const engineAddress = engineAddressOf(args);
  const engineLog = new EngineLog(engineAddress);
  const state = new ProviderState();
  const operations = new Operations(engineLog, () => state.clients());

  const service = {
    ...resourceMethods(operations),
    ...configMethods(state),
    invoke: invokeMethod(() => state.clients()),
    construct: constructMethod(engineAddress),
    getSchema: unary(async (req: pb.GetSchemaRequest) => {
      if (req.getSubpackageName())
        throw new Error(`the panorama provider has no sub-package ${req.getSubpackageName()}`);
      const resp = new provproto.GetSchemaResponse();
      resp.setSchema(fs.readFileSync(schemaPath(), "utf8"));
      return resp;
    }),
    getPluginInfo: unary(async () => {
      const info = new plugproto.PluginInfo();
      info.setVersion(packageVersion());
      return info;
    }),
    cancel: unary(async () => {
      operations.cancel();
      return new emptyproto.Empty();
    }),
    // Not served: the engine falls back to Configure's answer, no parameterization, no lists.
    handshake: unimplemented("Handshake"),
    parameterize: unimplemented("Parameterize"),
    call: unimplemented("Call"),
    attach: unimplemented("Attach"),
    getMapping: unimplemented("GetMapping"),
    getMappings: unimplemented("GetMappings"),
    list: (call: { emit(event: "error", e: unknown): void }) =>
      call.emit("error", {
        code: grpc.status.UNIMPLEMENTED,
        details: "List is not implemented by the panorama provider",
      }),
  };

  // Waits can take hours: no limit on how long a request may run, none on message sizes.
  const server = new grpc.Server({
    "grpc.max_receive_message_length": -1,
    "grpc.max_send_message_length": -1,
  });
  server.addService(provrpc.ResourceProviderService, service as any);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  // No orphans: when the engine is gone (killed), this process stops its waits and exits.
  watchEngineAt(engineAddress);
  return {
    port,
    server,
    operations,
    stop: () =>
      new Promise((resolve) => {
        engineLog.close();
        server.tryShutdown(() => resolve());
      }),
  };
}
