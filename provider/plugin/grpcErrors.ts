// Errors as the engine reads them. A RecordedFailure (the object exists, but did not become what
// the program asked) travels as ErrorResourceInitFailed in the status details, so the engine
// records the object with its outputs and the reasons instead of orphaning it; anything else is a
// plain error whose message the CLI shows.
import type { ServiceError, StatusObject } from "@grpc/grpc-js";
import { RecordedFailure } from "../lifecycle/recordedFailure";
import type { Props } from "../lifecycle/resourceSpec";
import { anyproto, grpc, provproto, statusproto } from "./grpcRuntime";
import type { CheckFailure } from "@pulumi/pulumi/proto/provider_pb";
import { toStruct } from "./properties";

export type GrpcError = Partial<StatusObject> & {
  code: number;
  details?: string;
  message?: string;
};

/**
 * The gRPC error for `error`. `outputs` turns a RecordedFailure's properties into what the engine
 * stores (secrets wrapped).
 */
export function grpcError(error: unknown, outputs: (props: Props) => Props = (p) => p): GrpcError {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof RecordedFailure))
    return { code: grpc.status.UNKNOWN, details: message, message };
  const detail = new provproto.ErrorResourceInitFailed();
  detail.setId(error.id);
  detail.setProperties(toStruct(outputs(error.properties as Props)));
  detail.setReasonsList(error.reasons);
  const packed = new anyproto.Any();
  packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
  const status = new statusproto.Status();
  status.setCode(grpc.status.UNKNOWN);
  status.setMessage(message);
  status.addDetails(packed);
  const metadata = new grpc.Metadata();
  // The Go gRPC client reads structured error details from this trailer.
  metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  return { code: grpc.status.UNKNOWN, details: message, message, metadata };
}

/** A gRPC handler from an async function: its result, or its error as above. */
export function unary<Req, Res>(
  handle: (request: Req) => Promise<Res>,
  onError: (request: Req, error: unknown) => GrpcError = (_r, e) => grpcError(e),
) {
  return (
    call: { request: Req },
    callback: (error: ServiceError | GrpcError | null, value?: Res | null) => void,
  ): void => {
    handle(call.request).then(
      (value) => callback(null, value),
      (error) => callback(onError(call.request, error), null),
    );
  };
}

/** The answer to a method this provider does not serve. */
export function unimplemented(method: string) {
  return (_call: unknown, callback: (error: GrpcError) => void) =>
    callback({
      code: grpc.status.UNIMPLEMENTED,
      details: `${method} is not implemented by the panorama provider`,
    });
}

/** Check failures as the CheckResponse carries them (the CLI prints each reason on its resource). */
export function checkFailures(
  failures: readonly { property: string; reason: string }[],
): CheckFailure[] {
  return failures.map((f) => {
    const failure = new provproto.CheckFailure();
    failure.setProperty(f.property);
    failure.setReason(f.reason);
    return failure;
  });
}
