// Types for go-tools.js, which stays plain JavaScript so it runs before any build.

/** The flags every Go tool here is built with (so the Go build cache is shared between them). */
export const GO_BUILD_FLAGS: string[];

export class ToolBuildError extends Error {}

export interface GoTool {
  name: string;
  /** A package of the module in `cwd`, or `module/path/cmd@version` built on its own go.mod. */
  pkg: string;
  cwd?: string;
  isCurrent: () => boolean;
  stamp?: string;
  ldflags?: string;
  about: string;
  alternative: string;
}

export function stampOf(what: { sources?: string[]; identity?: string }): string;
export function isBuiltFrom(binDir: string, name: string, stamp: string): boolean;
export function ensureGoTool(
  binDir: string,
  tool: GoTool,
  log: (line: string) => void,
): Promise<{ path: string; built: boolean; seconds?: number }>;
export function withBuildLock<T>(
  cacheDir: string,
  name: string,
  log: (line: string) => void,
  fn: () => Promise<T>,
): Promise<T>;
