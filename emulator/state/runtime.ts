// What every handler works with: the state (replaced wholesale on reset, so always read
// `rt.state`), the resolved options, the live timing settings and the emulator clock.
import { BlobStore } from "./blobs";
import { Clock } from "./serviceClock";
import { ResolvedOptions } from "../options";
import { EmulatorState } from "./state";
import { TimingSettings } from "./timing";

export interface Runtime {
  state: EmulatorState;
  /** S3 object bodies, by sha256. */
  blobs: BlobStore;
  options: ResolvedOptions;
  timing: TimingSettings;
  clock: Clock;
  random: () => number;
  log: (line: string) => void;
  /** Set by handlers that changed the state, so the server knows to persist. */
  dirty: boolean;
}
