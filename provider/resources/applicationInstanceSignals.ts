// Paused nodes of an ApplicationInstance (SignalApplicationInstanceNodeInstances): set on the
// running instance, not at its creation, so a change is an update in place. Once the deployment
// is done, create and update send PAUSE for the listed nodes that run and RESUME for the paused
// ones not listed (an `onSignal` camera starts paused), then wait until
// ListApplicationInstanceNodeInstances reports each one PAUSED or RUNNING. Refresh reports the
// nodes the device has paused, so a stream resumed outside the stack shows as a diff.
import {
  ListApplicationInstanceNodeInstancesCommand,
  NodeInstance,
  SignalApplicationInstanceNodeInstancesCommand,
} from "@aws-sdk/client-panorama";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { deployedNodes } from "../../model/deployedNodes";
import { validate } from "../../model/panoramaModel";
import { describeError, isTransientError } from "../calls/awsClients";
import { retryTransient } from "../calls/retry";
import { pollUntil, PollResult } from "../calls/wait";
import { violationSentence } from "../lifecycle/inputChecks";
import { RecordedFailure } from "../lifecycle/recordedFailure";
import type { Call, Props } from "../lifecycle/resourceSpec";
import { isUnknown } from "../lifecycle/unknowns";
import { label } from "./applicationInstanceCalls";

/** The input, in messages. */
const PROPERTY = "pausedNodes";

/**
 * The rules of `pausedNodes`: a list of node instance ids (NodeSignal.NodeInstanceId), each once,
 * each a node the deployment runs (a graph node no override replaces, or an override node) when
 * the documents are known. `manifestValid`: graph.json passed its own checks.
 */
export function pausedNodesFailures(inputs: Props, manifestValid: boolean): dynamic.CheckFailure[] {
  const value = inputs[PROPERTY];
  if (value === undefined || isUnknown(value)) return [];
  const fail = (reason: string) => ({ property: PROPERTY, reason });
  if (!Array.isArray(value))
    return [fail(`${PROPERTY}: must be a list of node names from the application manifest`)];
  const failures: dynamic.CheckFailure[] = [];
  const seen = new Set<string>();
  const names = deployedNodeNames(inputs, manifestValid);
  value.forEach((name, i) => {
    const at = `${PROPERTY}[${i}]`;
    if (isUnknown(name)) return;
    if (typeof name !== "string") {
      failures.push(fail(`${at}: must be a string (a node name from the application manifest)`));
      return;
    }
    const violations = validate("NodeInstanceId", name, at);
    for (const v of violations) failures.push(fail(violationSentence(v.path, v.rule)));
    if (seen.has(name)) failures.push(fail(`${at}: "${name}" is listed twice; list a node once`));
    seen.add(name);
    if (violations.length === 0 && names && !names.includes(name))
      failures.push(
        fail(
          `${at}: "${name}" is not a node the application runs (it runs ${names.join(", ") || "no nodes"}); ` +
            "name a camera node of manifestPayload, or the override node that replaces it in manifestOverridesPayload",
        ),
      );
  });
  return failures;
}

/** The node instance ids the deployment runs, when both documents are known and parse. */
function deployedNodeNames(inputs: Props, manifestValid: boolean): string[] | undefined {
  const { manifestPayload: manifest, manifestOverridesPayload: overrides } = inputs;
  if (!manifestValid || (overrides !== undefined && typeof overrides !== "string")) return;
  if (isUnknown(overrides)) return;
  try {
    const graph = JSON.parse(manifest).nodeGraph;
    const body = overrides ? JSON.parse(overrides).nodeGraphOverrides : {};
    return deployedNodes(graph.nodes ?? [], body ?? {}).map((n) => n.name);
  } catch {
    return undefined;
  }
}

/** Every node instance of the instance, as the device reports it. */
async function nodeInstances(call: Call, id: string): Promise<NodeInstance[]> {
  const all: NodeInstance[] = [];
  let token: string | undefined;
  do {
    const page = await call.client.send(
      new ListApplicationInstanceNodeInstancesCommand({
        ApplicationInstanceId: id,
        NextToken: token,
      }),
    );
    all.push(...(page.NodeInstances ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

/** The paused node ids, in the order of `given` first (so an unchanged set reads back unchanged). */
function pausedIn(instances: NodeInstance[], given: string[] = []): string[] {
  const paused = instances
    .filter((n) => n.CurrentStatus === "PAUSED")
    .map((n) => n.NodeInstanceId!);
  return [
    ...given.filter((n) => paused.includes(n)),
    ...paused.filter((n) => !given.includes(n)).sort(),
  ];
}

/** Refresh: the nodes the device reports paused, while the program manages them. */
export async function withPausedNodes(call: Call, outs: Props): Promise<Props> {
  if (!Array.isArray(outs[PROPERTY])) return outs;
  const instances = await nodeInstances(call, outs.applicationInstanceId);
  return { ...outs, [PROPERTY]: pausedIn(instances, outs[PROPERTY]) };
}

/** Create and update: signal the nodes whose state differs from `pausedNodes`, and wait for it. */
export async function convergePausedNodes(call: Call, id: string, outs: Props): Promise<Props> {
  const desired: string[] | undefined = outs[PROPERTY];
  if (!Array.isArray(desired)) return outs;
  const named = label(outs);
  const what = named.includes(id) ? named : `${named} (${id})`;
  const recorded = (paused: string[] | undefined, reason: string) =>
    new RecordedFailure(id, { ...outs, [PROPERTY]: paused ?? [] }, reason);
  let instances: NodeInstance[];
  try {
    instances = await retryTransient(() => nodeInstances(call, id), call.retry);
  } catch (e) {
    throw recorded(
      undefined,
      `${what}: could not list its node instances (${describeError(e)}); fix the cause and run \`pulumi up\` again to pause ${desired.join(", ") || "no nodes"}.`,
    );
  }
  const paused = pausedIn(instances);
  const signals = [
    ...desired.filter((n) => !paused.includes(n)).map((n) => ({ n, s: "PAUSE" as const })),
    ...paused.filter((n) => !desired.includes(n)).map((n) => ({ n, s: "RESUME" as const })),
  ];
  if (signals.length === 0) return { ...outs, [PROPERTY]: desired };
  const plan = signals.map((x) => `${x.s === "PAUSE" ? "pausing" : "resuming"} ${x.n}`).join(", ");
  call.log(`${what}: ${plan}`);
  try {
    await retryTransient(
      () =>
        call.client.send(
          new SignalApplicationInstanceNodeInstancesCommand({
            ApplicationInstanceId: id,
            NodeSignals: signals.map((x) => ({ NodeInstanceId: x.n, Signal: x.s })),
          }),
        ),
      call.retry,
    );
  } catch (e) {
    throw recorded(
      paused,
      `${what}: SignalApplicationInstanceNodeInstances (${plan}) failed: ${describeError(e)}. ` +
        `Nothing changed on the device; fix ${PROPERTY} (only camera nodes can be paused, at most 8 run at once) and run \`pulumi up\` again.`,
    );
  }
  if (!call.wait.enabled) return { ...outs, [PROPERTY]: desired };
  const expected = new Map(signals.map((x) => [x.n, x.s === "PAUSE" ? "PAUSED" : "RUNNING"]));
  const result: PollResult<NodeInstance[]> = await pollUntil<NodeInstance[]>({
    options: call.wait,
    clock: call.clock,
    signal: call.signal,
    check: () => nodeInstances(call, id),
    acceptor: (o) =>
      "error" in o
        ? isTransientError(o.error)
          ? "retry"
          : "failure"
        : [...expected].every(([node, status]) =>
              o.value.some((n) => n.NodeInstanceId === node && n.CurrentStatus === status),
            )
          ? "success"
          : "retry",
  }).catch((e) => ({ done: false as const, value: undefined, lastError: e }));
  if (result.done) {
    call.log(`${what}: paused nodes ${desired.join(", ") || "none"}`);
    return { ...outs, [PROPERTY]: desired };
  }
  const seen = result.value;
  const states = seen
    ? [...expected.keys()]
        .map(
          (n) =>
            `${n} ${seen.find((i) => i.NodeInstanceId === n)?.CurrentStatus ?? "not reported"}`,
        )
        .join(", ")
    : "unknown";
  const why = result.lastError ? ` (last check: ${describeError(result.lastError)})` : "";
  throw recorded(
    seen ? pausedIn(seen) : paused,
    `${what}: the node instances did not report the signals (${plan}) ${result.aborted ? "before the wait was cancelled" : `within ${call.wait.timeoutSeconds}s (${call.deadline})`}: ` +
      `${states}${why}. The signals were sent; run \`pulumi up\` again to check and signal again.`,
  );
}
