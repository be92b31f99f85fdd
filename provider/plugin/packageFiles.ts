// Files of the installed pulumi-panorama package the plugin serves: its version and schema.json.
import * as fs from "fs";
import * as path from "path";

export const PACKAGE_NAME = "pulumi-panorama";

let root: string | undefined;

/** The directory of this package's package.json (from dist/ or from the sources alike). */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (
      fs.existsSync(manifest) &&
      JSON.parse(fs.readFileSync(manifest, "utf8")).name === PACKAGE_NAME
    )
      return (root = dir);
    if (path.dirname(dir) === dir)
      throw new Error(`${PACKAGE_NAME}: package.json not found above ${__dirname}`);
  }
}

export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")).version;
}

/** Where the checked-in schema is (the package's root, shipped with it). */
export function schemaPath(): string {
  return path.join(packageRoot(), "schema.json");
}
