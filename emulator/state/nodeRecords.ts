// The records of camera-node template jobs, as plain data (times in epoch milliseconds).
import type { Sequenced, Tags, Transition } from "./records";

export type TemplateJobStatus = "PENDING" | "SUCCEEDED" | "FAILED";

/**
 * A template parameter as stored: `sealed` (given back by Describe) or `digest` (write-only,
 * shown as SAVED_AS_SECRET); never the value itself (state/secrets.ts).
 */
export type StoredParameter = { sealed: string } | { digest: string };

export interface TemplateJobRecord extends Sequenced {
  jobId: string;
  templateType: string;
  outputPackageName: string;
  outputPackageVersion: string;
  nodeName: string;
  nodeDescription?: string;
  parameters: Record<string, StoredParameter>;
  jobTags?: { ResourceType: string; Tags: Tags }[];
  createdAt: number;
  lastUpdatedAt: number;
  status: TemplateJobStatus;
  statusMessage: string;
  /** The package and patch the job registered, once SUCCEEDED. */
  output?: { packageId: string; patchVersion: string };
  transition?: Transition;
}
