// Types for go-quickstart.js, which stays plain JavaScript so it runs before any build.

/** examples/go, the Go module of the quickstart. */
export const EXAMPLE_DIR: string;

export function ensureGoQuickstart(options?: {
  /** Where the binary is cached (in its examples/). @default the Pulumi CLI's cache */
  cacheDir?: string;
  log?: (line: string) => void;
}): Promise<{ path: string; built: boolean; seconds?: number }>;
