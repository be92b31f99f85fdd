// What every handler works with: the state (replaced wholesale on reset, so always read
// `rt.state`), the service settings, the live timing settings and the service clock.
import { BlobStore } from "./blobs";
import { SecretBox } from "./secrets";
import { ServiceClock } from "./serviceClock";
import { ServiceSettings } from "./settings";
import { EmulatorState } from "./state";
import { TimingSettings } from "./timing";

export interface Runtime {
  state: EmulatorState;
  /** S3 object bodies, by sha256. */
  blobs: BlobStore;
  /** Seals the secrets the state keeps (secrets.ts). */
  secrets: SecretBox;
  options: ServiceSettings;
  timing: TimingSettings;
  clock: ServiceClock;
  random: () => number;
  log: (line: string) => void;
  /** Set by handlers that changed the state, so the server knows to persist. */
  dirty: boolean;
}
