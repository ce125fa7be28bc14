import { fileURLToPath } from "node:url";
import { z } from "zod";
import { Plan } from "./schema.ts";

/**
 * The JSON Schema of runsheet.yaml, generated from the zod schema so the two
 * cannot drift. It describes the input side: fields with defaults are optional,
 * which is what an editor (yaml-language-server) should accept while typing.
 */
export const SCHEMA_FILE_PATH = fileURLToPath(new URL("../../schema/runsheet.schema.json", import.meta.url));

export function planJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(Plan, { io: "input", target: "draft-2020-12" });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: "urn:runsheet:schema:plan:1",
    title: "Runsheet plan (runsheet.yaml)",
    description:
      "An incident response plan: what counts as an incident, severities, roles, communication channels, status update templates and incident values. Validate with `runsheet validate`.",
    ...rest,
  };
}

/** The exact text of schema/runsheet.schema.json. */
export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
