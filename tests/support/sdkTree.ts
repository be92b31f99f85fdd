// Comparing a committed SDK tree with a freshly generated one, file by file.
import * as fs from "fs";
import * as path from "path";

/** Build output a user may leave beside the generated sources; it is no part of an SDK. */
const BUILD_OUTPUT = new Set(["node_modules", "bin", "__pycache__"]);

/** Files under `dir`, relative, with `/` separators, sorted. */
export function filesUnder(dir: string, prefix = ""): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    if (BUILD_OUTPUT.has(entry.name) || entry.name.endsWith(".egg-info")) continue;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...filesUnder(dir, relative));
    else files.push(relative);
  }
  return files.sort();
}

/**
 * The first file (in sorted order) where `committed` and `generated` disagree, with how:
 * "nodejs/package.ts differs", "… is missing" (generated, not committed), "… is not generated any
 * more"; undefined when they agree byte for byte.
 */
export function firstDifference(committed: string, generated: string): string | undefined {
  const have = filesUnder(committed);
  const want = filesUnder(generated);
  const all = [...new Set([...have, ...want])].sort();
  for (const file of all) {
    if (!have.includes(file)) return `${file} is missing`;
    if (!want.includes(file)) return `${file} is not generated any more`;
    const a = fs.readFileSync(path.join(committed, file));
    const b = fs.readFileSync(path.join(generated, file));
    if (!a.equals(b)) return `${file} differs`;
  }
  return undefined;
}
