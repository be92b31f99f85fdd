// Property values on the wire. The plugin accepts secrets, so the engine sends secret values as
// Pulumi's secret objects: they are unwrapped before the lifecycle sees them (it works on plain
// values, like the dynamic door's) and wrapped again on the way out, as the engine itself would
// for a provider that does not take secrets (annotateSecrets: the same key, recursively), plus
// the spec's always-secret outputs and the outputs that keep an input under another name.
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Props, ResourceScope, ResourceSpec } from "../lifecycle/resourceSpec";
import { structproto } from "./grpcRuntime";

/** The signature key of Pulumi's special objects, and the value that marks a secret. */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecret(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG] === SECRET_SIG;
}

export function secret(value: unknown): unknown {
  return isSecret(value) ? value : { [SIG]: SECRET_SIG, value };
}

/** True if the value is or holds a secret. */
export function containsSecrets(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecrets);
  if (v && typeof v === "object") return Object.values(v).some(containsSecrets);
  return false;
}

/** The value with every secret replaced by what it holds. */
export function unwrap(v: unknown): any {
  if (isSecret(v)) return unwrap(v.value);
  if (Array.isArray(v)) return v.map(unwrap);
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)]));
  return v;
}

/**
 * Marks as secret every value of `outs` whose key holds a secret in `ins`; where both are
 * objects, key by key (one secret tag does not hide a whole map). As the engine's annotateSecrets.
 */
export function annotateSecrets(outs: Props, ins: Props | undefined): Props {
  if (!ins) return outs;
  const result: Props = { ...outs };
  for (const [key, inValue] of Object.entries(ins)) {
    if (!(key in result)) continue;
    const out = result[key];
    if (isPlainObject(out) && isPlainObject(inValue)) result[key] = annotateSecrets(out, inValue);
    else if (!isSecret(out) && containsSecrets(inValue)) result[key] = secret(out);
  }
  return result;
}

/**
 * Outputs as the engine gets them: secret where an input (`raw`, still wrapped) of the same key
 * was, where the spec keeps that input under another name (`storedAs`), and the spec's
 * always-secret outputs.
 */
export function wrapOutputs(spec: ResourceSpec, outs: Props, ...raw: (Props | undefined)[]): Props {
  let result = outs;
  for (const ins of raw) {
    result = annotateSecrets(result, ins);
    for (const [input, stored] of Object.entries(spec.storedAs ?? {}))
      if (ins && containsSecrets(ins[input]) && stored in result)
        result[stored] = secret(result[stored]);
  }
  for (const key of spec.secretOutputs ?? []) if (key in result) result[key] = secret(result[key]);
  return result;
}

function isPlainObject(v: unknown): v is Props {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isSecret(v);
}

/** A Struct from the request as plain JS (an unset Struct is an empty object). */
export function fromStruct(s: Struct | undefined): Props {
  return (s?.toJavaScript() as Props | undefined) ?? {};
}

/**
 * A Struct for the response. JSON has no `undefined`, nor does protobuf: members that are
 * undefined are left out, as they are in state.
 */
export function toStruct(props: Props): Struct {
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));
}

/** Inputs without the top-level nulls a program may send for properties it leaves unset. */
export function withoutNulls(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== null));
}

/**
 * The project, stack and name in a resource's URN:
 * `urn:pulumi:<stack>::<project>::<[parent types$]type>::<name>` (the name may hold `::`).
 */
export function scopeOf(urn: string): ResourceScope {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:"))
    throw new Error(`not a resource URN: ${urn}`);
  return {
    stack: parts[0].slice("urn:pulumi:".length),
    project: parts[1],
    name: parts.slice(3).join("::"),
  };
}
