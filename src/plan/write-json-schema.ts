import { writeFile } from "node:fs/promises";
import { planJsonSchemaText, SCHEMA_FILE_PATH } from "./json-schema.ts";

// `npm run schema`: regenerates the committed JSON Schema after schema.ts changes.
await writeFile(SCHEMA_FILE_PATH, planJsonSchemaText());
process.stdout.write(`wrote ${SCHEMA_FILE_PATH}\n`);
