// Groups of application-instance statuses, written once for the emulator and the provider.
// ListApplicationInstances' StatusFilter names two of them (PROCESSING_DEPLOYMENT,
// PROCESSING_REMOVAL); the others are how both sides reason about an instance's life.
import type { ApplicationInstanceStatus } from "./panoramaTypes";

/** A deployment under way (the StatusFilter PROCESSING_DEPLOYMENT). */
export const DEPLOYING_STATUSES: readonly ApplicationInstanceStatus[] = [
  "DEPLOYMENT_PENDING",
  "DEPLOYMENT_REQUESTED",
  "DEPLOYMENT_IN_PROGRESS",
];
/** A deployment that ended without running. */
export const DEPLOYMENT_FAILED_STATUSES: readonly ApplicationInstanceStatus[] = [
  "DEPLOYMENT_FAILED",
  "DEPLOYMENT_ERROR",
];
/** A removal under way (the StatusFilter PROCESSING_REMOVAL). */
export const REMOVING_STATUSES: readonly ApplicationInstanceStatus[] = [
  "REMOVAL_PENDING",
  "REMOVAL_REQUESTED",
  "REMOVAL_IN_PROGRESS",
];
/** Removed from the device; the record stays readable. */
export const REMOVED_STATUS: ApplicationInstanceStatus = "REMOVAL_SUCCEEDED";
/** On the device, or about to be: the instances a new deployment replaces. */
export const LIVE_STATUSES: readonly ApplicationInstanceStatus[] = [
  ...DEPLOYING_STATUSES,
  "DEPLOYMENT_SUCCEEDED",
];
/** Left the device, or leaving it. */
export const GONE_STATUSES: readonly ApplicationInstanceStatus[] = [
  ...REMOVING_STATUSES,
  REMOVED_STATUS,
  "REMOVAL_FAILED",
];
/** What each grouped ListApplicationInstances StatusFilter value stands for. */
export const STATUS_FILTER_GROUPS: Readonly<Record<string, readonly ApplicationInstanceStatus[]>> =
  {
    PROCESSING_DEPLOYMENT: DEPLOYING_STATUSES,
    PROCESSING_REMOVAL: REMOVING_STATUSES,
  };

export function isStatusIn(
  group: readonly ApplicationInstanceStatus[],
  status: string | undefined,
): boolean {
  return status !== undefined && (group as readonly string[]).includes(status);
}
