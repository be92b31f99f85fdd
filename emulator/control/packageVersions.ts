// Patch-version outcomes on demand: `POST /_emulator/package-versions/<packageId>/<version>/
// <patch>/complete` ends a pending registration or deregistration now, `…/fail {message}` fails a
// pending registration.
import { describePackageVersion, settlePatch } from "../panorama/packageVersions";
import { PatchRecord } from "../state/records";
import { Runtime } from "../state/runtime";
import { patchKey } from "../state/state";
import { change, ControlContext } from "./controlContext";
import { ControlEndpoints, ControlError, ok } from "./controlEndpoint";
import type { EmulatorControl } from "./emulatorControl";

export function packageVersionControls(
  ctx: ControlContext,
): Pick<EmulatorControl, "completePackageVersion" | "failPackageVersion"> {
  const { rt } = ctx;
  const describe = (packageId: string, version: string, patch: string) =>
    describePackageVersion(rt, {
      PackageId: packageId,
      PackageVersion: version,
      PatchVersion: patch,
    });
  return {
    completePackageVersion: (packageId: string, version: string, patch: string) =>
      change(ctx, () => {
        settlePatch(rt, pendingPatch(rt, packageId, version, patch), rt.clock.now());
        // A deregistered patch is gone: nothing to describe.
        return rt.state.patches[patchKey(packageId, version, patch)]
          ? describe(packageId, version, patch)
          : undefined;
      }),
    failPackageVersion: (packageId: string, version: string, patch: string, message?: string) =>
      change(ctx, () => {
        const p = pendingPatch(rt, packageId, version, patch);
        if (p.transition?.kind !== "register")
          throw new ControlError(409, "Only a pending registration can be failed.");
        settlePatch(
          rt,
          p,
          rt.clock.now(),
          message || "The registration was failed by the emulator control API.",
        );
        return describe(packageId, version, patch);
      }),
  };
}

export const packageVersionEndpoints: ControlEndpoints<EmulatorControl> = {
  "package-versions": (c, { method, id, rest, input }) => {
    if (method !== "POST" || !id || rest.length !== 3) return undefined;
    const [version, patch, verb] = rest;
    if (verb === "complete") return ok(c.completePackageVersion(id, version, patch));
    if (verb === "fail") return ok(c.failPackageVersion(id, version, patch, input.message));
    return undefined;
  },
};

function pendingPatch(rt: Runtime, packageId: string, version: string, patch: string): PatchRecord {
  const p = rt.state.patches[patchKey(packageId, version, patch)];
  if (!p) throw new ControlError(404, `No patch ${patch} of ${packageId} ${version}.`);
  if (!p.transition)
    throw new ControlError(
      409,
      `Patch ${patch} of ${packageId} ${version} is not pending (status ${p.status}).`,
    );
  return p;
}
