// What the request pipeline works with: the runtime, the settings it reads of the emulator's
// options, the request counter, the control surface, and how to save the state.
import { EmulatorControl } from "../control/emulatorControl";
import { RequestCounter } from "../control/requestCounts";
import { RequestHook } from "../control/requestHooks";
import { Credentials } from "../protocol/sigv4";
import { Runtime } from "../state/runtime";

export interface BodyLimits {
  /** @default 6 MiB */
  panorama: number;
  /** @default 64 MiB */
  s3: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { panorama: 6 * 1024 * 1024, s3: 64 * 1024 * 1024 };

/** What the pipeline reads of the emulator's options. */
export interface PipelineSettings {
  /** The credentials the SigV4 check verifies. */
  credentials: Credentials;
  /** Accept any other access key id too, checking its signature's shape only (SigV4Policy). */
  acceptAnyAccessKey: boolean;
  /** Request body limits; larger bodies get 413. */
  maxBodyBytes: BodyLimits;
  /** The bearer token the control API then requires. */
  controlToken?: string;
  /** Consulted in order after routing; the first with an opinion decides. */
  hooks: RequestHook[];
}

export interface PipelineDeps {
  rt: Runtime;
  settings: PipelineSettings;
  counter: RequestCounter;
  control: EmulatorControl;
  /** Saves the state; resolves once the changes made so far are durable. */
  persist: () => Promise<void>;
  /** Resolves once the changes made so far are durable, without starting a save. */
  settled: () => Promise<void>;
}
