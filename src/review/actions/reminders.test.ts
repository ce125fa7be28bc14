import { describe, expect, it } from "vitest";
import { reminderStage } from "./reminders.ts";

const DAY = 86_400_000;
const due = "2026-12-24T12:00:00.000Z";
const at = (offsetMs: number) => new Date(Date.parse(due) + offsetMs);

describe("reminderStage", () => {
  it("owes nothing before the reminder window", () => {
    expect(reminderStage(due, at(-3 * DAY - 1), 3 * DAY)).toBeNull();
  });

  it("owes the reminder before from remind_before ahead until the due time", () => {
    expect(reminderStage(due, at(-3 * DAY), 3 * DAY)).toBe("before");
    expect(reminderStage(due, at(-1), 3 * DAY)).toBe("before");
  });

  it("owes one overdue reminder per week past due, counting from the due time", () => {
    expect(reminderStage(due, at(0), 3 * DAY)).toBe("overdue-0");
    expect(reminderStage(due, at(7 * DAY - 1), 3 * DAY)).toBe("overdue-0");
    expect(reminderStage(due, at(7 * DAY), 3 * DAY)).toBe("overdue-1");
    expect(reminderStage(due, at(30 * DAY), 3 * DAY)).toBe("overdue-4");
  });
});
