// The public API of pulumi-panorama. Nothing else is public.
// Inputs are `…Args` (they may hold Inputs); outputs are plain interfaces of the same name without
// `Args` (what `apply` sees).
export {
  PackageImportJob,
  PackageImportJobArgs,
  PackageImportJobType,
  PackageImportJobStatus,
  PackageImportJobInputConfigArgs,
  PackageImportJobOutputConfigArgs,
  PackageVersionInputConfigArgs,
  PackageVersionOutputConfigArgs,
  S3LocationArgs,
  JobResourceTagsArgs,
  PackageImportJobInputConfig,
  PackageImportJobOutputConfig,
  PackageVersionInputConfig,
  PackageVersionOutputConfig,
  S3Location,
  JobResourceTags,
  PackageImportJobOutput,
  PackageImportJobOutputValue,
} from "./resources/packageImportJob";
export { CameraNode, CameraNodeArgs, CameraTemplateParametersArgs } from "./resources/cameraNode";
export { DeviceJob, DeviceJobArgs, DeviceJobStatus, DeviceJobType } from "./resources/deviceJob";
export { Package, PackageArgs, PackageStorageLocation, PACKAGE_KEY_TAG } from "./resources/package";
export {
  PackageVersion,
  PackageVersionArgs,
  PackageVersionStatus,
} from "./resources/packageVersion";
export {
  ApplicationInstance,
  ApplicationInstanceArgs,
  ApplicationInstanceStatus,
  ApplicationInstanceHealthStatus,
  ApplicationInstancePackage,
  RuntimeContextState,
  UNHEALTHY_GRACE_SECONDS,
} from "./resources/applicationInstance";
export {
  applicationManifest,
  applicationManifestOutput,
  manifestOverrides,
  manifestOverridesOutput,
  packageRef,
  packageRefOutput,
  packageInclude,
  interfaceOf,
  validateApplicationManifest,
  validateManifestOverrides,
  ManifestValidationError,
  ApplicationManifest,
  ApplicationManifestArgs,
  ManifestOverrides,
  ManifestOverridesArgs,
  ImportedPackageArgs,
  PackageRef,
  PackageInclude,
  PackageSpec,
  NodeSpec,
  GraphNode,
  Edge,
  DeepInput,
} from "./manifest/applicationManifest";
// The graph.json shapes the builder's types are made of.
export {
  NodeGraph,
  NodeLaunch,
  InterfaceNode,
  ValueNode,
  BooleanValueNode,
  Float32ValueNode,
  Int32ValueNode,
  StringValueNode,
  PackageInterfaceNode,
  NodeDecorator,
  NetworkRoutingRule,
  NodeOverride,
  NodeGraphOverrides,
  NodeOverrideSpec,
  ManifestOverridesOptions,
} from "./manifest/manifestTypes";
export { WaitOptions, DEFAULT_WAIT } from "./calls/wait";

// A panorama-cli project deployed across a fleet (issue 11).
export {
  PanoramaApplication,
  PanoramaApplicationArgs,
  FleetDevice,
  FleetCamera,
  FleetDeployment,
  NodeOverrideValue,
  DeviceSoftwareBaseline,
} from "./components/panoramaApplication";
export { RolloutPolicy, DEFAULT_ROLLOUT } from "./components/rollout";
export {
  readPanoramaProject,
  PanoramaProject,
  ProjectPackage,
  ProjectAsset,
  ProjectError,
} from "./components/panoramaProject";
export { DeviceLookup, DeviceLookupArgs } from "./resources/deviceLookup";
export { HealthGate, HealthGateArgs } from "./resources/healthGate";
export { SoftwareBaseline, SoftwareBaselineArgs } from "./resources/softwareBaseline";
export { S3Object, S3ObjectArgs } from "./resources/s3Object";

// Lookups (aws-native's getX / getXOutput shape): they call Panorama from the program.
export {
  getDevice,
  getDeviceOutput,
  getDevices,
  getDevicesOutput,
  GetDeviceArgs,
  GetDeviceResult,
  GetDevicesArgs,
  GetDevicesResult,
  DeviceSummary,
  DeviceAggregatedStatus,
  DeviceBrand,
  DeviceConnectionStatus,
  DeviceProvisioningStatus,
  DeviceType,
} from "./lookups/devices";
export {
  getPackage,
  getPackageOutput,
  getPackageVersion,
  getPackageVersionOutput,
  GetPackageArgs,
  GetPackageResult,
  GetPackageVersionArgs,
  GetPackageVersionResult,
} from "./lookups/packages";
export {
  getApplicationInstance,
  getApplicationInstanceOutput,
  GetApplicationInstanceArgs,
  GetApplicationInstanceResult,
} from "./lookups/applicationInstances";
export {
  getNode,
  getNodeOutput,
  getNodes,
  getNodesOutput,
  BUILT_IN_NODE_OWNER,
  GetNodeArgs,
  GetNodeResult,
  GetNodesArgs,
  GetNodesResult,
  NodeCategory,
  NodeInputPort,
  NodeOutputPort,
  NodeSummary,
  PortType,
} from "./lookups/nodes";
export {
  getDeviceJob,
  getDeviceJobOutput,
  GetDeviceJobArgs,
  GetDeviceJobResult,
} from "./lookups/deviceJobs";
export { LookupOutputArgs } from "./lookups/lookupCalls";
