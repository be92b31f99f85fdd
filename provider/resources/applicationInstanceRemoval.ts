// Removing an application instance from its device: RemoveApplicationInstance, then the lifecycle
// checks until REMOVAL_SUCCEEDED (or 404).
import {
  DescribeApplicationInstanceResponse,
  RemoveApplicationInstanceCommand,
} from "@aws-sdk/client-panorama";
import {
  DEPLOYING_STATUSES,
  isStatusIn,
  REMOVED_STATUS,
  REMOVING_STATUSES,
} from "../../model/statusGroups";
import { describeOrUndefined, removalRequest } from "../lifecycle/notFound";
import { cannotRemove } from "../lifecycle/removal";
import type { Removal } from "../lifecycle/resourceHooks";
import type { Call, Props } from "../lifecycle/resourceSpec";
import { describeInstance, label } from "./applicationInstanceCalls";

/** What a removal's check saw: the instance, and whether the service took a removal from us. */
interface Removing {
  instance: DescribeApplicationInstanceResponse;
  accepted: boolean;
}

/**
 * RemoveApplicationInstance, then checks until REMOVAL_SUCCEEDED (or 404). A 409 means already
 * removed (replaced by a newer deployment), being removed, or still deploying: the removal is sent
 * again once a deployment that refused it has ended.
 */
export async function removeInstance(
  call: Call,
  id: string,
  props: Props,
): Promise<Removal<Removing>> {
  const device = props.defaultRuntimeContextDevice ?? "?";
  const words = { verb: "remove", what: `application instance ${id} on device ${device}` };
  let accepted = false;
  const send = async () => {
    const sent = await removalRequest(() =>
      call.client.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: id })),
    );
    accepted ||= sent === "sent";
    return sent;
  };
  /** One status check: undefined once removed; re-sends a removal the service refused for now. */
  const check = async (): Promise<Removing | undefined> => {
    const instance = await describeInstance(call.client, id);
    const status = instance.Status;
    if (status === REMOVED_STATUS) return undefined;
    // A REMOVAL_FAILED seen before the service took our removal is not our removal failing.
    const acceptedBefore = accepted;
    const refused = !accepted && !isStatusIn(REMOVING_STATUSES, status);
    if (refused && !isStatusIn(DEPLOYING_STATUSES, status) && (await send()) === "absent")
      return undefined;
    return { instance, accepted: acceptedBefore };
  };
  let first;
  try {
    first = await send();
    if (first !== "sent" && first !== "absent" && (await describeOrUndefined(check)) === undefined)
      return {
        outcome: "done",
        ...words,
        line: `${id} was already removed from the device (replaced by a newer deployment, or removed outside the stack)`,
      };
  } catch (e) {
    throw cannotRemove(label(props), words.verb, words.what, e);
  }
  if (first === "absent") return { outcome: "absent", ...words };
  return {
    outcome: "started",
    ...words,
    line: `removing ${id} from device ${device}`,
    check,
    acceptor: (seen) =>
      seen.accepted && seen.instance.Status === "REMOVAL_FAILED" ? "failure" : "retry",
    state: (seen) => seen.instance.Status ?? "UNKNOWN",
    failure: (seen) =>
      `removing ${id} from device ${device} ended REMOVAL_FAILED: ` +
      `${seen.instance.StatusDescription || "no status description"}. It stays in the stack; make sure the device is online and ` +
      `run \`pulumi destroy\` again.`,
    done: `${id} removed (${REMOVED_STATUS})`,
  };
}
