// The gRPC library and the generated protobufs of Pulumi's provider protocol, exactly as the
// program's @pulumi/pulumi ships them (its dynamic-provider host serves the same protocol with
// them). They are loaded through the SDK's own dependencies, so the messages, their Struct
// fields and the server are one copy of each, whatever the program's node_modules look like.
import { createRequire } from "module";

const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));

export const grpc: typeof import("@grpc/grpc-js") = sdkRequire("@grpc/grpc-js");
export const structproto: typeof import("google-protobuf/google/protobuf/struct_pb") = sdkRequire(
  "google-protobuf/google/protobuf/struct_pb",
);
export const emptyproto: typeof import("google-protobuf/google/protobuf/empty_pb") = sdkRequire(
  "google-protobuf/google/protobuf/empty_pb",
);
export const anyproto: typeof import("google-protobuf/google/protobuf/any_pb") = sdkRequire(
  "google-protobuf/google/protobuf/any_pb",
);
export const provproto: typeof import("@pulumi/pulumi/proto/provider_pb") =
  sdkRequire("./proto/provider_pb");
export const provrpc: typeof import("@pulumi/pulumi/proto/provider_grpc_pb") = sdkRequire(
  "./proto/provider_grpc_pb",
);
export const plugproto: typeof import("@pulumi/pulumi/proto/plugin_pb") =
  sdkRequire("./proto/plugin_pb");
export const statusproto: typeof import("@pulumi/pulumi/proto/status_pb") =
  sdkRequire("./proto/status_pb");
export const engineproto: typeof import("@pulumi/pulumi/proto/engine_pb") =
  sdkRequire("./proto/engine_pb");
export const enginerpc: typeof import("@pulumi/pulumi/proto/engine_grpc_pb") =
  sdkRequire("./proto/engine_grpc_pb");
