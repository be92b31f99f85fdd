// Panorama errors as the real service sends them: status from the model's httpError trait,
// `x-amzn-errortype: <Name>` and a JSON body with `Message` plus the modeled members.
import { shape, Violation } from "../../model/panoramaModel";
import { HttpReply } from "./http";

export type ModeledErrorName =
  | "AccessDeniedException"
  | "ConflictException"
  | "InternalServerException"
  | "ResourceNotFoundException"
  | "ServiceQuotaExceededException"
  | "ValidationException";

/** Names the emulator sends that are not in the model; the SDK surfaces them as PanoramaServiceException. */
export type UnmodeledErrorName =
  "UnknownOperationException" | "RequestEntityTooLargeException" | string;

export type ResourceType =
  | "Package"
  | "PackageVersion"
  | "PackageImportJob"
  | "NodeFromTemplateJob"
  | "Node"
  | "ApplicationInstance"
  | "Device"
  | "DeviceJob"
  | "Resource";

export class PanoramaError extends Error {
  constructor(
    readonly errorType: ModeledErrorName | UnmodeledErrorName,
    message: string,
    readonly members: Record<string, unknown> = {},
    readonly status: number = statusOf(errorType),
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { Message: this.message, ...this.members };
  }
}

function statusOf(name: string): number {
  return modeledErrorStatus(name) ?? 400;
}

/** The HTTP status the model gives an error name, or undefined for a name it does not model. */
export function modeledErrorStatus(name: string): number | undefined {
  try {
    const status = shape(name).traits?.["smithy.api#httpError"];
    return typeof status === "number" ? status : undefined;
  } catch {
    return undefined;
  }
}

/** The restJson1 error answer: the status, `x-amzn-errortype` and the JSON body. */
export function panoramaErrorReply(e: PanoramaError): HttpReply {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-amzn-errortype": e.errorType,
    ...e.headers,
  };
  return { status: e.status, headers, body: JSON.stringify(e.body()) };
}

export function validationError(violations: Violation[]): PanoramaError {
  const n = violations.length;
  const detail = violations
    .map((v) => `Value at '${v.path}' failed to satisfy constraint: ${v.rule}`)
    .join("; ");
  return new PanoramaError(
    "ValidationException",
    `${n} validation error${n === 1 ? "" : "s"} detected: ${detail}`,
    {
      Reason: "FIELD_VALIDATION_FAILED",
      Fields: violations.map((v) => ({ Name: v.path, Message: v.rule })),
    },
  );
}

/** A request that is well-formed but refers to something unusable, named by its member. */
export function invalidField(member: string, message: string): PanoramaError {
  return new PanoramaError("ValidationException", message, {
    Reason: "FIELD_VALIDATION_FAILED",
    Fields: [{ Name: member, Message: message }],
  });
}

export function cannotParse(message: string): PanoramaError {
  return new PanoramaError("ValidationException", message, { Reason: "CANNOT_PARSE" });
}

export function notFound(
  resourceType: ResourceType,
  resourceId: string,
  message?: string,
): PanoramaError {
  return new PanoramaError(
    "ResourceNotFoundException",
    message ?? `${resourceType} ${resourceId} was not found.`,
    {
      ResourceId: resourceId,
      ResourceType: resourceType,
    },
  );
}

export function conflict(
  resourceType: ResourceType,
  resourceId: string,
  message: string,
  errorArguments?: Record<string, string>,
): PanoramaError {
  return new PanoramaError("ConflictException", message, {
    ResourceId: resourceId,
    ResourceType: resourceType,
    ...(errorArguments && {
      ErrorArguments: Object.entries(errorArguments).map(([Name, Value]) => ({ Name, Value })),
    }),
  });
}

export function quotaExceeded(
  quotaCode: string,
  message: string,
  resource?: { id: string; type: ResourceType },
): PanoramaError {
  return new PanoramaError("ServiceQuotaExceededException", message, {
    QuotaCode: quotaCode,
    ServiceCode: "panorama",
    ...(resource && { ResourceId: resource.id, ResourceType: resource.type }),
  });
}

export function accessDenied(message: string): PanoramaError {
  return new PanoramaError("AccessDeniedException", message);
}

export function internalError(message: string): PanoramaError {
  return new PanoramaError("InternalServerException", message);
}
