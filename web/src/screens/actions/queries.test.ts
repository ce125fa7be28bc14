import { describe, expect, it } from "vitest";
import {
  type ActionItem,
  defaultDue,
  endOfDayIso,
  groupItems,
  planDurationMs,
  planPriorities,
} from "./queries";

const item = (over: Partial<ActionItem>): ActionItem => ({
  id: "i",
  incident: { id: "x", reference: "INC-1", title: "T" },
  title: "Item",
  owner: null,
  team: null,
  priority: "priority",
  priorityName: "Priority action",
  dueAt: null,
  status: "open",
  overdue: false,
  url: null,
  createdAt: "2026-11-01T00:00:00.000Z",
  createdBy: null,
  updatedAt: "2026-11-01T00:00:00.000Z",
  closedAt: null,
  version: 1,
  ...over,
});

describe("action item helpers", () => {
  it("reads plan durations with weeks", () => {
    expect(planDurationMs("4w")).toBe(28 * 86_400_000);
    expect(planDurationMs("1d12h")).toBe(36 * 3_600_000);
    expect(planDurationMs("soon")).toBeNull();
  });

  it("defaults the due date from the priority, or none", () => {
    const now = new Date("2026-11-01T10:00:00.000Z");
    expect(defaultDue({ id: "p", name: "P", due_in: "4w" }, now)?.toISOString()).toBe(
      "2026-11-29T10:00:00.000Z",
    );
    expect(defaultDue({ id: "b", name: "Backlog" }, now)).toBeNull();
    expect(defaultDue(undefined, now)).toBeNull();
  });

  it("reads the plan's priorities from the plan document", () => {
    const document = { plan: { action_items: { priorities: [{ id: "p", name: "P", due_in: "4w" }] } } };
    expect(planPriorities(document as never)).toEqual([{ id: "p", name: "P", due_in: "4w" }]);
    expect(planPriorities(undefined)).toEqual([]);
  });

  it("turns a day into the end of that day, and refuses what is not a day", () => {
    expect(endOfDayIso("2026-12-24")).toBe(new Date("2026-12-24T23:59:00").toISOString());
    expect(endOfDayIso("")).toBeUndefined();
    expect(endOfDayIso("24/12/2026")).toBeUndefined();
  });

  it("groups by owner and by team, in the order of their soonest item", () => {
    const olga = { id: "u1", email: "o@example.com", name: "Olga" };
    const items = [
      item({ id: "a", owner: olga, team: "payments" }),
      item({ id: "b", owner: null, team: null }),
      item({ id: "c", owner: olga, team: "platform" }),
    ];
    expect(groupItems(items, "owner").map((g) => [g.label, g.items.map((i) => i.id)])).toEqual([
      ["Olga", ["a", "c"]],
      ["Nobody yet", ["b"]],
    ]);
    expect(groupItems(items, "team").map((g) => g.label)).toEqual(["payments", "No team", "platform"]);
  });
});
