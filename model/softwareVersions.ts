// Appliance software versions are dotted triples (4.3.55, 6.2.1); "major" is the first number.
// The emulator orders and checks them; the fleet compares a device with its baseline.

export const SOFTWARE_VERSION_PATTERN = /^\d+\.\d+\.\d+$/;

/** Negative, zero or positive as `a` is older than, the same as or newer than `b`. */
export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

export function majorOf(version: string): number {
  return Number(version.split(".")[0]);
}
