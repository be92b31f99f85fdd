// How long each asynchronous lifecycle takes, in the style of moto's state manager:
// `immediate` (done by the next request), `timed` (durationMs, optional ± jitter fraction) or
// `manual` (stays pending until a control call completes or fails it).

export const LIFECYCLES = [
  "importJob",
  "deployment",
  "removal",
  "packageVersion",
  "templateJob",
  "deviceUpdate",
  "deviceReboot",
  "nodeSignal",
] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const TRANSITION_MODES = ["immediate", "timed", "manual"] as const;
export type TransitionMode = (typeof TRANSITION_MODES)[number];

export interface LifecycleTiming {
  mode: TransitionMode;
  /** Time from start to the final status in `timed` mode. @default see DEFAULT_TIMING */
  durationMs: number;
  /** Random spread as a fraction of durationMs: the actual duration is durationMs × (1 ± jitter). @default 0 */
  jitter: number;
}

export type TimingSettings = Record<Lifecycle, LifecycleTiming>;
export type TimingPatch = Partial<Record<Lifecycle, Partial<LifecycleTiming>>>;

/** Short enough for tests, long enough that a client sees the pending states. */
export const DEFAULT_TIMING: TimingSettings = {
  importJob: { mode: "timed", durationMs: 1000, jitter: 0 },
  deployment: { mode: "timed", durationMs: 1500, jitter: 0 },
  removal: { mode: "timed", durationMs: 500, jitter: 0 },
  packageVersion: { mode: "timed", durationMs: 500, jitter: 0 },
  templateJob: { mode: "timed", durationMs: 1000, jitter: 0 },
  /** An OTA job, PENDING to COMPLETED; its five steps share the time equally. */
  deviceUpdate: { mode: "timed", durationMs: 5000, jitter: 0 },
  /** A REBOOT job, PENDING to COMPLETED; the device is offline for the second half. */
  deviceReboot: { mode: "timed", durationMs: 2000, jitter: 0 },
  /** From a PAUSE / RESUME to the node instance reporting it; 0: at once. */
  nodeSignal: { mode: "timed", durationMs: 0, jitter: 0 },
};

/** Applies a partial change, refusing impossible values with a message that says what to change. */
export function mergeTiming(base: TimingSettings, patch: TimingPatch | undefined): TimingSettings {
  const out = structuredClone(base);
  if (!patch) return out;
  if (typeof patch !== "object" || Array.isArray(patch))
    throw new Error("timing must be an object keyed by lifecycle");
  for (const [name, change] of Object.entries(patch)) {
    if (!(LIFECYCLES as readonly string[]).includes(name))
      throw new Error(`Unknown lifecycle "${name}" in timing; use one of ${LIFECYCLES.join(", ")}`);
    if (!change) continue;
    const t = { ...out[name as Lifecycle], ...change };
    if (!(TRANSITION_MODES as readonly string[]).includes(t.mode))
      throw new Error(
        `timing.${name}.mode must be one of ${TRANSITION_MODES.join(", ")}, got ${JSON.stringify(t.mode)}`,
      );
    if (typeof t.durationMs !== "number" || !Number.isFinite(t.durationMs) || t.durationMs < 0)
      throw new Error(
        `timing.${name}.durationMs must be a non-negative number, got ${JSON.stringify(t.durationMs)}`,
      );
    if (typeof t.jitter !== "number" || !(t.jitter >= 0 && t.jitter <= 1))
      throw new Error(
        `timing.${name}.jitter must be a fraction between 0 and 1, got ${JSON.stringify(t.jitter)}`,
      );
    out[name as Lifecycle] = { mode: t.mode, durationMs: t.durationMs, jitter: t.jitter };
  }
  return out;
}

/**
 * When a transition started at `startedAt` finishes; `null` means never on its own (manual mode).
 * The timing is read when the transition starts, so changing it later does not move pending work.
 */
export function dueAt(
  timing: LifecycleTiming,
  startedAt: number,
  random: () => number = Math.random,
): number | null {
  switch (timing.mode) {
    case "immediate":
      return startedAt;
    case "manual":
      return null;
    case "timed": {
      const spread = timing.jitter * (2 * random() - 1);
      return startedAt + Math.max(0, Math.round(timing.durationMs * (1 + spread)));
    }
  }
}

/** The point at which a pending transition shows its second phase (e.g. DEPLOYMENT_IN_PROGRESS). */
export function midpoint(startedAt: number, due: number | null): number | null {
  return due === null ? null : startedAt + Math.floor((due - startedAt) / 2);
}

/** A pending transition whose time has come: when it was due, and how to settle it. */
export interface DueTransition {
  at: number;
  settle: () => void;
}

/**
 * The transitions of `records` due by `now`. Each settles only if it is still the one that fell
 * due (settling one record may already have ended another, as a replacement ends the instance it
 * replaces).
 */
export function dueTransitions<R extends { transition?: { dueAt: number | null } }>(
  records: Iterable<R>,
  now: number,
  settle: (record: R, at: number) => void,
): DueTransition[] {
  const due: DueTransition[] = [];
  for (const record of records) {
    const at = record.transition?.dueAt;
    if (at != null && at <= now)
      due.push({
        at,
        settle: () => {
          if (record.transition?.dueAt === at) settle(record, at);
        },
      });
  }
  return due;
}
