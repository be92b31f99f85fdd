// What a front door hands the lifecycle with each call (CONTRACT: the lifecycle and its doors).
// The dynamic door passes none, so its behaviour stays as it is; the provider plugin passes the
// engine's deadline, the Cancel signal, a log attached to the resource and its provider config.
import type { PanoramaClient } from "@aws-sdk/client-panorama";
import type { S3Client } from "@aws-sdk/client-s3";

export interface CallContext {
  /**
   * The engine's deadline for this operation in seconds (from `customTimeouts`), if any.
   * Where the program also sets `waitOptions.timeoutSeconds`, that wins (documented).
   */
  timeoutSeconds?: number;
  /**
   * Aborted when the engine cancels (the plugin's Cancel, a SIGINT). Every wait and retry sleep
   * stops at once; a create/update that was waiting ends as a RecordedFailure (the object is kept
   * in state as still in progress, and the next `pulumi up` resumes it).
   */
  signal?: AbortSignal;
  /** Where this operation's progress lines go. @default console.log (the dynamic door) */
  log?: (line: string) => void;
  /**
   * Makes the SDK clients and resolves the region for this call (the seam: unit tests inject
   * fakes; the plugin applies its provider config — region, endpoints, profile).
   * @default the clients from stack config / the SDK's environment, as today
   */
  clients?: ClientFactory;
  /** Preview: `update` returns the outputs it would produce, with no call to the service. */
  preview?: boolean;
}

export interface ClientFactory {
  /** The region a resource's `region` input (or none) resolves to. */
  region(requested: string | undefined): string;
  /** The Panorama client for a region (shared per region and settings). */
  panorama(region: string): PanoramaClient;
  /** A Panorama client that makes exactly one attempt per request (createOnce's lost-answer logic). */
  singleAttemptPanorama(region: string): PanoramaClient;
  /** The S3 client for a region (S3Object, manifest uploads). */
  s3(region: string): S3Client;
}
