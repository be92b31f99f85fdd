// The start-up settings the services run with: the account and region in ARNs, the quotas, the
// devices seeded at start and after every reset, and the start-up timing a reset goes back to.
// The emulator's options (../options.ts) resolve into these, plus what only the server reads.
import { TimingSettings } from "./timing";

export interface DeviceSeed {
  name: string;
  /** @default derived from the account and the name, stable across resets and restarts */
  deviceId?: string;
  description?: string;
  /** @default "PANORAMA_APPLIANCE" */
  type?: "PANORAMA_APPLIANCE" | "PANORAMA_APPLIANCE_DEVELOPER_KIT";
  /** @default "AWS_PANORAMA" */
  brand?: "AWS_PANORAMA" | "LENOVO";
  tags?: Record<string, string>;
  /** The installed software. @default "6.2.1" */
  currentSoftware?: string;
  /** The newest software offered to it. @default currentSoftware */
  latestSoftware?: string;
}

/** Limits from the Panorama developer guide (reference §10); raise them for benchmarks. */
export interface Quotas {
  /** @default 50 */
  packages: number;
  /** Registered patch versions per package. @default 20 */
  patchesPerPackage: number;
  /** Application instances that are not REMOVAL_SUCCEEDED, per device. @default 10 */
  applicationInstancesPerDevice: number;
}

export interface ServiceSettings {
  accountId: string;
  region: string;
  quotas: Quotas;
  devices: DeviceSeed[];
  /** The timing at start; the live settings are `Runtime.timing`. */
  timing: TimingSettings;
}
