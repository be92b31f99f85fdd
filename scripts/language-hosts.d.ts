// Types for language-hosts.js, which stays plain JavaScript so it runs before any build.

export const PULUMI_VERSION: string;
export const YAML_VERSION: string;
/** What a language host reports through its GetPluginInfo, e.g. "v1.25.0". */
export function reportedVersion(hostPath: string): Promise<string>;
