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
  /** Packages made by CreatePackage or an import job (a camera's package is in cameraPackages). */
  packages: string[];
  /** Packages a camera template job made: the service's, kept when the camera's patch goes. */
  cameraPackages: string[];
  /** Registered or registering patches, as patchName(). */
  patches: string[];
  /** Instances not removed (REMOVAL_SUCCEEDED). */
  instances: string[];
  /** Import jobs. */
  jobs: string[];
  /** Camera template jobs (history too: they cannot be deleted). */
  templateJobs: string[];
  /** OTA and REBOOT jobs (history too). */
  deviceJobs: string[];
  /** Template and device jobs still running (neither SUCCEEDED, COMPLETED nor FAILED). */
  runningJobs: string[];
  /** Every client token the emulator has seen. */
  clientTokens: string[];
}

export function census(emu: EmulatorWithState): Census {
  const templateJobs = records(emu, "templateJobs");
  const deviceJobs = records(emu, "deviceJobs");
  const made = new Set(templateJobs.map((j) => j.output?.packageId).filter(Boolean));
  const packages = records(emu, "packages").map((p) => p.packageId);
  return {
    packages: packages.filter((id) => !made.has(id)).sort(),
    cameraPackages: packages.filter((id) => made.has(id)).sort(),
    patches: records(emu, "patches")
      .filter((p) => p.status === "REGISTER_COMPLETED" || p.status === "REGISTER_PENDING")
      .map((p) => patchName(p.packageId, p.packageVersion, p.patchVersion))
      .sort(),
    instances: records(emu, "applicationInstances")
      .filter((i) => i.status !== "REMOVAL_SUCCEEDED")
      .map((i) => i.applicationInstanceId)
      .sort(),
    jobs: jobIdsInEmulator(emu),
    templateJobs: templateJobs.map((j) => j.jobId).sort(),
    deviceJobs: deviceJobs.map((j) => j.jobId).sort(),
    runningJobs: [...templateJobs, ...deviceJobs]
      .filter((j) => j.transition)
      .map((j) => j.jobId)
      .sort(),
    clientTokens: records(emu, "importJobs").map((j) => j.clientToken),
  };
}
