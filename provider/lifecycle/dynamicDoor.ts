// The dynamic resources' door: what Pulumi's dynamic-provider host calls through the serialized
// shim. The host passes no CallContext, so this door makes one from the hidden inputs the class
// adds (hiddenInputs.ts): the program's customTimeouts as the wait's deadline, and, inside the
// host, logs on the resource's row through the engine's Log service. It also fits the host's
// ways: check failures name the leaf property in their sentence only (the engine would print the
// whole top-level object beside it), and an error the host prints to stderr before handing it to
// the engine (configure, check, diff, read, delete) is printed once, on the resource.
import { EngineLog } from "../plugin/engineLog";
import { isDynamicProviderHost } from "./engineWatch";
import { hiddenTimeout, Operation } from "./hiddenInputs";
import type { CallContext } from "./callContext";
import type { CheckFailure, ResourceImplementation } from "./resourceImplementation";
import { inputNames, Props, ResourceSpec } from "./resourceSpec";

export function dynamicDoor(impl: ResourceImplementation): ResourceImplementation {
  return {
    ...impl,
    configure: (req) => once(() => impl.configure(req)),
    async check(olds, news) {
      const result = await once(() => impl.check(olds, news));
      return { ...result, failures: result.failures.map((f) => forEngine(f, result.inputs)) };
    },
    async diff(id, olds, news) {
      const result = await once(() => impl.diff(id, olds, news));
      if (result.replaces.length) explainReplace(impl.spec, olds, news, result.replaces);
      return result;
    },
    create: (inputs) => impl.create(inputs, contextOf(inputs, "create")),
    update: (id, olds, news) => impl.update(id, olds, news, contextOf(news, "update")),
    read: (id, props) => once(() => impl.read(id, props, contextOf(props))),
    delete: (id, props) => once(() => impl.delete(id, props, contextOf(props, "delete"))),
  };
}

/**
 * The host drops a diff's detailed part, so `preview --diff` cannot mark the input that forces a
 * replace; the resource's row says it instead.
 */
function explainReplace(spec: ResourceSpec, olds: Props, news: Props, replaces: string[]): void {
  const urn = news.__urn;
  const log = engineLog();
  if (!log || typeof urn !== "string") return;
  log.log(
    "info",
    `${spec.type} ${urn.split("::").pop()}: replaced, because ${replaceReason(spec, olds, replaces)}`,
    urn,
    false,
  );
}

/**
 * Why a replace happens, in the program's terms: the inputs that changed (not the ones derived
 * from them, such as a client token), and what the recorded state says (a FAILED job's `status`).
 */
export function replaceReason(spec: ResourceSpec, olds: Props, replaces: string[]): string {
  const quoted = (keys: string[]) => keys.map((key) => `\`${key}\``).join(", ");
  const inputs = new Set(inputNames(spec));
  const derived = new Set(Object.keys(spec.derived ?? {}));
  const changed = replaces.filter((key) => inputs.has(key) && !derived.has(key));
  const recorded = replaces.filter((key) => !inputs.has(key));
  const reasons = [
    ...(changed.length ? [`${quoted(changed)} changed (set only when it is created)`] : []),
    ...recorded.map((key) => `the recorded \`${key}\` is ${JSON.stringify(olds[key])}`),
  ];
  return reasons.length ? reasons.join("; ") : `${quoted(replaces)} changed`;
}

function contextOf(props: Props, operation?: Operation): CallContext {
  const ctx: CallContext = {};
  const timeout = operation && hiddenTimeout(props, operation);
  if (timeout) ctx.timeoutSeconds = timeout;
  const log = engineLog();
  if (log && typeof props.__urn === "string") ctx.log = log.forResource(props.__urn);
  return ctx;
}

let log: EngineLog | undefined;

/** The engine's Log service, inside the dynamic-provider host only (its first argument is the engine). */
function engineLog(): EngineLog | undefined {
  if (!log && isDynamicProviderHost()) log = new EngineLog(process.argv[2]);
  return log;
}

/**
 * A failure on an object-valued input keeps its path in the reason only: the engine prints a
 * failure's property together with the property's whole value (`property outputConfig value
 * {map[…]} has a problem: …`). A scalar's value is short and kept.
 */
function forEngine(failure: CheckFailure, inputs: Props): CheckFailure {
  const value = inputs[failure.property];
  return value !== null && typeof value === "object" ? { ...failure, property: "" } : failure;
}

/** What the host prints with console.error(`${e}: ${e.stack}`) before passing the error on. */
const printedByHost = new Set<string>();
let filtering = false;

async function once<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error && isDynamicProviderHost()) {
      filterHostPrint();
      printedByHost.add(`${error}: ${error.stack}`);
    }
    throw error;
  }
}

function filterHostPrint(): void {
  if (filtering) return;
  filtering = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && printedByHost.delete(args[0])) return;
    original(...args);
  };
}
