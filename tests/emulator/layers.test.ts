// The emulator's wings stay what the layout says: each folder imports only from its own wing or
// those below it, and no module reaches itself through its imports. Read from the sources with
// the TypeScript compiler's own import scanner, so type-only imports count too.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "../../emulator");
/** Lowest first; "top" is the files beside the folders (index, options, the CLI). */
const WINGS = ["protocol", "state", "s3", "panorama", "control", "server", "top"];
/** Top-level files that belong to a wing: the graph.json and package.json checks the handlers read. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function wingOf(file: string): string {
  const [first, ...rest] = path.relative(ROOT, file).split(path.sep);
  return rest.length ? first : "top";
}

/** Each emulator module and the emulator modules it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(ROOT)) {
    const imported = ts
      .preProcessFile(fs.readFileSync(file, "utf8"), true, true)
      .importedFiles.map((i) => i.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => path.resolve(path.dirname(file), name))
      .map((target) =>
        fs.existsSync(target + ".ts") ? target + ".ts" : path.join(target, "index.ts"),
      )
      .filter((target) => target.startsWith(ROOT + path.sep) && fs.existsSync(target));
    graph.set(file, imported);
  }
  return graph;
}

const name = (file: string) => path.relative(ROOT, file);

describe("emulator: the wings and the direction of their imports", () => {
  const graph = importGraph();

  it("every file sits in a known wing", () => {
    const unknown = [...graph.keys()].filter((f) => !WINGS.includes(wingOf(f))).map(name);
    assert.deepStrictEqual(unknown, [], `add the folder to WINGS in its place: ${unknown}`);
  });

  it("no import runs from a lower wing up to a higher one", () => {
    const upward = [...graph].flatMap(([from, targets]) =>
      targets
        .filter((to) => WINGS.indexOf(wingOf(to)) > WINGS.indexOf(wingOf(from)))
        .map((to) => `${name(from)} -> ${name(to)}`),
    );
    assert.deepStrictEqual(upward, []);
  });

  it("no module reaches itself through its imports", () => {
    const cycles: string[] = [];
    const done = new Set<string>();
    const walk = (file: string, trail: string[]) => {
      const at = trail.indexOf(file);
      if (at >= 0) return void cycles.push([...trail.slice(at), file].map(name).join(" -> "));
      if (done.has(file)) return;
      for (const next of graph.get(file) ?? []) walk(next, [...trail, file]);
      done.add(file);
    };
    for (const file of graph.keys()) walk(file, []);
    assert.deepStrictEqual(cycles, []);
  });
});
