// Import-job outcomes on demand: `POST /_emulator/import-jobs/<id>/complete`, `…/fail {message}`
// (a pending job ends now) and `…/status {status, statusMessage}` (set as given, for refresh tests).
import { PACKAGE_IMPORT_JOB_STATUSES } from "../../model/panoramaTypes";
import { describePackageImportJob } from "../panorama/importJobs";
import { forceImportJobStatus, settleImportJob } from "../panorama/importJobOutcome";
import { ImportJobRecord, ImportJobStatus } from "../state/records";
import { Runtime } from "../state/runtime";
import { change, ControlContext, pendingOutcomes } from "./controlContext";
import { ControlEndpoints, ControlError, ok } from "./controlEndpoint";
import type { EmulatorControl } from "./emulatorControl";

export function importJobControls(
  ctx: ControlContext,
): Pick<EmulatorControl, "completeImportJob" | "failImportJob" | "setImportJobStatus"> {
  const { rt } = ctx;
  const describe = (id: string) => describePackageImportJob(rt, { JobId: id });
  const outcomes = pendingOutcomes(
    ctx,
    (id) => pendingJob(rt, id),
    (job, at, failure) => settleImportJob(rt, job, at, failure),
    describe,
    "The import job was failed by the emulator control API.",
  );
  return {
    completeImportJob: outcomes.complete,
    failImportJob: outcomes.fail,
    setImportJobStatus: (id: string, status: ImportJobStatus, statusMessage?: string) =>
      change(ctx, () => {
        if (!PACKAGE_IMPORT_JOB_STATUSES.includes(status))
          throw new ControlError(
            400,
            `status must be one of ${PACKAGE_IMPORT_JOB_STATUSES.join(", ")}, got ${status}.`,
          );
        forceImportJobStatus(rt, importJob(rt, id), status, statusMessage);
        return describe(id);
      }),
  };
}

export const importJobEndpoints: ControlEndpoints<EmulatorControl> = {
  "import-jobs": (c, { method, id, rest, input }) => {
    if (method !== "POST" || !id) return undefined;
    const action = rest.join("/");
    if (action === "complete") return ok(c.completeImportJob(id));
    if (action === "fail") return ok(c.failImportJob(id, input.message));
    if (action === "status") return ok(c.setImportJobStatus(id, input.status, input.statusMessage));
    return undefined;
  },
};

function importJob(rt: Runtime, id: string): ImportJobRecord {
  const job = rt.state.importJobs[id];
  if (!job) throw new ControlError(404, `No import job ${id}.`);
  return job;
}

function pendingJob(rt: Runtime, id: string): ImportJobRecord {
  const job = importJob(rt, id);
  if (!job.transition)
    throw new ControlError(409, `Import job ${id} is not pending (status ${job.status}).`);
  return job;
}
