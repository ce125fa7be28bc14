import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateApiFiles, OPENAPI_FILE, SCHEMA_FILE } from "../scripts/gen-api-types.ts";

/** The web app's API types come from the server's OpenAPI document; a change to the API must regenerate them. */
describe("the web app's generated API types", () => {
  it("match the server's OpenAPI document", async () => {
    const fresh = await generateApiFiles();
    const stale = "web/src/api is stale: run npm run gen:api";
    expect(readFileSync(OPENAPI_FILE, "utf8") === fresh.openapi, stale).toBe(true);
    expect(readFileSync(SCHEMA_FILE, "utf8") === fresh.schema, stale).toBe(true);
  });
});
