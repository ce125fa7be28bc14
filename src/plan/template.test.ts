import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderTemplate, TEMPLATE_VARIABLES, templateVariablesIn } from "./index.ts";

describe("TEMPLATE_VARIABLES", () => {
  it("has the variables the plan's templates rely on, each described", () => {
    const names = TEMPLATE_VARIABLES.map((v) => v.name);
    for (const name of [
      "incident.title",
      "incident.reference",
      "incident.summary",
      "incident.status",
      "incident.url",
      "incident.impact_started_at",
      "incident.declared_at",
      "severity.id",
      "severity.name",
      "severity.description",
      "components",
      "next_update_in",
      "next_update_at",
      "organization.name",
    ]) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
    for (const v of TEMPLATE_VARIABLES) expect(v.description.length).toBeGreaterThan(10);
  });
});

describe("templateVariablesIn", () => {
  it("lists distinct names in order of first use, with or without spaces", () => {
    expect(templateVariablesIn("{{incident.title}} at {{ next_update_at }}, {{  incident.title }}")).toEqual([
      "incident.title",
      "next_update_at",
    ]);
  });

  it("reports malformed placeholders too, so validation can reject them", () => {
    expect(templateVariablesIn("{{ incident title }} and {{}}")).toEqual(["incident title", ""]);
  });
});

describe("renderTemplate", () => {
  it("fills placeholders, spaces optional, and empties missing ones", () => {
    const text =
      "{{incident.title}} ({{ severity.name }}): next update in {{ next_update_in }}.{{ incident.summary }}";
    const vars = {
      "incident.title": "Card payments failing",
      "severity.name": "Critical",
      next_update_in: "20 minutes",
    };
    expect(renderTemplate(text, vars)).toBe("Card payments failing (Critical): next update in 20 minutes.");
  });

  it("does not reach the object prototype", () => {
    expect(renderTemplate("[{{ constructor }}][{{ toString }}]", {})).toBe("[][]");
  });

  it("does not escape: that is the caller's job for its output format", () => {
    expect(renderTemplate("{{ incident.title }}", { "incident.title": "<b>&</b>" })).toBe("<b>&</b>");
  });

  it("never expands placeholders that come from values", () => {
    fc.assert(
      // Newlines are left out here: runs of blank lines are tidied (tested below).
      fc.property(
        fc.string().filter((s) => !/[\r\n]/.test(s)),
        fc.string().filter((s) => !/[\r\n]/.test(s)),
        (before, value) => {
          const vars = { "incident.title": value, "incident.url": "URL" };
          expect(renderTemplate("{{ incident.title }}|{{ incident.url }}", vars)).toBe(`${value}|URL`);
          expect(renderTemplate(before.replaceAll("{", "").replaceAll("}", ""), vars)).toBe(
            before.replaceAll("{", "").replaceAll("}", ""),
          );
        },
      ),
    );
  });
});

describe("renderTemplate blank lines", () => {
  it("leaves no run of blank lines where an empty variable stood on its own line", () => {
    const out = renderTemplate("Identified.\n\n{{incident.summary}}\n\nAffected: {{components}}\n", {
      "incident.summary": "",
      components: "API",
    });
    expect(out).toBe("Identified.\n\nAffected: API");
  });
});
