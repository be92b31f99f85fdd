// The order a new version reaches a fleet: the canary devices first, then batches of at most
// `maxParallel`. Each wave's deployments depend on every deployment of the wave before it, so the
// Pulumi engine enforces the order and stops the later waves when one deployment fails.

export interface RolloutPolicy {
  /** Devices deployed first, alone, before any batch. @default 1 */
  canary?: number;
  /** Most devices deployed at once after the canary. @default 1 */
  maxParallel?: number;
  /**
   * After DEPLOYMENT_SUCCEEDED with health RUNNING, how long each device must stay RUNNING before
   * the next wave starts. @default 0 (the next wave starts at once)
   */
  healthySeconds?: number;
}

export const DEFAULT_ROLLOUT: Required<RolloutPolicy> = {
  canary: 1,
  maxParallel: 1,
  healthySeconds: 0,
};

/** The policy's problems, each naming its property. */
export function rolloutPolicyProblems(policy: RolloutPolicy | undefined): string[] {
  const p = { ...DEFAULT_ROLLOUT, ...policy };
  const problems: string[] = [];
  if (!Number.isInteger(p.canary) || p.canary < 0)
    problems.push(`rollout.canary: must be a whole number of devices, 0 or more (got ${p.canary})`);
  if (!Number.isInteger(p.maxParallel) || p.maxParallel < 1)
    problems.push(
      `rollout.maxParallel: must be a whole number of devices, 1 or more (got ${p.maxParallel})`,
    );
  if (
    typeof p.healthySeconds !== "number" ||
    !Number.isFinite(p.healthySeconds) ||
    p.healthySeconds < 0 ||
    p.healthySeconds > 3600
  )
    problems.push(
      `rollout.healthySeconds: must be a number of seconds from 0 to 3600 (got ${p.healthySeconds})`,
    );
  return problems;
}

/** The devices in waves: `[canary devices, batch 1, batch 2, …]`, keeping their order. */
export function rolloutWaves<T>(devices: T[], policy: RolloutPolicy | undefined): T[][] {
  const p = { ...DEFAULT_ROLLOUT, ...policy };
  const waves: T[][] = [];
  const canary = devices.slice(0, p.canary);
  if (canary.length) waves.push(canary);
  for (let i = canary.length; i < devices.length; i += p.maxParallel)
    waves.push(devices.slice(i, i + p.maxParallel));
  return waves;
}
