import { describe, expect, it } from "vitest";
import { checkOverride, defaultDraft, overrideFieldOf, toOverrideBody } from "./override-form";

describe("the override form", () => {
  it("starts at the next full hour, for eight hours, in the schedule's zone", () => {
    const draft = defaultDraft(Date.parse("2026-11-27T10:20:00Z"), "Europe/Berlin", "u1");
    expect(draft).toEqual({ userId: "u1", start: "2026-11-27T12:00", end: "2026-11-27T20:00" });
  });

  it("sends the times as the instants meant in the schedule's zone, not the browser's", () => {
    const body = toOverrideBody(
      { userId: "u1", start: "2026-03-29T00:30", end: "2026-03-29T03:30" },
      "Europe/Lisbon",
    );
    expect(body).toEqual({
      userId: "u1",
      start: "2026-03-29T00:30:00+00:00",
      end: "2026-03-29T03:30:00+01:00",
    });
  });

  it("says what is missing or backwards, by field", () => {
    expect(checkOverride({ userId: "", start: "", end: "" }, "UTC")).toEqual({
      userId: "pick who covers",
      start: "write when the override starts",
      end: "write when the override ends",
    });
    expect(checkOverride({ userId: "u", start: "2026-11-27T10:00", end: "2026-11-27T10:00" }, "UTC")).toEqual(
      {
        end: "must be after the start",
      },
    );
    expect(checkOverride({ userId: "u", start: "2026-11-27T10:00", end: "2026-11-27T11:00" }, "UTC")).toEqual(
      {},
    );
  });

  it("shows the server's issues at their fields", () => {
    expect(overrideFieldOf("body.email")).toBe("userId");
    expect(overrideFieldOf("userId")).toBe("userId");
    expect(overrideFieldOf("end")).toBe("end");
    expect(overrideFieldOf("body.start")).toBe("start");
    expect(overrideFieldOf("scheduleId")).toBeNull();
  });
});
