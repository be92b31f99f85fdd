// What the emulator holds, counted from its state endpoint (neither rate limited nor faulted) or
// listed through the real SDK: the other side of every "state and service agree" check.
import { ListPackageImportJobsCommand, PanoramaClient } from "@aws-sdk/client-panorama";

interface EmulatorWithState {
  control: { state(): Record<string, unknown> };
}

type Records = Record<string, Record<string, any>>;
const records = (emu: EmulatorWithState, kind: string): Record<string, any>[] =>
  Object.values(emu.control.state()[kind] as Records);

/** Every import job id the emulator holds (jobs are history: they are never deleted). */
export function jobIdsInEmulator(emu: EmulatorWithState): string[] {
  return Object.keys(emu.control.state().importJobs as Records).sort();
}

/** Every import job id the service holds, through the API. */
export async function jobIdsInService(panorama: PanoramaClient): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await panorama.send(
      new ListPackageImportJobsCommand({ NextToken, MaxResults: 25 }),
    );
    ids.push(...page.PackageImportJobs!.map((j) => j.JobId!));
    NextToken = page.NextToken;
  } while (NextToken);
  return ids.sort();
}

/** `packageId version patch`, the key a patch is counted by. */
export const patchName = (packageId: string, packageVersion: string, patchVersion: string) =>
  `${packageId} ${packageVersion} ${patchVersion}`;

/** What exists in the emulator and has not been deleted, deregistered or removed. */
export interface Census {
  packages: string[];
  /** Registered or registering patches, as patchName(). */
  patches: string[];
  /** Instances not removed (REMOVAL_SUCCEEDED). */
  instances: string[];
  jobs: string[];
  /** Every client token the emulator has seen. */
  clientTokens: string[];
}

export function census(emu: EmulatorWithState): Census {
  return {
    packages: records(emu, "packages")
      .map((p) => p.packageId)
      .sort(),
    patches: records(emu, "patches")
      .filter((p) => p.status === "REGISTER_COMPLETED" || p.status === "REGISTER_PENDING")
      .map((p) => patchName(p.packageId, p.packageVersion, p.patchVersion))
      .sort(),
    instances: records(emu, "applicationInstances")
      .filter((i) => i.status !== "REMOVAL_SUCCEEDED")
      .map((i) => i.applicationInstanceId)
      .sort(),
    jobs: jobIdsInEmulator(emu),
    clientTokens: records(emu, "importJobs").map((j) => j.clientToken),
  };
}
