// Where package artifacts live. Real Panorama hands out an S3 access-point ARN; path-style S3
// clients cannot address an ARN on a custom endpoint, so the emulator uses one ordinary bucket
// per account, created at start, with the real per-package prefixes (reference §3, §4).
import { Runtime } from "../state/runtime";
import { StorageLocation } from "../state/records";
import { ensureBucket } from "../s3/store";

export function storageBucketName(accountId: string): string {
  return `panorama-${accountId}-storage`;
}

export function storageLocation(accountId: string, packageName: string): StorageLocation {
  const repo = `${accountId}/nodePackages/${packageName}`;
  return {
    Bucket: storageBucketName(accountId),
    RepoPrefixLocation: repo,
    GeneratedPrefixLocation: `${repo}/generated`,
    BinaryPrefixLocation: `${repo}/binaries`,
    ManifestPrefixLocation: `${repo}/manifests`,
  };
}

/** Where a registered patch's manifest lives, as panorama-cli uploads it. */
export function manifestKey(location: StorageLocation, version: string, patch: string): string {
  return `${location.ManifestPrefixLocation}/${version}/${patch}.json`;
}

export function ensureStorageBucket(rt: Runtime): void {
  ensureBucket(rt.state, storageBucketName(rt.options.accountId), rt.clock.now());
}
