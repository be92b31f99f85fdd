// What the file backend keeps of a stack, judged for secrets: the exported state (secrets shown
// decrypted inside their envelopes, as the Automation API exports them) and every checkpoint,
// backup and history file the CLI wrote under the backend directory.
import * as fs from "fs";
import * as path from "path";
import { Sandbox } from "./engine";

/** The engine's marker of a secret value (`sig` key and value of its envelopes). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export const isSecret = (v: unknown): boolean =>
  typeof v === "object" &&
  v !== null &&
  (v as Record<string, unknown>)[SECRET_SIG] === SECRET_SIG_VALUE;

/** The value with every secret envelope replaced by a marker. */
export function blankSecrets(v: unknown): unknown {
  if (isSecret(v)) return "[secret]";
  if (Array.isArray(v)) return v.map(blankSecrets);
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blankSecrets(x)]));
  return v;
}

/** The value with every secret envelope replaced by what it holds (exports carry it decrypted). */
export function revealSecrets(v: unknown): any {
  if (isSecret(v)) {
    const envelope = v as Record<string, unknown>;
    return revealSecrets(
      typeof envelope.plaintext === "string" ? JSON.parse(envelope.plaintext) : envelope.value,
    );
  }
  if (Array.isArray(v)) return v.map(revealSecrets);
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revealSecrets(x)]));
  return v;
}

/** The file backend's checkpoint, backup and history files in a sandbox. */
export function checkpointFiles(sandbox: Sandbox): string[] {
  const out: string[] = [];
  const walk = (d: string) =>
    fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (
        /\.json(\.gz)?(\.bak)?$|\.checkpoint\.json/.test(e.name) &&
        p.includes(`${path.sep}.pulumi${path.sep}`)
      )
        out.push(p);
    });
  walk(new URL(sandbox.backendUrl).pathname);
  return out;
}

/** The names (of `secrets`) whose value appears in plaintext in any checkpoint or history file. */
export function secretsOnDisk(sandbox: Sandbox, secrets: Record<string, string>): string[] {
  const files = checkpointFiles(sandbox).map((f) => fs.readFileSync(f, "utf8"));
  return Object.entries(secrets)
    .filter(([, value]) => files.some((text) => text.includes(value)))
    .map(([what]) => what);
}
