// The records of nodes (the interfaces a registered patch declares, as ListNodes and DescribeNode
// show them) and of camera-node template jobs, as plain data (times in epoch milliseconds).
import type { Sequenced, Tags, Transition } from "./records";

export type NodeCategory = "BUSINESS_LOGIC" | "ML_MODEL" | "MEDIA_SOURCE" | "MEDIA_SINK";
export type PortType = "BOOLEAN" | "STRING" | "INT32" | "FLOAT32" | "MEDIA";

export interface PortRecord {
  name: string;
  type?: PortType;
  description?: string;
  defaultValue?: string;
  maxConnections?: number;
}

/** One interface of a node package: what a graph node of that package runs. */
export interface NodeInterfaceRecord {
  name: string;
  category: NodeCategory;
  description?: string;
  assetName?: string;
  inputs: PortRecord[];
  outputs: PortRecord[];
}

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
