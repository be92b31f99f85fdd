// Types for gen-sdk.js, which stays plain JavaScript so it runs before any build.

export const LANGUAGES: string[];

export interface SdkgenOptions {
  /** Where pulumi-sdkgen is cached (in its bin/). @default the Pulumi CLI's cache */
  cacheDir?: string;
  log?: (line: string) => void;
}

export function ensureSdkgen(
  options?: SdkgenOptions,
): Promise<{ path: string; built: boolean; seconds?: number }>;

export interface GenerateSdksOptions extends SdkgenOptions {
  /** Path of schema.json. */
  schema: string;
  /** Receives one directory per language. */
  outDir: string;
  /** @default ["nodejs", "python", "go"] */
  languages?: string[];
  /** Replaces `${VERSION}` in the nodejs package.json. @default the schema's `version` */
  version?: string;
}

export function generateSdks(
  options: GenerateSdksOptions,
): Promise<{ languages: string[]; sdkgenPath: string; output: string }>;
