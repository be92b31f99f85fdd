// Node signals: SignalApplicationInstanceNodeInstances pauses and resumes the camera streams of a
// running application (reference panorama-api-nodes-jobs.md S8), and the status each node
// instance reports in ListApplicationInstanceNodeInstances: RUNNING once deployed, PAUSED after a
// PAUSE (or from the start with `launch: onSignal`) until a RESUME, NOT_AVAILABLE while deploying
// or while the device reboots, ERROR when the deployment failed. A signal shows after the
// `nodeSignal` timing (0 by default: at once; manual: when the control API applies it).
import { BUILT_IN_OWNER } from "../../model/graphRules";
import { invalidField, notFound, quotaExceeded } from "../protocol/errors";
import { ApplicationInstanceRecord, PendingSignal, ResolvedNode } from "../state/deviceRecords";
import { Runtime } from "../state/runtime";
import { dueAt } from "../state/timing";
import { statusAt } from "./applicationInstanceStatus";
import { deviceRebooting } from "./deviceJobStatus";
import { nodeCatalogue } from "./nodes";

/** The developer guide's limit of camera streams per application. */
export const MAX_RUNNING_STREAMS = 8;

export function nodeInstanceStatus(
  rt: Runtime,
  a: ApplicationInstanceRecord,
  n: ResolvedNode,
): "RUNNING" | "PAUSED" | "NOT_AVAILABLE" | "ERROR" {
  const status = statusAt(rt, a).status;
  if (status === "DEPLOYMENT_FAILED") return "ERROR";
  if (status !== "DEPLOYMENT_SUCCEEDED" || deviceRebooting(rt, a.deviceId)) return "NOT_AVAILABLE";
  return pausedNow(rt, a).has(n.nodeName) ? "PAUSED" : "RUNNING";
}

/** The paused node instances as the device reports them now: pending signals that fell due applied. */
function pausedNow(rt: Runtime, a: ApplicationInstanceRecord): Set<string> {
  const now = rt.clock.now();
  return applied(
    a.pausedNodes ?? [],
    (a.pendingSignals ?? []).filter((p) => p.dueAt !== null && p.dueAt <= now),
  );
}

function applied(paused: string[], signals: PendingSignal[]): Set<string> {
  const out = new Set(paused);
  for (const s of signals)
    if (s.signal === "PAUSE") out.add(s.nodeInstanceId);
    else out.delete(s.nodeInstanceId);
  return out;
}

/** Applies the pending signals that fell due, or with `all` every pending one (control API). */
export function applyDueSignals(rt: Runtime, a: ApplicationInstanceRecord, all = false): void {
  const now = rt.clock.now();
  const pending = a.pendingSignals ?? [];
  const due = pending.filter((p) => all || (p.dueAt !== null && p.dueAt <= now));
  if (!due.length) return;
  a.pausedNodes = [...applied(a.pausedNodes ?? [], due)];
  a.pendingSignals = pending.filter((p) => !due.includes(p));
}

interface SignalInput {
  ApplicationInstanceId: string;
  NodeSignals: { NodeInstanceId: string; Signal: "PAUSE" | "RESUME" }[];
}

export function signalApplicationInstanceNodeInstances(rt: Runtime, input: SignalInput) {
  // Not a declared error of this operation, but the one that says what is wrong (ASSUMPTIONS P5).
  const a = rt.state.applicationInstances[input.ApplicationInstanceId];
  if (!a)
    throw notFound(
      "ApplicationInstance",
      input.ApplicationInstanceId,
      `Application instance ${input.ApplicationInstanceId} was not found.`,
    );
  const status = statusAt(rt, a).status;
  if (status !== "DEPLOYMENT_SUCCEEDED")
    throw invalidField(
      "ApplicationInstanceId",
      `Application instance ${a.applicationInstanceId} is ${status}; only a running application's nodes take signals.`,
    );
  applyDueSignals(rt, a);
  // What the device will report once every signal sent so far is applied.
  const paused = applied(a.pausedNodes ?? [], a.pendingSignals ?? []);
  input.NodeSignals.forEach((signal, i) => {
    const node = a.nodes.find((n) => n.nodeName === signal.NodeInstanceId);
    const member = `NodeSignals[${i}].NodeInstanceId`;
    if (!node)
      throw invalidField(
        member,
        `Application instance ${a.applicationInstanceId} has no node instance ${signal.NodeInstanceId} (it has ${a.nodes.map((n) => n.nodeName).join(", ")}).`,
      );
    if (!isCamera(rt, node))
      throw invalidField(
        member,
        `Node instance ${signal.NodeInstanceId} is not a camera stream (MEDIA_SOURCE node); only cameras can be paused and resumed.`,
      );
    if (signal.Signal === "PAUSE") paused.add(node.nodeName);
    else paused.delete(node.nodeName);
  });
  const running = a.nodes.filter((n) => isCamera(rt, n) && !paused.has(n.nodeName)).length;
  if (running > MAX_RUNNING_STREAMS && input.NodeSignals.some((s) => s.Signal === "RESUME"))
    throw quotaExceeded(
      "CameraStreamsPerApplication",
      `Application instance ${a.applicationInstanceId} would run ${running} camera streams; at most ${MAX_RUNNING_STREAMS} run at once. Pause another stream first.`,
      { id: a.applicationInstanceId, type: "ApplicationInstance" },
    );
  const now = rt.clock.now();
  const due = dueAt(rt.timing.nodeSignal, now, rt.random);
  a.pendingSignals = [
    ...(a.pendingSignals ?? []),
    ...input.NodeSignals.map((x) => ({
      nodeInstanceId: x.NodeInstanceId,
      signal: x.Signal,
      dueAt: due,
    })),
  ];
  applyDueSignals(rt, a);
  a.lastUpdatedAt = now;
  rt.log(
    `application instance ${a.applicationInstanceId} signals: ${input.NodeSignals.map((s) => `${s.Signal} ${s.NodeInstanceId}`).join(", ")}`,
  );
  return { ApplicationInstanceId: a.applicationInstanceId };
}

/** A MEDIA_SOURCE node of the catalogue: the abstract camera or a camera node. */
function isCamera(rt: Runtime, n: ResolvedNode): boolean {
  return nodeCatalogue(rt).some(
    (c) =>
      c.node.category === "MEDIA_SOURCE" &&
      c.owner === n.owner &&
      c.packageName === n.packageName &&
      c.packageVersion === n.packageVersion &&
      c.node.name === n.interfaceName &&
      (c.owner === BUILT_IN_OWNER || c.patchVersion === n.patchVersion),
  );
}
