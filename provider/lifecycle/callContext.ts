// What a front door hands the lifecycle with each call (the contract between the lifecycle and
// its doors). The dynamic resources' door passes nothing, and every default below is what that
// door has always done; a provider plugin passes the engine's deadline, its Cancel, URN-attached
// logs, the clients of its provider config and the preview flag.
import type { PanoramaClient } from "@aws-sdk/client-panorama";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  AwsSettings,
  currentStackSettings,
  panoramaClient,
  resolveRegion,
  singleAttemptClient,
} from "../calls/awsClients";
import { s3Client } from "../calls/s3Client";

export interface CallContext {
  /**
   * The engine's deadline for this operation in seconds (from `customTimeouts`), if any.
   * Where the program also sets `waitOptions.timeoutSeconds`, that wins.
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
   * @default stackClients: the clients from stack config / the SDK's environment
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

/**
 * Clients from the given settings (a provider plugin's `region`, `endpoints`, `profile`), read at
 * each call; the SDK's environment fills in what they leave out.
 */
export function clientsFor(settings: () => AwsSettings): ClientFactory {
  return {
    region: (requested) => resolveRegion(requested, settings()),
    panorama: (region) => panoramaClient(region, settings()),
    singleAttemptPanorama: (region) => singleAttemptClient(region, settings()),
    s3: (region) => s3Client(region, settings()),
  };
}

/** The dynamic door's clients: stack config (`aws:region`, `aws:profile`, `aws:endpoints`), then the SDK's environment. */
export const stackClients: ClientFactory = clientsFor(currentStackSettings);

/** The dynamic door's progress lines: the CLI shows the provider process's stdout while a step runs. */
export function consoleLog(line: string): void {
  console.log(line);
}
