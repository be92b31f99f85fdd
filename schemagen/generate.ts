// `npm run schema`: writes schema.json (refusing to while the declarations disagree).
import * as fs from "fs";
import { schemaPath } from "../provider/plugin/packageFiles";
import { generateSchema, schemaText } from "./schema";

const { schema, problems } = generateSchema();
if (problems.length) {
  console.error(`schema.json not written; the declarations disagree:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
fs.writeFileSync(schemaPath(), schemaText(schema));
console.log(`wrote ${schemaPath()}`);
