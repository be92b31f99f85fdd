// "The object does not exist", decided in one place: Panorama answers 404
// ResourceNotFoundException; S3's HeadObject answers a bare 404 (NotFound), GetObject NoSuchKey.
import { errorName } from "../calls/awsClients";

/** True for an answer that says the object does not exist. */
export function isNotFound(error: unknown): boolean {
  const name = errorName(error);
  return (
    name === "ResourceNotFoundException" ||
    name === "NotFound" ||
    name === "NoSuchKey" ||
    (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404
  );
}

/** A Describe (or Head): its answer, or undefined when the object does not exist. */
export async function describeOrUndefined<T>(describe: () => Promise<T>): Promise<T | undefined> {
  try {
    return await describe();
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * A Delete / Remove / Deregister request: `sent` when the service took it, `absent` when there was
 * nothing to remove (404), `refused` when it answered 409 Conflict (not now: still deploying, still
 * holding versions; the removal's checks decide what follows).
 */
export async function removalRequest(
  request: () => Promise<unknown>,
): Promise<"sent" | "absent" | { refused: unknown }> {
  try {
    await request();
    return "sent";
  } catch (e) {
    if (isNotFound(e)) return "absent";
    if (errorName(e) === "ConflictException") return { refused: e };
    throw e;
  }
}
