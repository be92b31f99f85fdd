// Camera-node template jobs on demand: `POST /_emulator/template-jobs/<id>/complete`, `…/fail
// {message}`, `…/status {status, statusMessage}` (as for import jobs), and `…/check-parameters
// {Username?, Password?, StreamUrl?}`, which says whether each given value is the one the job
// was created with — the only way to look at a stored secret, and it never shows one.
import { describeNodeFromTemplateJob } from "../panorama/templateJobs";
import { forceTemplateJobStatus, settleTemplateJob } from "../panorama/templateJobOutcome";
import { TemplateJobRecord, TemplateJobStatus } from "../state/nodeRecords";
import { Runtime } from "../state/runtime";
import { secretMatches } from "../state/secrets";
import { change, ControlContext, pendingOutcomes } from "./controlContext";
import { ControlEndpoints, ControlError, ok } from "./controlEndpoint";
import type { EmulatorControl } from "./emulatorControl";

const STATUSES: readonly TemplateJobStatus[] = ["PENDING", "SUCCEEDED", "FAILED"];

export function templateJobControls(
  ctx: ControlContext,
): Pick<
  EmulatorControl,
  "completeTemplateJob" | "failTemplateJob" | "setTemplateJobStatus" | "templateJobParametersMatch"
> {
  const { rt } = ctx;
  const describe = (id: string) => describeNodeFromTemplateJob(rt, { JobId: id });
  const outcomes = pendingOutcomes(
    ctx,
    (id) => pendingJob(rt, id),
    (job, at, failure) => settleTemplateJob(rt, job, at, failure),
    describe,
    "The template job was failed by the emulator control API.",
  );
  return {
    completeTemplateJob: outcomes.complete,
    failTemplateJob: outcomes.fail,
    setTemplateJobStatus: (id: string, status: TemplateJobStatus, statusMessage?: string) =>
      change(ctx, () => {
        if (!STATUSES.includes(status))
          throw new ControlError(
            400,
            `status must be one of ${STATUSES.join(", ")}, got ${status}.`,
          );
        forceTemplateJobStatus(rt, templateJob(rt, id), status, statusMessage);
        return describe(id);
      }),
    templateJobParametersMatch(id: string, values: Record<string, string>) {
      const job = templateJob(rt, id);
      if (typeof values !== "object" || values === null || Array.isArray(values))
        throw new ControlError(400, "Give the parameters to check as an object of strings.");
      return Object.fromEntries(
        Object.entries(values).map(([key, value]) => {
          const stored = Object.hasOwn(job.parameters, key) ? job.parameters[key] : undefined;
          const same =
            stored === undefined || typeof value !== "string"
              ? false
              : "digest" in stored
                ? secretMatches(stored.digest, value)
                : rt.secrets.open(stored.sealed) === value;
          return [key, same];
        }),
      );
    },
  };
}

export const templateJobEndpoints: ControlEndpoints<EmulatorControl> = {
  "template-jobs": (c, { method, id, rest, input }) => {
    if (method !== "POST" || !id) return undefined;
    const action = rest.join("/");
    if (action === "complete") return ok(c.completeTemplateJob(id));
    if (action === "fail") return ok(c.failTemplateJob(id, input.message));
    if (action === "status")
      return ok(c.setTemplateJobStatus(id, input.status, input.statusMessage));
    if (action === "check-parameters")
      return ok({ matches: c.templateJobParametersMatch(id, input) });
    return undefined;
  },
};

function templateJob(rt: Runtime, id: string): TemplateJobRecord {
  const job = rt.state.templateJobs[id];
  if (!job) throw new ControlError(404, `No template job ${id}.`);
  return job;
}

function pendingJob(rt: Runtime, id: string): TemplateJobRecord {
  const job = templateJob(rt, id);
  if (!job.transition)
    throw new ControlError(409, `Template job ${id} is not pending (status ${job.status}).`);
  return job;
}
