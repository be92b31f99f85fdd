// The provider text Pulumi stores in state, and a fresh Node process that loads it the way the
// dynamic-provider host does (require-from-string, `.handler()`), to call one of its methods.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

const ROOT = path.resolve(__dirname, "../..");

export async function serializeProvider(
  provider: pulumi.dynamic.ResourceProvider,
): Promise<{ text: string; containsSecrets: boolean }> {
  return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
}

/** Loads `text` in a new process started in the repository root and returns `method(...args)`'s result. */
export function callInFreshProcess(text: string, method: string, args: unknown[]): any {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-ser-"));
  const file = path.join(dir, "provider.txt");
  fs.writeFileSync(file, text);
  const script = `
    const requireFromString = require("require-from-string");
    const provider = requireFromString(require("fs").readFileSync(${JSON.stringify(file)}, "utf8"), "").handler();
    provider[${JSON.stringify(method)}](...${JSON.stringify(args)})
      .then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
  try {
    // Like the dynamic-provider process, which runs in the program directory.
    const out = execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop()!);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
