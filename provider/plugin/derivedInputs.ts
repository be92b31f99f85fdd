// The spec's derived inputs (tokens, marker keys) on the plugin door: the class computes them in
// the program from project, stack and name; here they come from the URN, so a stack moved from
// one door to the other keeps every token and key. An import records them too, so that the
// program that names the imported object shows no change.
import { inputNames, pendingDerivations, derivationSources } from "../lifecycle/resourceSpec";
import type { Props, ResourceScope, ResourceSpec } from "../lifecycle/resourceSpec";
import { containsUnknown, UNKNOWN } from "../lifecycle/unknowns";
import { containsSecrets, secret } from "./properties";

/**
 * Inputs with the derived ones filled in; a value derived from a secret is secret, one derived
 * from a value not known yet (preview) is not known either. `raw` are the inputs still wrapped.
 */
export function withDerivedInputs(
  spec: ResourceSpec,
  scope: ResourceScope,
  inputs: Props,
  raw: Props,
): { inputs: Props; secretKeys: string[] } {
  const result = { ...inputs };
  const secretKeys: string[] = [];
  for (const [key, d] of pendingDerivations(spec, inputs)) {
    const from = derivationSources(d, inputs);
    result[key] = containsUnknown(from) ? UNKNOWN : d.derive(scope, from);
    if (containsSecrets(derivationSources(d, raw))) secretKeys.push(key);
  }
  return { inputs: result, secretKeys };
}

/** Marks the given keys of `props` secret. */
export function withSecretKeys(props: Props, keys: readonly string[]): Props {
  const result = { ...props };
  for (const key of keys) if (key in result) result[key] = secret(result[key]);
  return result;
}

/**
 * What an import records: as inputs, the object's settings the program would write (its
 * parameters and options as read, the region only where it is not the provider's) with the
 * derived inputs a program's Check would add, and as outputs what was read with those derived
 * inputs under the names diff compares them by. The program that names the object (with or
 * without the derived inputs) then previews no change, and so does a refresh.
 */
export function importedState(
  spec: ResourceSpec,
  scope: ResourceScope,
  outs: Props,
  defaultRegion: string | undefined,
): { inputs: Props; outs: Props } {
  const derived = Object.keys(spec.derived ?? {});
  const inputs: Props = {};
  for (const key of inputNames(spec)) {
    const value = outs[key];
    if (value === undefined || derived.includes(key) || spec.createOnly?.includes(key)) continue;
    if (key === "region" && value === defaultRegion) continue;
    if (isEmptyObject(value)) continue;
    inputs[key] = value;
  }
  const recorded = { ...outs };
  for (const [key, d] of pendingDerivations(spec, inputs)) {
    inputs[key] = d.derive(scope, derivationSources(d, inputs));
    recorded[spec.storedAs?.[key] ?? key] = inputs[key];
  }
  return { inputs, outs: recorded };
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}
