// Types for gen-sdk.js, which stays plain JavaScript so it runs before any build.

export const LANGUAGES: string[];
/** This project's schema.json. */
export const PROJECT_SCHEMA: string;
/** This project's committed SDKs (sdk/nodejs, sdk/python, sdk/go). */
export const PROJECT_SDK_DIR: string;
/** The command that regenerates them: `npm run gen-sdk`. */
export const REGENERATE: string;

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
