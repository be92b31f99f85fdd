// DeletePackage, repeated while the service answers 409 Conflict, until the package is gone.
import { DeletePackageCommand, PanoramaClient } from "@aws-sdk/client-panorama";
import { removalRequest } from "../lifecycle/notFound";
import { cannotRemove } from "../lifecycle/removal";
import type { Removal } from "../lifecycle/resourceHooks";
import type { Call, Props } from "../lifecycle/resourceSpec";
import { describe, label } from "./packageCalls";

/** What keeps a package from being gone after a DeletePackage. */
type Holding = { state: "DELETING" } | { state: "CONFLICT"; message: string };

/**
 * DeletePackage, repeated by the removal's checks while the service answers 409 Conflict (not
 * yet, or not without forceDelete), until the package is gone.
 */
export async function deletePackage(
  call: Call,
  id: string,
  props: Props,
): Promise<Removal<Holding>> {
  const force = props.forceDelete === true;
  const words = { verb: "delete", what: `package ${id}` };
  let first;
  try {
    first = await deleteOnce(call.client, id, force);
  } catch (e) {
    throw cannotRemove(label(props), words.verb, words.what, e);
  }
  if (first === "absent") return { outcome: "absent", ...words };
  const deleted = `${words.what} deleted${force ? " with its versions and artifacts" : ""}`;
  if (first === undefined) return { outcome: "done", ...words, line: deleted };
  return {
    outcome: "started",
    ...words,
    line:
      first.state === "CONFLICT"
        ? `DeletePackage ${id} answered 409 Conflict (${first.message}); retrying for up to ` +
          `${call.wait.timeoutSeconds}s${force ? "" : " (forceDelete is off)"}`
        : undefined,
    check: async () => {
      const again = await deleteOnce(call.client, id, force);
      return again === "absent" ? undefined : again;
    },
    state: (h) =>
      h.state === "CONFLICT" ? `refused (409 Conflict: ${h.message})` : "being deleted",
    advice: () =>
      force
        ? "check what holds the package and run `pulumi destroy` again"
        : "deregister its package versions and remove its artifacts, or set `forceDelete: true` on the Package " +
          "(run `pulumi up` so the setting reaches the stack) to delete them with it, then run `pulumi destroy` again",
    done: deleted,
  };
}

/** One DeletePackage: `absent` (404), what still holds the package, or undefined once it is gone. */
async function deleteOnce(
  client: PanoramaClient,
  id: string,
  force: boolean,
): Promise<"absent" | Holding | undefined> {
  const sent = await removalRequest(() =>
    client.send(
      new DeletePackageCommand({ PackageId: id, ...(force ? { ForceDelete: true } : {}) }),
    ),
  );
  if (sent === "absent") return "absent";
  if (sent !== "sent") return { state: "CONFLICT", message: (sent.refused as Error).message };
  return (await describe(client, id)) ? { state: "DELETING" } : undefined;
}
