// The interfaces a registered patch declares, as ListNodes and DescribeNode show them (a node is
// one interface of a package version's patch).

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
