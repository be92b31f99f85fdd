// The public API of pulumi-panorama. Nothing else is public.
export {
  PackageImportJob,
  PackageImportJobArgs,
  PackageImportJobType,
  PackageImportJobStatus,
  PackageImportJobInputConfigArgs,
  PackageImportJobOutputConfigArgs,
  PackageVersionOutputConfigArgs,
  PackageImportJobOutputValue,
  S3LocationArgs,
  JobResourceTagsArgs,
} from "./packageImportJob";
export { WaitOptions, DEFAULT_WAIT } from "./wait";
