import { describe, expect, it } from "vitest";
import type { Incident, TimelineEntry, User } from "../../api/types";
import { canConfirm, resolveReadiness, shortRoleName, transitions } from "./resolve-rule";

const lead = { id: "u-lead", email: "lead@example.com", name: "Lea" };
const user = (id: string, role: User["role"] = "responder"): User => ({
  id,
  email: `${id}@example.com`,
  name: id,
  role,
  timezone: "UTC",
  createdAt: "2026-11-27T00:00:00Z",
  disabled: false,
});

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: "i1",
    reference: "INC-1",
    title: "Down",
    summary: null,
    severity: "sev1",
    status: "monitoring",
    detectedBy: "employee",
    criteria: ["a"],
    components: [],
    impactStartedAt: "2026-11-27T03:00:00Z",
    declaredAt: "2026-11-27T03:00:00Z",
    identifiedAt: null,
    monitoringAt: null,
    resolvedAt: null,
    private: false,
    drill: false,
    declaredBy: null,
    roles: [
      { roleId: "im", name: "Major Incident Manager (MIM)", lead: true, holder: lead, assignedAt: null },
      { roleId: "comms", name: "Comms", lead: false, holder: null, assignedAt: null },
    ],
    checklist: [],
    finalFix: null,
    planVersion: 1,
    version: 3,
    updatedAt: "2026-11-27T03:00:00Z",
    closedAt: null,
    review: null,
    repeatOf: null,
    ...overrides,
  };
}

function fix(overrides: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id: "e1",
    incidentId: "i1",
    kind: "fix",
    body: "rolled back",
    final: true,
    confirmedBy: null,
    confirmedAt: null,
    author: null,
    data: {},
    createdAt: "2026-11-27T03:30:00Z",
    ...overrides,
  };
}

describe("resolve rule", () => {
  it("needs a final fix when there is none", () => {
    const r = resolveReadiness(incident(), [fix({ final: false })], user("someone"));
    expect(r.state).toBe("no-final-fix");
    expect(r.canOverride).toBe(false);
  });

  it("waits for the lead to confirm a final fix someone else logged", () => {
    const entry = fix();
    const asOther = resolveReadiness(incident(), [entry], user("someone"));
    expect(asOther.state).toBe("awaiting-confirmation");
    expect(canConfirm(entry, asOther)).toBe(false);
    const asLead = resolveReadiness(incident(), [entry], user("u-lead"));
    expect(asLead.isLead).toBe(true);
    expect(canConfirm(entry, asLead)).toBe(true);
  });

  it("is ready once the final fix is confirmed", () => {
    const r = resolveReadiness(incident(), [fix({ confirmedBy: lead })], user("someone"));
    expect(r.state).toBe("ready");
    expect(r.fix?.id).toBe("e1");
  });

  it("lets the lead and admins override, nobody else", () => {
    expect(resolveReadiness(incident(), [], user("u-lead")).canOverride).toBe(true);
    expect(resolveReadiness(incident(), [], user("boss", "admin")).canOverride).toBe(true);
    expect(resolveReadiness(incident(), [], user("someone")).canOverride).toBe(false);
  });

  it("says so when resolved", () => {
    expect(resolveReadiness(incident({ status: "resolved" }), [], user("x")).state).toBe("resolved");
  });
});

describe("status moves", () => {
  it("goes forward and back, and reopens a resolved incident", () => {
    expect(transitions("identified").map((t) => [t.to, t.direction])).toEqual([
      ["investigating", "back"],
      ["monitoring", "forward"],
    ]);
    expect(transitions("resolved").every((t) => t.direction === "reopen")).toBe(true);
  });

  it("shortens role names", () => {
    expect(shortRoleName({ name: "Major Incident Manager (MIM)" })).toBe("Major Incident Manager");
    expect(shortRoleName(undefined)).toBe("incident manager");
  });
});
