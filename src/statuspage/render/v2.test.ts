import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { IMPACTS, PHASES } from "../../plan/schema.ts";
import type { MaintenanceStatus, PageIncident, PageMaintenance, PageSnapshot } from "../model.ts";
import { sampleSnapshot } from "../test-fixtures.ts";
import { renderV2, V2_LIST_LIMIT, V2_PATHS, zoneTimestamps } from "./v2.ts";
import {
  V2_BODY_SCHEMAS,
  V2_COMPONENT_STATUSES,
  V2_INCIDENT_IMPACTS,
  V2_INCIDENT_STATUSES,
  V2_INDICATORS,
  V2_MAINTENANCE_STATUSES,
  V2_TIMESTAMP_PATTERN,
  V2Component,
  V2Incident,
  V2IncidentUpdate,
  V2Maintenance,
  type V2Path,
  V2StatusBody,
  V2SummaryBody,
} from "./v2-schema.ts";

const base = sampleSnapshot();
const [openIncident, resolvedIncident] = base.incidents as [PageIncident, PageIncident];
const [scheduledMaintenance] = base.maintenances as [PageMaintenance];

function incident(n: number, overrides: Partial<PageIncident> = {}): PageIncident {
  const createdAt = new Date(Date.parse("2026-01-01T00:00:00.000Z") + n * 3_600_000).toISOString();
  return {
    ...resolvedIncident,
    id: `inc-${n}`,
    reference: `INC-${n}`,
    name: `Incident ${n}`,
    createdAt,
    updatedAt: createdAt,
    startedAt: createdAt,
    shortlink: `https://status.example.com/incidents/inc-${n}`,
    updates: resolvedIncident.updates.map((update) => ({ ...update, id: `${update.id}-${n}` })),
    ...overrides,
  };
}

function maintenance(n: number, status: MaintenanceStatus, overrides: Partial<PageMaintenance> = {}) {
  const scheduledFor = new Date(Date.parse("2026-01-01T00:00:00.000Z") + n * 86_400_000).toISOString();
  return {
    ...scheduledMaintenance,
    id: `maint-${n}`,
    name: `Maintenance ${n}`,
    status,
    scheduledFor,
    scheduledUntil: new Date(Date.parse(scheduledFor) + 3_600_000).toISOString(),
    startedAt: status === "scheduled" ? null : scheduledFor,
    completedAt: status === "completed" ? scheduledFor : null,
    shortlink: `https://status.example.com/incidents/maint-${n}`,
    updates: [{ id: `maint-${n}-u1`, status, body: "Work on the database.", createdAt: scheduledFor }],
    ...overrides,
  } satisfies PageMaintenance;
}

/** Every body parses with its strict schema; returns the parsed bodies. */
function expectValid(snapshot: PageSnapshot) {
  const bodies = renderV2(snapshot);
  // Through JSON, as a client receives them.
  const wire = JSON.parse(JSON.stringify(bodies)) as Record<string, unknown>;
  for (const path of V2_PATHS) {
    const result = V2_BODY_SCHEMAS[path].safeParse(wire[path]);
    expect(result.error?.issues ?? [], path).toEqual([]);
  }
  return bodies;
}

const variants: Array<[string, PageSnapshot]> = [
  ["the sample", base],
  ["no incidents or maintenances", sampleSnapshot({ incidents: [], maintenances: [] })],
  [
    "only ungrouped components",
    sampleSnapshot({
      groups: [],
      components: base.components.map((component) => ({ ...component, groupId: null })),
    }),
  ],
  [
    "a maintenance in each status",
    sampleSnapshot({
      maintenances: V2_MAINTENANCE_STATUSES.map((status, i) => maintenance(i, status)),
    }),
  ],
  ["another time zone", sampleSnapshot({ page: { ...base.page, timeZone: "America/Los_Angeles" } })],
  ["a half-hour time zone", sampleSnapshot({ page: { ...base.page, timeZone: "Asia/Kolkata" } })],
  ["UTC", sampleSnapshot({ page: { ...base.page, timeZone: "UTC" } })],
  [
    "a postmortem and a component no longer on the page",
    sampleSnapshot({
      incidents: [
        {
          ...openIncident,
          components: [{ id: "retired", name: "Retired service", impact: "major_outage" }],
        },
        { ...resolvedIncident, postmortem: { publishedAt: "2026-10-05T10:00:00.000Z", html: "<p>Why</p>" } },
      ],
    }),
  ],
];

describe("renderV2 shapes", () => {
  it("renders exactly the documented paths", () => {
    expect(Object.keys(renderV2(base)).sort()).toEqual([...V2_PATHS].sort());
    expect(Object.keys(V2_BODY_SCHEMAS).sort()).toEqual([...V2_PATHS].sort());
    expect(V2_PATHS).toContain("api/v2/scheduled-maintenances/active.json" satisfies V2Path);
  });

  it.each(variants)("every body parses with the strict schemas: %s", (_name, snapshot) => {
    expectValid(snapshot);
  });

  it("uses Statuspage's value sets, no more and no less", () => {
    expect([...V2_INDICATORS]).toEqual(["none", "minor", "major", "critical"]);
    expect([...V2_COMPONENT_STATUSES]).toEqual([
      "operational",
      "degraded_performance",
      "partial_outage",
      "major_outage",
      "under_maintenance",
    ]);
    expect([...V2_INCIDENT_STATUSES]).toEqual([
      "investigating",
      "identified",
      "monitoring",
      "resolved",
      "postmortem",
    ]);
    expect([...V2_MAINTENANCE_STATUSES]).toEqual(["scheduled", "in_progress", "verifying", "completed"]);
    expect([...V2_INCIDENT_IMPACTS]).toEqual(["none", "minor", "major", "critical"]);
    // The model's own sets map into them one to one.
    expect([...IMPACTS]).toEqual([...V2_COMPONENT_STATUSES]);
    for (const phase of PHASES) expect(V2_INCIDENT_STATUSES).toContain(phase);
  });

  it("the schemas reject what Statuspage never sends", () => {
    const status = renderV2(base)["api/v2/status.json"];
    expect(V2StatusBody.safeParse(status).success).toBe(true);
    expect(
      V2StatusBody.safeParse({ ...status, status: { ...status.status, indicator: "maintenance" } }).success,
    ).toBe(false);
    expect(V2StatusBody.safeParse({ ...status, extra: 1 }).success).toBe(false);
    expect(
      V2StatusBody.safeParse({ ...status, page: { ...status.page, time_zone: undefined } }).success,
    ).toBe(false);
    for (const bad of ["2026-11-27T11:30:00.000Z", "2026-11-27T11:30:00+00:00", "2026-11-27T11:30:00.000"]) {
      expect(
        V2StatusBody.safeParse({ ...status, page: { ...status.page, updated_at: bad } }).success,
        bad,
      ).toBe(false);
    }
    const leaf = renderV2(base)["api/v2/components.json"].components.find((c) => !c.group)!;
    expect(V2Component.safeParse(leaf).success).toBe(true);
    expect(V2Component.safeParse({ ...leaf, components: [] }).success).toBe(false);
    expect(V2Component.safeParse({ ...leaf, group: true }).success).toBe(false);
    const incident = renderV2(base)["api/v2/incidents.json"].incidents[0]!;
    expect(V2Incident.safeParse({ ...incident, impact: "maintenance" }).success).toBe(false);
    expect(V2Incident.safeParse({ ...incident, status: "scheduled" }).success).toBe(false);
    const update = incident.incident_updates[0]!;
    expect(V2IncidentUpdate.safeParse({ ...update, deliver_notifications: false }).success).toBe(false);
    expect(V2IncidentUpdate.safeParse({ ...update, twitter_updated_at: null }).success).toBe(false);
  });

  it("the page block names the page and its IANA time zone", () => {
    const snapshot = sampleSnapshot({ page: { ...base.page, timeZone: "America/Los_Angeles" } });
    const bodies = renderV2(snapshot);
    for (const path of V2_PATHS) {
      expect(bodies[path].page).toEqual({
        id: "quillmark",
        name: "Quillmark",
        url: "https://status.example.com",
        time_zone: "America/Los_Angeles",
        updated_at: "2026-11-27T03:30:00.000-08:00",
      });
    }
    expect(bodies["api/v2/status.json"].status).toEqual({
      indicator: "major",
      description: "Partial System Outage",
    });
  });
});

describe("renderV2 components", () => {
  it("lists each group's row before its components, naming them; children point back", () => {
    const components = renderV2(base)["api/v2/components.json"].components;
    expect(components.map((c) => c.id)).toEqual([
      "apps",
      "web-app",
      "public-api",
      "payments",
      "card-payments",
      "bank-payouts",
      "login",
    ]);
    const payments = components.find((c) => c.id === "payments")!;
    expect(payments).toMatchObject({
      group: true,
      group_id: null,
      status: "partial_outage",
      components: ["card-payments", "bank-payouts"],
    });
    expect(components.find((c) => c.id === "card-payments")).toMatchObject({
      group: false,
      group_id: "payments",
      status: "partial_outage",
      page_id: "quillmark",
      showcase: true,
      start_date: "2026-01-01",
      description: "Card payments for customers",
    });
    expect(components.find((c) => c.id === "login")).toMatchObject({ group: false, group_id: null });
    expect(components.filter((c) => c.group).map((c) => c.id)).toEqual(["apps", "payments"]);
    for (const c of components) if (!c.group) expect(c).not.toHaveProperty("components");
  });

  it("summary and components.json list the same rows", () => {
    const bodies = renderV2(base);
    expect(bodies["api/v2/summary.json"].components).toEqual(bodies["api/v2/components.json"].components);
  });
});

describe("renderV2 incidents and maintenances", () => {
  it("renders an incident with its updates and affected components", () => {
    const [open] = renderV2(base)["api/v2/incidents.json"].incidents;
    expect(open).toMatchObject({
      id: openIncident.id,
      name: "Card payments failing for some customers",
      status: "identified",
      impact: "major",
      monitoring_at: null,
      resolved_at: null,
      shortlink: openIncident.shortlink,
      created_at: "2026-11-27T11:00:00.000+00:00",
      started_at: "2026-11-27T10:55:00.000+00:00",
      page_id: "quillmark",
    });
    expect(open!.components).toHaveLength(1);
    expect(V2Component.parse(open!.components[0])).toMatchObject({
      id: "card-payments",
      name: "Card payments",
      status: "partial_outage",
      group_id: "payments",
    });
    expect(open!.incident_updates.map((u) => u.status)).toEqual(["identified", "investigating"]);
    expect(open!.incident_updates[1]).toEqual({
      id: "0194f000-0000-7000-8000-0000000000u1",
      status: "investigating",
      body: "Some card payments fail.\nWe are looking into it.",
      incident_id: openIncident.id,
      created_at: "2026-11-27T11:00:00.000+00:00",
      updated_at: "2026-11-27T11:00:00.000+00:00",
      display_at: "2026-11-27T11:00:00.000+00:00",
      affected_components: [
        {
          code: "card-payments",
          name: "Card payments",
          old_status: "operational",
          new_status: "partial_outage",
        },
      ],
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    });
    expect(open!.incident_updates[0]!.affected_components).toBeNull();
  });

  it("keeps a component no longer on the page in the incident, with the status it had", () => {
    const snapshot = sampleSnapshot({
      incidents: [
        { ...openIncident, components: [{ id: "retired", name: "Retired", impact: "major_outage" }] },
      ],
    });
    const [open] = renderV2(snapshot)["api/v2/incidents.json"].incidents;
    expect(open!.components).toMatchObject([
      { id: "retired", name: "Retired", status: "major_outage", group: false },
    ]);
  });

  it("moves a resolved incident with a published postmortem to postmortem, out of unresolved", () => {
    const snapshot = sampleSnapshot({
      incidents: [
        openIncident,
        { ...resolvedIncident, postmortem: { publishedAt: "2026-10-05T10:00:00.000Z", html: "<p>Why</p>" } },
      ],
    });
    const bodies = renderV2(snapshot);
    expect(bodies["api/v2/incidents.json"].incidents.map((i) => i.status)).toEqual([
      "identified",
      "postmortem",
    ]);
    expect(bodies["api/v2/incidents/unresolved.json"].incidents.map((i) => i.id)).toEqual([openIncident.id]);
  });

  it("unresolved and summary list every incident not resolved, and only those", () => {
    const phases = ["investigating", "identified", "monitoring", "resolved"] as const;
    const incidents = Array.from({ length: 12 }, (_, n) => incident(n, { status: phases[n % 4]! })).reverse();
    const bodies = renderV2(sampleSnapshot({ incidents }));
    const expected = incidents.filter((i) => i.status !== "resolved").map((i) => i.id);
    expect(expected).toHaveLength(9);
    expect(bodies["api/v2/incidents/unresolved.json"].incidents.map((i) => i.id)).toEqual(expected);
    expect(bodies["api/v2/summary.json"].incidents.map((i) => i.id)).toEqual(expected);
    expect(bodies["api/v2/incidents.json"].incidents).toHaveLength(12);
  });

  it("lists the 50 most recent of 60 incidents, newest first, whatever the snapshot's order", () => {
    // Shuffled on purpose: the order comes from created_at, not from the snapshot.
    const incidents = Array.from({ length: 60 }, (_, n) => incident((n * 37) % 60));
    const listed = renderV2(sampleSnapshot({ incidents }))["api/v2/incidents.json"].incidents;
    expect(listed).toHaveLength(V2_LIST_LIMIT);
    expect(listed.map((i) => i.id)).toEqual(Array.from({ length: 50 }, (_, k) => `inc-${59 - k}`));
  });

  it("lists the 50 most recent of 60 maintenances by scheduled_for; upcoming and active filter by status", () => {
    const statuses = V2_MAINTENANCE_STATUSES;
    const maintenances = Array.from({ length: 60 }, (_, n) => maintenance(n, statuses[n % 4]!));
    const bodies = renderV2(sampleSnapshot({ maintenances }));
    const all = bodies["api/v2/scheduled-maintenances.json"].scheduled_maintenances;
    expect(all).toHaveLength(50);
    expect(all.map((m) => m.id)).toEqual(Array.from({ length: 50 }, (_, k) => `maint-${59 - k}`));
    const ids = (status: MaintenanceStatus[]) =>
      maintenances
        .filter((m) => status.includes(m.status))
        .map((m) => m.id)
        .reverse();
    expect(
      bodies["api/v2/scheduled-maintenances/upcoming.json"].scheduled_maintenances.map((m) => m.id),
    ).toEqual(ids(["scheduled"]));
    expect(
      bodies["api/v2/scheduled-maintenances/active.json"].scheduled_maintenances.map((m) => m.id),
    ).toEqual(ids(["in_progress", "verifying"]));
    expect(bodies["api/v2/summary.json"].scheduled_maintenances.map((m) => m.id)).toEqual(
      ids(["scheduled", "in_progress", "verifying"]),
    );
  });

  it("renders a maintenance incident-shaped, with impact maintenance and its window", () => {
    const snapshot = sampleSnapshot({ maintenances: [maintenance(300, "in_progress")] });
    const [m] = renderV2(snapshot)["api/v2/scheduled-maintenances/active.json"].scheduled_maintenances;
    expect(V2Maintenance.parse(m)).toMatchObject({
      id: "maint-300",
      impact: "maintenance",
      status: "in_progress",
      scheduled_for: "2026-10-28T00:00:00.000+00:00",
      scheduled_until: "2026-10-28T01:00:00.000+00:00",
      started_at: "2026-10-28T00:00:00.000+00:00",
      resolved_at: null,
      monitoring_at: null,
    });
    expect(m!.incident_updates[0]).toMatchObject({ status: "in_progress", incident_id: "maint-300" });
    expect(m!.components.map((c) => c.id)).toEqual(["public-api"]);
  });
});

describe("renderV2 timestamps", () => {
  const at = (timeZone: string, updatedAt: string) =>
    renderV2(sampleSnapshot({ page: { ...base.page, timeZone }, updatedAt }))["api/v2/status.json"].page
      .updated_at;

  it("carry the page time zone's offset, in summer and in winter", () => {
    expect(at("America/Los_Angeles", "2026-07-01T12:00:00.000Z")).toBe("2026-07-01T05:00:00.000-07:00");
    expect(at("America/Los_Angeles", "2026-11-27T11:30:00.000Z")).toBe("2026-11-27T03:30:00.000-08:00");
    expect(at("Europe/Lisbon", "2026-07-01T12:00:00.000Z")).toBe("2026-07-01T13:00:00.000+01:00");
    expect(at("Europe/Lisbon", "2026-11-27T11:30:00.000Z")).toBe("2026-11-27T11:30:00.000+00:00");
    expect(at("Asia/Kathmandu", "2026-11-27T11:30:00.123Z")).toBe("2026-11-27T17:15:00.123+05:45");
    expect(at("America/St_Johns", "2026-11-27T11:30:00.000Z")).toBe("2026-11-27T08:00:00.000-03:30");
    expect(at("UTC", "2026-11-27T11:30:00.000Z")).toBe("2026-11-27T11:30:00.000+00:00");
  });

  it("every timestamp in every body has the offset", () => {
    const snapshot = sampleSnapshot({ page: { ...base.page, timeZone: "America/Los_Angeles" } });
    const json = JSON.stringify(renderV2(snapshot));
    const stamps = json.match(/"\d{4}-\d{2}-\d{2}T[^"]*"/g) ?? [];
    expect(stamps.length).toBeGreaterThan(20);
    for (const stamp of stamps) expect(JSON.parse(stamp)).toMatch(V2_TIMESTAMP_PATTERN);
    expect(json).not.toContain('Z"');
  });

  it("name the same instant as the UTC input, with luxon's offset for that instant", () => {
    const zones = ["America/Los_Angeles", "Europe/Lisbon", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.date({
          min: new Date("1990-01-01T00:00:00Z"),
          max: new Date("2100-01-01T00:00:00Z"),
          noInvalidDate: true,
        }),
        (zone, date) => {
          const out = zoneTimestamps(zone)(date.toISOString());
          expect(out).toMatch(V2_TIMESTAMP_PATTERN);
          const parsed = DateTime.fromISO(out, { setZone: true });
          expect(parsed.toMillis()).toBe(date.getTime());
          expect(parsed.offset).toBe(DateTime.fromMillis(date.getTime(), { zone }).offset);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("switch offset at the exact instant of a transition, on or off the hour", () => {
    const transitions: Array<[string, string]> = [
      ["America/Los_Angeles", "2026-03-08T10:00:00.000Z"],
      ["America/Los_Angeles", "2026-11-01T09:00:00.000Z"],
      ["Europe/Lisbon", "2026-03-29T01:00:00.000Z"],
      // +10:30 to +11:00 at 02:00 local: 15:30 UTC, inside an hour.
      ["Australia/Lord_Howe", "2026-10-03T15:30:00.000Z"],
    ];
    for (const [zone, instant] of transitions) {
      const format = zoneTimestamps(zone);
      const at = Date.parse(instant);
      const before = DateTime.fromMillis(at - 1, { zone }).offset;
      const after = DateTime.fromMillis(at, { zone }).offset;
      expect(before, `${zone} changes offset at ${instant}`).not.toBe(after);
      // Every minute of the three hours around it, and the milliseconds either side.
      const instants = [at - 1, at, at + 1];
      for (let ms = at - 90 * 60_000; ms <= at + 90 * 60_000; ms += 60_000) instants.push(ms);
      for (const ms of instants) {
        const parsed = DateTime.fromISO(format(new Date(ms).toISOString()), { setZone: true });
        expect(parsed.toMillis()).toBe(ms);
        expect(parsed.offset, new Date(ms).toISOString()).toBe(DateTime.fromMillis(ms, { zone }).offset);
      }
    }
  });

  it("refuses an unknown time zone instead of guessing", () => {
    expect(() => renderV2(sampleSnapshot({ page: { ...base.page, timeZone: "Mars/Olympus_Mons" } }))).toThrow(
      /time zone/,
    );
  });
});

describe("renderV2 speed", () => {
  it("renders 20 components, 2 active and 50 past incidents in a few milliseconds", () => {
    const components = Array.from({ length: 20 }, (_, n) => ({
      ...base.components[n % base.components.length]!,
      id: `component-${n}`,
      groupId: n < 10 ? "apps" : null,
    }));
    const incidents = [
      incident(1000, { status: "identified" }),
      incident(999, { status: "monitoring" }),
      ...Array.from({ length: 50 }, (_, n) => incident(900 - n)),
    ];
    const snapshot = sampleSnapshot({
      components,
      groups: [{ ...base.groups[0]!, componentIds: components.slice(0, 10).map((c) => c.id) }],
      incidents,
      maintenances: Array.from({ length: 10 }, (_, n) => maintenance(n, "completed")),
    });
    const summary = V2SummaryBody.parse(renderV2(snapshot)["api/v2/summary.json"]);
    expect(summary.incidents).toHaveLength(2);
    for (let i = 0; i < 20; i++) renderV2(snapshot); // warm up
    const runs = 50;
    const start = performance.now();
    for (let i = 0; i < runs; i++) JSON.stringify(renderV2(snapshot));
    const perRender = (performance.now() - start) / runs;
    expect(perRender).toBeLessThan(10);
  });
});
