// Values derived from the stack, the resource name and what the resource asks for, so that an
// interrupted `pulumi up` (process killed mid-wait, nothing in state) finds again what it already
// made instead of making it twice: the ClientToken of an import job (the service deduplicates by
// it), and the marker-tag values of packages and instances (`packageKey`, `deploymentKey`), which
// the provider looks for itself.
import { createHash } from "crypto";
import { canonicalJson } from "../../model/canonicalJson";

/** Prefix of derived values, so they are recognisable in the console and in CloudTrail. */
const PREFIX = "pulumi-";

/** Where a resource is declared: its project, stack and name. */
export interface StackScope {
  project: string;
  stack: string;
  name: string;
}

/** `pulumi-` and the first 40 hex digits of the sha256 of `parts` as canonical JSON. */
export function derivedValue(parts: unknown): string {
  return PREFIX + createHash("sha256").update(canonicalJson(parts)).digest("hex").slice(0, 40);
}

/**
 * The ClientToken of a job: a change of any job parameter starts a new job; the same parameters in
 * the same place find the job an interrupted run started.
 */
export function deterministicClientToken(scope: StackScope, params: unknown): string {
  return derivedValue([scope.project, scope.stack, scope.name, params]);
}

/**
 * The value of a resource's marker tag (`packageKey`, `deploymentKey`): the same for one resource
 * name in one stack over its whole life, whatever its inputs, so every object it makes carries it.
 */
export function resourceKey(scope: StackScope, type: string): string {
  return derivedValue([scope.project, scope.stack, scope.name, type]);
}

/**
 * The token of retry `attempt` (0 = the token itself). A FAILED job keeps its token forever, so
 * retrying after the user fixed the package needs a fresh one; the suffix keeps retries
 * deterministic too. Tokens are at most 64 characters.
 */
export function attemptClientToken(token: string, attempt: number): string {
  if (attempt === 0) return token;
  const suffix = `-r${attempt}`;
  return token.slice(0, 64 - suffix.length) + suffix;
}
