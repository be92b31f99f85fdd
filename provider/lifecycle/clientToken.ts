// Deterministic ClientTokens. An interrupted `pulumi up` (process killed mid-wait, nothing in
// state) sends the same token again and so re-adopts the job it already started instead of
// creating a duplicate. The token depends only on the stack, the resource name and the job
// parameters, so changing any parameter starts a new job.
import { createHash } from "crypto";
import { canonicalJson } from "../../model/canonicalJson";

/** Prefix of generated tokens, so they are recognisable in the console and in CloudTrail. */
const PREFIX = "pulumi-";

export function deterministicClientToken(
  scope: { project: string; stack: string; name: string },
  params: unknown,
): string {
  const digest = createHash("sha256")
    .update(canonicalJson([scope.project, scope.stack, scope.name, params]))
    .digest("hex");
  return PREFIX + digest.slice(0, 40);
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

export { canonicalJson };
