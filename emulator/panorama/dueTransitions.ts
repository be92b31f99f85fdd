// Lazy lifecycles: nothing runs on timers. Before each request the emulator settles every
// transition whose due time has passed, in due order, so a status depends only on timestamps
// and the clock (restarts and persistence need no scheduler).
import { settleApplicationInstance } from "./applicationInstances";
import { settleImportJob } from "./importJobs";
import { settlePatch } from "./packageVersions";
import { Runtime } from "../state/runtime";

interface Due {
  at: number;
  settle: () => void;
}

export function advanceLifecycles(rt: Runtime): void {
  const now = rt.clock.now();
  const due: Due[] = [];
  for (const job of Object.values(rt.state.importJobs)) {
    const at = job.transition?.dueAt;
    if (at != null && at <= now) due.push({ at, settle: () => settleImportJob(rt, job, at) });
  }
  for (const patch of Object.values(rt.state.patches)) {
    const at = patch.transition?.dueAt;
    if (at != null && at <= now) due.push({ at, settle: () => settlePatch(rt, patch, at) });
  }
  for (const app of Object.values(rt.state.applicationInstances)) {
    const at = app.transition?.dueAt;
    if (at != null && at <= now)
      due.push({
        at,
        settle: () => app.transition?.dueAt === at && settleApplicationInstance(rt, app, at),
      });
  }
  if (!due.length) return;
  due.sort((a, b) => a.at - b.at);
  for (const d of due) d.settle();
  rt.dirty = true;
}
