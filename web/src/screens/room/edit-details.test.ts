import { describe, expect, it } from "vitest";
import { type DetailsForm, detailsPatch } from "./edit-details";

const before: DetailsForm = {
  title: "Checkout down",
  severity: "sev2",
  summary: "",
  components: { web: "partial_outage" },
};

describe("incident details patch", () => {
  it("is empty when nothing changed", () => {
    expect(detailsPatch(before, { ...before, title: " Checkout down " }, ["web", "api"])).toEqual({});
  });

  it("sends only what changed", () => {
    const after = {
      ...before,
      severity: "sev1",
      components: { api: "major_outage" as const, web: "partial_outage" as const },
    };
    expect(detailsPatch(before, after, ["web", "api"])).toEqual({
      severity: "sev1",
      components: [
        { id: "web", impact: "partial_outage" },
        { id: "api", impact: "major_outage" },
      ],
    });
  });

  it("clears the summary with null", () => {
    expect(detailsPatch({ ...before, summary: "old" }, before, [])).toEqual({ summary: null });
  });
});
