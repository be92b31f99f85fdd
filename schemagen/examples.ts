// Usage examples of a resource, appended to its schema description: examples/<Type>.md holds a
// `{{% examples %}}` block with one code block per language, and each SDK generator keeps its own
// language's (TypeScript, Python, Go; YAML for readers of the schema). tests/tools/sdkExamples.test.ts
// type-checks, compiles or checks each against the generated SDKs.
import * as fs from "fs";
import * as path from "path";

export const EXAMPLES_DIR = path.join(__dirname, "examples");

export function resourceExamples(type: string): string | undefined {
  const file = path.join(EXAMPLES_DIR, `${type}.md`);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : undefined;
}
