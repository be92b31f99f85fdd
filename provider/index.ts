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
export { Package, PackageArgs, PackageStorageLocation } from "./resources/package";
export { PackageVersion, PackageVersionArgs, PackageVersionStatus } from "./resources/packageVersion";
export {
  ApplicationInstance,
  ApplicationInstanceArgs,
  ApplicationInstanceStatus,
  ApplicationInstanceHealthStatus,
  ApplicationInstancePackage,
  RuntimeContextState,
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
export { WaitOptions, DEFAULT_WAIT } from "./calls/wait";
