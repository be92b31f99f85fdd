// Helpers shared by the benchmark's processes: manifests, the environment pointing AWS clients at
// an emulator, call counting on an SDK client, and small statistics.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The repository (through the package's self-link, so this also holds for a transpiled copy elsewhere). */
export const REPO_ROOT = path.dirname(
  fs.realpathSync(require.resolve("pulumi-panorama/package.json")),
);
export const TMP_DIR = path.join(REPO_ROOT, "bench", ".tmp");
export const MANIFEST_BUCKET = "bench-manifests";
export const REGION = "us-east-1";

/** A valid node-package manifest for `name` `version` (the emulator imports only matching ones). */
export function manifest(name: string, version: string): string {
  const m = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, "examples/quickstart/sample-code.package.json"), "utf8"),
  );
  m.nodePackage.name = name;
  m.nodePackage.version = version;
  return JSON.stringify(m, null, 2);
}

/** The variables a user exports to point the AWS SDK (and so the provider) at an emulator. */
export function emulatorEnv(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_PANORAMA: url,
    AWS_ENDPOINT_URL_S3: url,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: REGION,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

export interface CallCounts {
  total: number;
  byOperation: Record<string, number>;
}

/** Counts every HTTP attempt `client` makes, by operation (retries included, as the service sees them). */
export function countCalls(client: {
  middlewareStack: { addRelativeTo(m: any, o: any): void };
}): CallCounts {
  const counts: CallCounts = { total: 0, byOperation: {} };
  client.middlewareStack.addRelativeTo(
    (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) =>
      async (args: unknown) => {
        const op = (context.commandName ?? "?").replace(/Command$/, "");
        counts.total++;
        counts.byOperation[op] = (counts.byOperation[op] ?? 0) + 1;
        return next(args);
      },
    { name: "benchCallCounter", relation: "before", toMiddleware: "httpSigningMiddleware" },
  );
  return counts;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
}

export const median = (v: number[]) => quantile(v, 0.5);
export const max = (v: number[]) => (v.length ? Math.max(...v) : NaN);

/** Writes one result line a parent process can pick out of the child's other output. */
export function emitResult(value: unknown): void {
  process.stdout.write(`RESULT ${JSON.stringify(value)}\n`);
}

/** The commit the results were measured at (short), or "?" outside a git checkout. */
export function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    }).trim();
  } catch {
    return "?";
  }
}
