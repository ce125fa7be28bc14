import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { EXAMPLE_PLAN_PATH, planJsonSchema, planJsonSchemaText, SCHEMA_FILE_PATH } from "./index.ts";

describe("the plan's JSON Schema", () => {
  it("is committed up to date", async () => {
    const committed = await readFile(SCHEMA_FILE_PATH, "utf8").catch(() => "(missing)");
    expect(committed, "schema/runsheet.schema.json is out of date: run npm run schema").toBe(
      planJsonSchemaText(),
    );
  });

  it("describes the input side: fields with defaults are optional for editors", () => {
    const schema = planJsonSchema() as {
      $id: string;
      $schema: string;
      required: string[];
      properties: { roles: { items: { required: string[] } } };
    };
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBeTruthy();
    expect(schema.required).toEqual(
      expect.arrayContaining(["organization", "definition", "severities", "roles", "templates"]),
    );
    expect(schema.required).not.toContain("version");
    expect(schema.properties.roles.items.required).toEqual(["id", "name"]);
  });

  it("is what the example's first line points editors to", async () => {
    const firstLine = (await readFile(EXAMPLE_PLAN_PATH, "utf8")).split("\n")[0];
    expect(firstLine).toBe("# yaml-language-server: $schema=../schema/runsheet.schema.json");
  });
});
