// The nodes of the `panorama` owner every account may use in a graph: the abstract RTSP camera
// (replaced per device by a camera node in the overrides) and the HDMI sink, as the developer
// guide names them (reference panorama-api-nodes-jobs.md S6). Their ids and patches are ours.
import { BUILT_IN_OWNER } from "../../model/graphRules";
import { sha256Hex, stableId } from "../state/ids";
import { NodeInterfaceRecord } from "../state/nodeInterfaces";

export interface BuiltInPackage {
  name: string;
  version: string;
  node: NodeInterfaceRecord;
}

export const BUILT_IN_PACKAGES: readonly BuiltInPackage[] = [
  {
    name: "abstract_rtsp_media_source",
    version: "1.0",
    node: {
      name: "rtsp_v1_interface",
      category: "MEDIA_SOURCE",
      description: "An abstract RTSP camera stream, replaced by a camera node in the overrides.",
      assetName: "rtsp_v1_asset",
      inputs: [],
      outputs: [{ name: "video_out", type: "MEDIA", description: "The camera's video frames." }],
    },
  },
  {
    name: "hdmi_data_sink",
    version: "1.0",
    node: {
      name: "hdmi0",
      category: "MEDIA_SINK",
      description: "The appliance's HDMI output.",
      assetName: "hdmi0_asset",
      inputs: [{ name: "video_in", type: "MEDIA", description: "Frames to show." }],
      outputs: [],
    },
  },
];

/** When the built-ins were published (they never change). */
export const BUILT_IN_CREATED_AT = Date.UTC(2021, 0, 1);

/** The patch of a built-in package (or of any `panorama::` package a graph names). */
export function builtInPatch(name: string, version: string): string {
  return sha256Hex(`${BUILT_IN_OWNER}::${name}@${version}`);
}

export function builtInPackageId(name: string): string {
  return stableId("package", `${BUILT_IN_OWNER}/${name}`);
}
