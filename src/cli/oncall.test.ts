import { describe, expect, it } from "vitest";
import type { OnCallItem } from "../oncall/schedules.ts";
import { formatOnCall } from "./oncall.ts";

const item = (overrides: Partial<OnCallItem> = {}): OnCallItem => ({
  scheduleId: "payments-primary",
  scheduleName: "Payments primary",
  email: "ana@example.com",
  userId: "u1",
  name: "Ana Berg",
  shiftStart: "2026-03-29T07:00:00.000Z",
  shiftEnd: "2026-03-30T07:00:00.000Z",
  source: { kind: "layer", layerId: "daily" },
  ...overrides,
});

describe("formatOnCall", () => {
  it("prints one row per schedule with who, since when and until when", () => {
    const text = formatOnCall({
      at: "2026-03-29T11:00:00.000Z",
      items: [
        item(),
        item({
          scheduleId: "db",
          scheduleName: "Database",
          email: "carol@example.com",
          name: "Carol Diaz",
          shiftStart: "2026-03-29T10:00:30.000Z",
          shiftEnd: "2026-03-29T12:00:00.000Z",
          source: { kind: "override", overrideId: "o1" },
        }),
      ],
    });
    expect(text).toBe(
      [
        "On call at 2026-03-29 11:00Z:",
        "SCHEDULE                             ON CALL                                    FROM                  UNTIL",
        "Payments primary (payments-primary)  Ana Berg <ana@example.com>                 2026-03-29 07:00Z     2026-03-30 07:00Z",
        "Database (db)                        Carol Diaz <carol@example.com> (override)  2026-03-29 10:00:30Z  2026-03-29 12:00Z",
      ].join("\n"),
    );
  });

  it("shows an email without an account as it is, and a gap as nobody, over a range", () => {
    const text = formatOnCall({
      from: "2026-03-29T00:00:00.000Z",
      to: "2026-03-30T00:00:00.000Z",
      items: [
        item({ userId: null, name: null }),
        item({ email: null, userId: null, name: null, source: { kind: "none" } }),
      ],
    });
    const lines = text.split("\n");
    expect(lines[0]).toBe("On call from 2026-03-29 00:00Z to 2026-03-30 00:00Z:");
    expect(lines[2]).toContain("  ana@example.com  ");
    expect(lines[3]).toContain("  (nobody)  ");
  });

  it("says so when the plan has no schedules", () => {
    expect(formatOnCall({ at: "2026-03-29T11:00:00.000Z", items: [] })).toBe("No schedules in the plan.");
  });
});
