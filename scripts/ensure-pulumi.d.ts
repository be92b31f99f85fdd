// Types for ensure-pulumi.js, which stays plain JavaScript so it runs before any build.

export interface EnsurePulumiOptions {
  /** @default $PULUMI_PANORAMA_CLI_CACHE or ~/.cache/pulumi-panorama/cli-v3.248.0 */
  cacheDir?: string;
  /** Consider a `pulumi` on PATH. @default true */
  usePath?: boolean;
  /** Language hosts beyond Node.js to have beside `pulumi`: "yaml" (pulumi-language-yaml). @default [] */
  languages?: string[];
  /** Progress lines. @default written to stderr */
  log?: (line: string) => void;
}

export interface EnsuredPulumi {
  /** Holds `pulumi`, or for the cache also `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
  binDir: string;
  pulumiPath: string;
  /** Without the leading "v", e.g. "3.248.0". */
  version: string;
  source: "path" | "cache" | "built";
  /** For `PulumiCommand.get({ root })`, which runs `<root>/bin/pulumi`. */
  root: string;
  /** The path of each language host asked for, beside the real `pulumi` binary. */
  languageHosts: Record<string, string>;
}

export class EnsurePulumiError extends Error {}
export const PULUMI_VERSION: string;
export function defaultCacheDir(): string;
export function ensurePulumi(options?: EnsurePulumiOptions): Promise<EnsuredPulumi>;
