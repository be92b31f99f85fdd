// The version of the package the emulator ships in, for `--version` and the health answer.
import * as fs from "fs";
import * as path from "path";

/** The version in pulumi-panorama's package.json (found above dist/emulator/ or emulator/). */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
      if (pkg.name === "pulumi-panorama") return pkg.version;
    }
  }
  throw new Error("cannot find the pulumi-panorama package.json");
}
