import { describe, expect, it } from "vitest";
import { listQueries, readFilters, writeFilters } from "./filters";

describe("incident list filters", () => {
  it("round-trips through the URL", () => {
    const filters = { status: "monitoring", severity: "sev1", mine: true, drill: "false" } as const;
    expect(readFilters(writeFilters(filters))).toEqual(filters);
  });

  it("ignores values it does not know", () => {
    expect(readFilters(new URLSearchParams("status=exploded&drill=maybe&mine=yes"))).toEqual({
      status: "",
      severity: "",
      mine: false,
      drill: "",
    });
  });

  it("asks for active incidents first, then recent resolved ones, when no status is chosen", () => {
    const { active, rest } = listQueries({ status: "", severity: "sev2", mine: false, drill: "" });
    expect(active).toMatchObject({ status: "active", severity: "sev2" });
    expect(rest).toMatchObject({ status: "resolved", severity: "sev2" });
  });

  it("asks once for a chosen status", () => {
    const { active, rest } = listQueries({ status: "identified", severity: "", mine: true, drill: "true" });
    expect(active).toBeNull();
    expect(rest).toEqual({ status: "identified", mine: "true", drill: "true", limit: 100 });
  });
});
