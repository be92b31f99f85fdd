// Lazy lifecycles: nothing runs on timers. Before each request the emulator settles every
// transition whose due time has passed, in due order, so a status depends only on timestamps
// and the service clock (restarts and persistence need no scheduler). A service area with
// pending work lists its due transitions here.
import { Runtime } from "../state/runtime";
import { DueTransition } from "../state/timing";
import { dueApplicationInstances } from "./applicationInstanceStatus";
import { dueImportJobs } from "./importJobOutcome";
import { duePatches } from "./packageVersions";
import { dueTemplateJobs } from "./templateJobOutcome";
import { dueDeviceJobs } from "./deviceJobStatus";

const DUE_SOURCES: ((rt: Runtime, now: number) => DueTransition[])[] = [
  dueImportJobs,
  dueTemplateJobs,
  duePatches,
  dueApplicationInstances,
  dueDeviceJobs,
];

export function settleDueTransitions(rt: Runtime): void {
  const now = rt.clock.now();
  const due = DUE_SOURCES.flatMap((source) => source(rt, now));
  if (!due.length) return;
  due.sort((a, b) => a.at - b.at);
  for (const d of due) d.settle();
  rt.dirty = true;
}
