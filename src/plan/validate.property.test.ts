import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocument, stringify } from "yaml";
import { type PlanResult, parsePlan } from "./index.ts";
import { MINIMAL_PLAN } from "./test-fixtures.ts";

/** Whatever the input, parsePlan answers: a plan, or errors that point inside the text. */
function expectWellFormed(result: PlanResult, text: string): void {
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  const lines = text.split("\n").length;
  for (const error of result.errors) {
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(lines);
    expect(error.col).toBeGreaterThanOrEqual(1);
    expect(error.path).not.toBe("");
    expect(error.message).not.toBe("");
    expect(error.hint).toBeTruthy();
  }
}

describe("parsePlan on arbitrary input", () => {
  it("never throws for arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        expectWellFormed(parsePlan(text), text);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws for arbitrary YAML-looking text", () => {
    const token = fc.constantFrom(
      ":",
      " ",
      "\n",
      "  ",
      "- ",
      "[",
      "]",
      "{",
      "}",
      "'",
      '"',
      "#",
      "&a",
      "*a",
      "!!str",
      "{{",
      "roles",
      "id",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        const text = tokens.join("");
        expectWellFormed(parsePlan(text), text);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws for arbitrary JSON-ish values dumped as YAML", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = stringify(value);
        expectWellFormed(parsePlan(text), text);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws when any field of a valid plan is replaced by an arbitrary value", () => {
    const doc = parseDocument(MINIMAL_PLAN);
    const paths: Array<Array<string | number>> = [
      ["organization"],
      ["organization", "name"],
      ["definition", "criteria", 0],
      ["definition", "criteria", 0, "match"],
      ["severities", 0, "update_every"],
      ["roles"],
      ["roles", 1, "lead"],
      ["channels", 0, "when"],
      ["channels", 0, "who", "roles"],
      ["channels", 0, "settings", "webhook_url"],
      ["templates", "investigating"],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const copy = doc.clone();
        copy.setIn(path, value);
        const text = copy.toString();
        expectWellFormed(parsePlan(text), text);
      }),
      { numRuns: 300 },
    );
  });
});
