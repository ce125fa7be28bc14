import { describe, expect, it } from "vitest";
import { checkRules, rowsOf, ruleFieldOf, sameRules, toRulesBody } from "./rules-form";

const method = { id: "m1", kind: "sms" as const, address: "+351912345678", label: "", createdAt: "" };

describe("the notification rules editor", () => {
  it("lists the rules by delay, and sends them back as numbers", () => {
    const rows = rowsOf([
      { id: "r2", contactMethodId: "m1", delayMinutes: 5, contactMethod: method },
      { id: "r1", contactMethodId: "m1", delayMinutes: 0, contactMethod: method },
    ]);
    expect(rows.map((r) => r.delay)).toEqual(["0", "5"]);
    expect(toRulesBody(rows)).toEqual([
      { contactMethodId: "m1", delayMinutes: 0 },
      { contactMethodId: "m1", delayMinutes: 5 },
    ]);
  });

  it("refuses what the server would, by row", () => {
    expect(
      checkRules([
        { key: "a", contactMethodId: "", delay: "0" },
        { key: "b", contactMethodId: "m1", delay: "2.5" },
        { key: "c", contactMethodId: "m1", delay: "1441" },
        { key: "d", contactMethodId: "m1", delay: " 10 " },
      ]),
    ).toEqual({
      "0.contactMethodId": "pick a contact method",
      "1.delay": "whole minutes, 0 for at once",
      "2.delay": "at most a day (1440 minutes)",
    });
  });

  it("shows the server's issues at their row", () => {
    expect(ruleFieldOf("body.2.delayMinutes")).toBe("2.delay");
    expect(ruleFieldOf("0.contactMethodId")).toBe("0.contactMethodId");
    expect(ruleFieldOf("body")).toBeNull();
  });

  it("tells a change from the saved rules", () => {
    const rows = [{ key: "a", contactMethodId: "m1", delay: "0" }];
    expect(sameRules(rows, [{ key: "b", contactMethodId: "m1", delay: " 0" }])).toBe(true);
    expect(sameRules(rows, [{ key: "a", contactMethodId: "m1", delay: "1" }])).toBe(false);
    expect(sameRules(rows, [])).toBe(false);
  });
});
