// The lifecycle's diff as the engine's DiffResponse: what replaces, what updates in place, and a
// detailed diff naming each, so `pulumi preview --diff` says which input forces a replacement.
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import { inputNames, Props, ResourceSpec } from "../lifecycle/resourceSpec";
import { provproto } from "./grpcRuntime";

export interface LifecycleDiff {
  changes?: boolean;
  replaces?: string[];
  /** Absent from a lifecycle that does not name its in-place changes: no detailed diff then. */
  updates?: string[];
  deleteBeforeReplace?: boolean;
}

/** Keys the lifecycle reports that are not properties of the plugin's resources. */
const NOT_PROPERTIES = ["__provider"];

export function detailedDiff(
  spec: ResourceSpec,
  olds: Props,
  news: Props,
  result: LifecycleDiff,
): pb.DiffResponse {
  const { DiffChanges } = provproto.DiffResponse;
  const Kind = provproto.PropertyDiff.Kind;
  const resp = new provproto.DiffResponse();
  resp.setChanges(
    result.changes === true
      ? DiffChanges.DIFF_SOME
      : result.changes === false
        ? DiffChanges.DIFF_NONE
        : DiffChanges.DIFF_UNKNOWN,
  );
  const replaces = (result.replaces ?? []).filter((k) => !NOT_PROPERTIES.includes(k));
  resp.setReplacesList(replaces);
  resp.setDeletebeforereplace(result.deleteBeforeReplace === true);
  if (!result.updates) {
    resp.setDiffsList(replaces);
    return resp;
  }
  const updates = result.updates.filter(
    (k) => !NOT_PROPERTIES.includes(k) && !replaces.includes(k),
  );
  const inputs = inputNames(spec);
  const details = resp.getDetaileddiffMap();
  const entry = (key: string, replace: boolean) => {
    const before = olds[spec.storedAs?.[key] ?? key];
    const kind =
      before === undefined
        ? replace
          ? Kind.ADD_REPLACE
          : Kind.ADD
        : news[key] === undefined && inputs.includes(key)
          ? replace
            ? Kind.DELETE_REPLACE
            : Kind.DELETE
          : replace
            ? Kind.UPDATE_REPLACE
            : Kind.UPDATE;
    const diff = new provproto.PropertyDiff();
    diff.setKind(kind);
    diff.setInputdiff(inputs.includes(key));
    details.set(key, diff);
  };
  replaces.forEach((key) => entry(key, true));
  updates.forEach((key) => entry(key, false));
  resp.setDiffsList([...replaces, ...updates]);
  resp.setHasdetaileddiff(true);
  return resp;
}
