// Application-instance outcomes on demand: `POST /_emulator/application-instances/<id>/complete`,
// `…/fail {message}` (the pending deployment or removal ends now) and `…/status {status,
// healthStatus, statusDescription}` (set as given, for refresh tests) and `…/apply-signals` (every
// PAUSE / RESUME still pending shows now; the answer lists the node instances).
import {
  describeApplicationInstance,
  listApplicationInstanceNodeInstances,
} from "../panorama/applicationInstances";
import { applyDueSignals } from "../panorama/nodeSignals";
import {
  forceApplicationInstanceStatus,
  settleApplicationInstance,
} from "../panorama/applicationInstanceStatus";
import { ApplicationInstanceRecord } from "../state/deviceRecords";
import { Runtime } from "../state/runtime";
import { change, ControlContext, pendingOutcomes } from "./controlContext";
import { ControlEndpoints, ControlError, ok } from "./controlEndpoint";
import type { ApplicationInstanceStatusChange, EmulatorControl } from "./emulatorControl";

export function applicationInstanceControls(
  ctx: ControlContext,
): Pick<
  EmulatorControl,
  | "completeApplicationInstance"
  | "failApplicationInstance"
  | "setApplicationInstanceStatus"
  | "applyNodeSignals"
> {
  const { rt } = ctx;
  const describe = (id: string) => describeApplicationInstance(rt, { ApplicationInstanceId: id });
  const outcomes = pendingOutcomes(
    ctx,
    (id) => pendingInstance(rt, id),
    (a, at, failure) => settleApplicationInstance(rt, a, at, failure),
    describe,
    "The operation was failed by the emulator control API.",
  );
  return {
    completeApplicationInstance: outcomes.complete,
    failApplicationInstance: outcomes.fail,
    setApplicationInstanceStatus: (id: string, to: ApplicationInstanceStatusChange) =>
      change(ctx, () => {
        forceApplicationInstanceStatus(
          rt,
          instance(rt, id),
          to.status,
          to.healthStatus,
          to.statusDescription,
        );
        return describe(id);
      }),
    applyNodeSignals: (id: string) =>
      change(ctx, () => {
        applyDueSignals(rt, instance(rt, id), true);
        return listApplicationInstanceNodeInstances(rt, { ApplicationInstanceId: id });
      }),
  };
}

export const applicationInstanceEndpoints: ControlEndpoints<EmulatorControl> = {
  "application-instances": (c, { method, id, rest, input }) => {
    if (method !== "POST" || !id) return undefined;
    const action = rest.join("/");
    if (action === "complete") return ok(c.completeApplicationInstance(id));
    if (action === "fail") return ok(c.failApplicationInstance(id, input.message));
    if (action === "status") return ok(c.setApplicationInstanceStatus(id, input));
    if (action === "apply-signals") return ok(c.applyNodeSignals(id));
    return undefined;
  },
};

function instance(rt: Runtime, id: string): ApplicationInstanceRecord {
  const a = rt.state.applicationInstances[id];
  if (!a) throw new ControlError(404, `No application instance ${id}.`);
  return a;
}

function pendingInstance(rt: Runtime, id: string): ApplicationInstanceRecord {
  const a = instance(rt, id);
  if (!a.transition)
    throw new ControlError(
      409,
      `Application instance ${id} has no pending deployment or removal (status ${a.status}).`,
    );
  return a;
}
