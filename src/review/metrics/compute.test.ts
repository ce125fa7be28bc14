import { describe, expect, it } from "vitest";
import { AppError } from "../../shared/errors.ts";
import { computeValues } from "./compute.ts";
import type { MetricsQuery, ValuesReport } from "./model.ts";
import { buildAction, buildIncident } from "./test-fixtures.ts";

/**
 * A two-week history (weeks of Mon 2 and Mon 9 November 2026) whose every
 * figure was worked out by hand; the expected numbers below are literals, not
 * computed with the module's helpers.
 */
function history() {
  const old = buildIncident({
    id: "old-1",
    severity: "SEV2",
    components: ["web"],
    team: "edge",
    declaredAt: "2026-10-20T09:00:00Z",
  });
  const a = buildIncident({
    id: "A",
    severity: "SEV1",
    components: ["api"],
    team: "core",
    detectedBy: "monitoring",
    impactStartedAt: "2026-11-03T10:00:00Z",
    declaredAt: "2026-11-03T10:02:00Z", // detect 120 s
    firstPageAt: "2026-11-03T10:02:00Z",
    firstAckAt: "2026-11-03T10:04:00Z", // ack 120 s
    externalUpdates: [
      { at: "2026-11-03T10:05:00Z", dueAt: null }, // first update 180 s
      { at: "2026-11-03T10:25:00Z", dueAt: "2026-11-03T10:25:00Z" }, // on cadence (exactly due)
      { at: "2026-11-03T10:50:00Z", dueAt: "2026-11-03T10:45:00Z" }, // late
    ],
    monitoringAt: "2026-11-03T11:00:00Z", // mitigate 3480 s
    resolvedAt: "2026-11-03T12:02:00Z", // resolve 7200 s
    review: { required: true, dueAt: "2026-11-06T10:00:00Z", heldAt: "2026-11-05T10:00:00Z" }, // on time
    postmortemPublishedAt: "2026-11-07T10:00:00Z",
  });
  const b = buildIncident({
    id: "B",
    severity: "SEV2",
    components: ["web"],
    team: "edge",
    detectedBy: "customer",
    impactStartedAt: "2026-11-04T07:00:00Z",
    declaredAt: "2026-11-04T08:00:00Z", // detect 3600 s
    firstPageAt: "2026-11-04T08:00:00Z",
    firstAckAt: "2026-11-04T08:10:00Z", // ack 600 s
    externalUpdates: [
      { at: "2026-11-04T09:00:00Z", dueAt: "2026-11-04T09:00:00Z" }, // on cadence; listed first, not earliest
      { at: "2026-11-04T08:30:00Z", dueAt: null }, // first update 1800 s
    ],
    resolvedAt: "2026-11-04T10:00:00Z", // straight to resolved: mitigate = resolve = 7200 s
    review: { required: true, dueAt: "2026-11-09T08:00:00Z", heldAt: "2026-11-10T08:00:00Z" }, // late
    repeatOf: "old-1",
  });
  const c = buildIncident({
    id: "C",
    severity: "SEV3",
    components: ["api", "web"],
    team: null,
    detectedBy: "employee",
    impactStartedAt: "2026-11-10T11:59:00Z",
    declaredAt: "2026-11-10T12:00:00Z", // detect 60 s
    monitoringAt: "2026-11-10T12:30:00Z", // mitigate 1800 s, unresolved
    review: { required: false, dueAt: null, heldAt: null },
  });
  const d = buildIncident({
    id: "D",
    severity: "SEV1",
    components: ["db"],
    team: "core",
    detectedBy: "monitoring",
    impactStartedAt: "2026-11-10T23:00:00Z",
    declaredAt: "2026-11-11T00:00:00Z", // detect 3600 s
    firstPageAt: "2026-11-11T00:00:30Z", // paged, never acknowledged
    externalUpdates: [
      { at: "2026-11-11T00:10:00Z", dueAt: null }, // first update 600 s
      { at: "2026-11-11T00:40:00Z", dueAt: "2026-11-11T00:30:00Z" }, // late
    ],
    monitoringAt: "2026-11-11T01:00:00Z", // mitigate 3600 s
    resolvedAt: "2026-11-11T03:00:00Z", // resolve 10800 s
    review: { required: true, dueAt: "2026-11-18T00:00:00Z", heldAt: null }, // past due at now: late
    repeatOf: "A",
  });
  const e = buildIncident({
    id: "E",
    severity: "SEV2",
    components: ["api"],
    team: "core",
    detectedBy: "monitoring",
    impactStartedAt: "2026-11-12T06:00:00Z",
    declaredAt: "2026-11-12T06:00:00Z", // detect 0 s
    firstPageAt: "2026-11-12T06:00:00Z",
    firstAckAt: "2026-11-12T06:01:00Z", // ack 60 s
    review: { required: true, dueAt: "2026-11-25T00:00:00Z", heldAt: null }, // pending
  });
  const drill = buildIncident({
    id: "F",
    severity: "SEV1",
    drill: true,
    components: ["api", "web", "db"],
    team: "core",
    detectedBy: "customer",
    impactStartedAt: "2026-11-05T00:00:00Z",
    declaredAt: "2026-11-05T05:00:00Z",
    firstPageAt: "2026-11-05T05:00:00Z",
    firstAckAt: "2026-11-05T06:00:00Z",
    externalUpdates: [{ at: "2026-11-05T07:00:00Z", dueAt: "2026-11-05T06:00:00Z" }],
    resolvedAt: "2026-11-06T05:00:00Z",
    review: { required: true, dueAt: "2026-11-06T00:00:00Z", heldAt: null },
    repeatOf: "A",
  });
  const atEnd = buildIncident({ id: "G", declaredAt: "2026-11-16T00:00:00Z", detectedBy: "customer" });
  const beforeStart = buildIncident({ id: "H", declaredAt: "2026-11-01T23:59:59Z", detectedBy: "customer" });

  const actions = [
    buildAction(a, { dueAt: "2026-11-05T00:00:00Z", closedAt: "2026-11-04T00:00:00Z" }), // on time
    buildAction(a, { dueAt: "2026-11-06T00:00:00Z", closedAt: "2026-11-06T00:00:00Z" }), // on time (exactly due)
    buildAction(b, { dueAt: "2026-11-10T00:00:00Z", closedAt: "2026-11-12T00:00:00Z" }), // late
    buildAction(d, { dueAt: "2026-11-13T00:00:00Z", closedAt: null }), // open past due
    buildAction(a, { dueAt: "2026-11-16T00:00:00Z", closedAt: null }), // due at the end: outside
    buildAction(a, { dueAt: null, closedAt: null }), // no due date
    buildAction(drill, { dueAt: "2026-11-05T00:00:00Z", closedAt: "2026-11-09T00:00:00Z" }), // drill
    buildAction(old, { dueAt: "2026-11-03T00:00:00Z", closedAt: "2026-11-02T00:00:00Z" }), // on time, old incident
    buildAction({ id: "ghost" }, { dueAt: "2026-11-03T00:00:00Z", closedAt: null }), // unknown incident
    buildAction(c, { dueAt: "2026-11-15T23:59:59Z", closedAt: null }), // open past due
  ];
  return { incidents: [old, a, b, c, d, e, drill, atEnd, beforeStart], actions };
}

const RANGE: MetricsQuery = {
  from: "2026-11-02T00:00:00Z",
  to: "2026-11-16T00:00:00Z",
  now: "2026-11-20T00:00:00Z",
};

const EXPECTED: ValuesReport = {
  from: "2026-11-02T00:00:00.000Z",
  to: "2026-11-16T00:00:00.000Z",
  now: "2026-11-20T00:00:00.000Z",
  filters: { severity: null, service: null, team: null },
  incidents: 5,
  detect: {
    monitoring: 3,
    customer: 1,
    employee: 1,
    monitoringShare: 0.6,
    customerShare: 0.2,
    // [0, 60, 120, 3600, 3600]: ranks 3 and 5
    timeToDetect: { count: 5, p50: 120, p90: 3600 },
  },
  respond: {
    paged: 4,
    acknowledged: 3,
    timeToAck: { count: 3, p50: 120, p90: 600 }, // [60, 120, 600]
    timeToFirstUpdate: { count: 3, p50: 600, p90: 1800 }, // [180, 600, 1800]
    cadence: { updates: 4, onCadence: 2, share: 0.5 },
  },
  recover: {
    timeToMitigate: { count: 4, p50: 3480, p90: 7200 }, // [1800, 3480, 3600, 7200]: ranks 2 and 4
    timeToResolve: { count: 3, p50: 7200, p90: 10800 }, // [7200, 7200, 10800]
    unresolved: 2,
  },
  learn: {
    reviews: { required: 4, onTime: 1, late: 2, pending: 1, onTimeShare: 1 / 3 },
    postmortems: { published: 1, share: 0.25 },
  },
  improve: {
    actions: { due: 6, onTime: 3, late: 3, openPastDue: 2, onTimeShare: 0.5 },
    repeats: { count: 2, share: 0.4 },
  },
  weekly: [
    {
      weekStart: "2026-11-02T00:00:00.000Z",
      incidents: 2,
      detect: { monitoringShare: 0.5 },
      respond: { ackP50: 120 },
      recover: { resolveP50: 7200 },
      learn: { reviewOnTimeShare: 0.5 },
      improve: { actionsOnTimeShare: 1, repeats: 1 },
    },
    {
      weekStart: "2026-11-09T00:00:00.000Z",
      incidents: 3,
      detect: { monitoringShare: 2 / 3 },
      respond: { ackP50: 60 },
      recover: { resolveP50: 10800 },
      learn: { reviewOnTimeShare: 0 },
      improve: { actionsOnTimeShare: 0, repeats: 1 },
    },
  ],
};

describe("computeValues", () => {
  it("computes every figure of a hand-worked history", () => {
    const { incidents, actions } = history();
    expect(computeValues(incidents, actions, RANGE)).toEqual(EXPECTED);
  });

  it("leaves drills out entirely, their action items too", () => {
    const { incidents, actions } = history();
    const withoutDrill = incidents.filter((i) => !i.drill);
    expect(withoutDrill).toHaveLength(incidents.length - 1);
    const undrilled = incidents.map((i) => ({ ...i, drill: false }));
    // Counted as a real incident, the drill would change the figures…
    expect(computeValues(undrilled, actions, RANGE).incidents).toBe(6);
    expect(computeValues(undrilled, actions, RANGE).improve.actions.late).toBe(4);
    // …flagged as a drill it changes nothing.
    expect(computeValues(withoutDrill, actions, RANGE)).toEqual(EXPECTED);
  });

  it("filters by severity, counting the action items of matching incidents", () => {
    const { incidents, actions } = history();
    const sev1 = computeValues(incidents, actions, { ...RANGE, severity: ["SEV1"] });
    expect(sev1.filters).toEqual({ severity: ["SEV1"], service: null, team: null });
    expect(sev1.incidents).toBe(2); // A, D
    expect(sev1.detect.timeToDetect).toEqual({ count: 2, p50: 120, p90: 3600 });
    expect(sev1.improve.actions).toEqual({ due: 3, onTime: 2, late: 1, openPastDue: 1, onTimeShare: 2 / 3 });
    expect(sev1.improve.repeats).toEqual({ count: 1, share: 0.5 });

    const sev13 = computeValues(incidents, actions, { ...RANGE, severity: ["SEV1", "SEV3"] });
    expect(sev13.incidents).toBe(3); // A, C, D
    expect(sev13.detect.employee).toBe(1);

    // An empty list is no filter at all.
    expect(computeValues(incidents, actions, { ...RANGE, severity: [] })).toEqual(EXPECTED);
  });

  it("filters by service (component)", () => {
    const { incidents, actions } = history();
    const web = computeValues(incidents, actions, { ...RANGE, service: "web" });
    expect(web.incidents).toBe(2); // B, C
    expect(web.detect).toMatchObject({ monitoring: 0, customer: 1, employee: 1 });
    // old-1 (web, declared in October) on time; B late; C open past due.
    expect(web.improve.actions).toEqual({ due: 3, onTime: 1, late: 2, openPastDue: 1, onTimeShare: 1 / 3 });
    expect(computeValues(incidents, actions, { ...RANGE, service: "db" }).incidents).toBe(1);
    expect(computeValues(incidents, actions, { ...RANGE, service: "nope" }).incidents).toBe(0);
  });

  it("filters by team, an action item's own team overriding its incident's", () => {
    const { incidents, actions } = history();
    const [a, b] = [incidents.find((i) => i.id === "A")!, incidents.find((i) => i.id === "B")!];
    const more = [
      ...actions,
      buildAction(b, { team: "core", dueAt: "2026-11-04T00:00:00Z", closedAt: "2026-11-05T00:00:00Z" }), // counts, late
      buildAction(a, { team: "edge", dueAt: "2026-11-04T00:00:00Z", closedAt: "2026-11-03T00:00:00Z" }), // not core
    ];
    const core = computeValues(incidents, more, { ...RANGE, team: "core" });
    expect(core.filters.team).toBe("core");
    expect(core.incidents).toBe(3); // A, D, E — never C, which has no team
    // A's two on time, D's open past due, B's item owned by core: late.
    expect(core.improve.actions).toEqual({ due: 4, onTime: 2, late: 2, openPastDue: 1, onTimeShare: 0.5 });
    const edge = computeValues(incidents, more, { ...RANGE, team: "edge" });
    expect(edge.incidents).toBe(1); // B
    // old-1 on time, B's late, A's item owned by edge on time.
    expect(edge.improve.actions).toEqual({ due: 3, onTime: 2, late: 1, openPastDue: 0, onTimeShare: 2 / 3 });
  });

  it("counts incidents declared in [from, to) and items due in it, offsets understood", () => {
    const incidents = [
      buildIncident({ id: "before", declaredAt: "2026-11-01T23:59:59.999Z" }),
      buildIncident({ id: "start", declaredAt: "2026-11-02T00:00:00.000Z" }),
      buildIncident({ id: "offset-in", declaredAt: "2026-11-02T01:00:00+01:00" }), // 00:00Z
      buildIncident({ id: "offset-out", declaredAt: "2026-11-02T00:30:00+01:00" }), // 23:30Z the day before
      buildIncident({ id: "last", declaredAt: "2026-11-15T23:59:59.999Z" }),
      buildIncident({ id: "end", declaredAt: "2026-11-16T00:00:00.000Z" }),
    ];
    const item = (dueAt: string) => buildAction(incidents[0]!, { dueAt, closedAt: "2026-10-01T00:00:00Z" });
    const actions = [
      item("2026-11-01T23:59:59.999Z"),
      item("2026-11-02T00:00:00.000Z"),
      item("2026-11-15T23:59:59.999Z"),
      item("2026-11-16T00:00:00.000Z"),
    ];
    const report = computeValues(incidents, actions, RANGE);
    expect(report.incidents).toBe(3);
    expect(report.weekly.map((w) => w.incidents)).toEqual([2, 1]);
    expect(report.improve.actions.due).toBe(2);
    expect(report.weekly.map((w) => w.improve.actionsOnTimeShare)).toEqual([1, 1]);
  });

  it("gives null, never NaN, where there is no data", () => {
    const report = computeValues([], [], RANGE);
    const none = { count: 0, p50: null, p90: null };
    expect(report).toEqual({
      ...EXPECTED,
      incidents: 0,
      detect: {
        monitoring: 0,
        customer: 0,
        employee: 0,
        monitoringShare: null,
        customerShare: null,
        timeToDetect: none,
      },
      respond: {
        paged: 0,
        acknowledged: 0,
        timeToAck: none,
        timeToFirstUpdate: none,
        cadence: { updates: 0, onCadence: 0, share: null },
      },
      recover: { timeToMitigate: none, timeToResolve: none, unresolved: 0 },
      learn: {
        reviews: { required: 0, onTime: 0, late: 0, pending: 0, onTimeShare: null },
        postmortems: { published: 0, share: null },
      },
      improve: {
        actions: { due: 0, onTime: 0, late: 0, openPastDue: 0, onTimeShare: null },
        repeats: { count: 0, share: null },
      },
      weekly: EXPECTED.weekly.map((w) => ({
        weekStart: w.weekStart,
        incidents: 0,
        detect: { monitoringShare: null },
        respond: { ackP50: null },
        recover: { resolveP50: null },
        learn: { reviewOnTimeShare: null },
        improve: { actionsOnTimeShare: null, repeats: 0 },
      })),
    });

    // Incidents, but nothing paged, updated, resolved, reviewed or due.
    const quiet = computeValues([buildIncident({ declaredAt: "2026-11-03T00:00:00Z" })], [], RANGE);
    expect(quiet.incidents).toBe(1);
    expect(quiet.respond.timeToAck).toEqual(none);
    expect(quiet.respond.cadence.share).toBeNull();
    expect(quiet.recover.timeToResolve).toEqual(none);
    expect(quiet.learn.reviews.onTimeShare).toBeNull();
    expect(quiet.learn.postmortems.share).toBeNull();
    expect(quiet.improve.actions.onTimeShare).toBeNull();
    expect(quiet.weekly[0]!.respond.ackP50).toBeNull();
  });

  it("shares updates sent on cadence among those that had a due time", () => {
    const at = (m: number) => new Date(Date.UTC(2026, 10, 3, 10, m)).toISOString();
    const incidents = [
      buildIncident({
        declaredAt: at(0),
        externalUpdates: [
          { at: at(2), dueAt: null },
          { at: at(20), dueAt: at(22) }, // early
          { at: at(42), dueAt: at(42) }, // exactly due
          { at: at(63), dueAt: at(62) }, // a minute late
        ],
      }),
      buildIncident({ declaredAt: at(5), externalUpdates: [{ at: at(35), dueAt: at(25) }] }), // late, its only one
      buildIncident({ declaredAt: at(6) }), // no updates
    ];
    const respond = computeValues(incidents, [], RANGE).respond;
    expect(respond.cadence).toEqual({ updates: 4, onCadence: 2, share: 0.5 });
    // First updates: 120 s and 1800 s.
    expect(respond.timeToFirstUpdate).toEqual({ count: 2, p50: 120, p90: 1800 });
  });

  it("judges reviews against their deadline and now", () => {
    const now = "2026-11-20T00:00:00Z";
    const review = (dueAt: string | null, heldAt: string | null, required = true) =>
      buildIncident({ declaredAt: "2026-11-03T00:00:00Z", review: { required, dueAt, heldAt } });
    const incidents = [
      review("2026-11-06T00:00:00Z", "2026-11-06T00:00:00Z"), // held exactly at the deadline: on time
      review("2026-11-06T00:00:00Z", "2026-11-06T00:00:01Z"), // a second late
      review("2026-11-19T23:59:59Z", null), // not held, past due: late
      review(now, null), // due right now, not past: pending
      review("2026-11-21T00:00:00Z", null), // not yet due: pending
      review(null, "2026-11-08T00:00:00Z"), // held, no deadline: on time
      review(null, null), // no deadline, not held: pending
      review("2026-11-04T00:00:00Z", null, false), // not required
      buildIncident({ declaredAt: "2026-11-03T00:00:00Z", review: null, postmortemPublishedAt: now }),
    ];
    incidents[0]!.postmortemPublishedAt = "2026-11-09T00:00:00Z";
    const learn = computeValues(incidents, [], { ...RANGE, now }).learn;
    expect(learn.reviews).toEqual({ required: 7, onTime: 2, late: 2, pending: 3, onTimeShare: 0.5 });
    expect(learn.postmortems).toEqual({ published: 2, share: 1 / 7 });
  });

  it("judges action items: on time, late, open past due, not yet due", () => {
    const incident = buildIncident({ declaredAt: "2026-10-01T00:00:00Z" });
    const now = "2026-11-10T12:00:00Z";
    const item = (dueAt: string, closedAt: string | null) => buildAction(incident, { dueAt, closedAt });
    const actions = [
      item("2026-11-05T00:00:00Z", "2026-11-04T00:00:00Z"), // on time
      item("2026-11-05T00:00:00Z", "2026-11-05T00:00:00Z"), // on time, exactly
      item("2026-11-05T00:00:00Z", "2026-11-05T00:00:00.001Z"), // late by a millisecond
      item("2026-11-06T00:00:00Z", null), // open past due
      item(now, null), // due right now: not yet past due
      item("2026-11-12T00:00:00Z", null), // not yet due
      item("2026-11-12T00:00:00Z", "2026-11-09T00:00:00Z"), // closed early, due later: on time
    ];
    const improve = computeValues([incident], actions, { ...RANGE, now }).improve;
    expect(improve.actions).toEqual({ due: 5, onTime: 3, late: 2, openPastDue: 1, onTimeShare: 0.6 });
  });

  it("counts repeats and their share", () => {
    const incidents = [
      buildIncident({ id: "first", declaredAt: "2026-11-03T00:00:00Z" }),
      buildIncident({ declaredAt: "2026-11-04T00:00:00Z", repeatOf: "first" }),
      buildIncident({ declaredAt: "2026-11-10T00:00:00Z", repeatOf: "first" }),
      buildIncident({ declaredAt: "2026-11-11T00:00:00Z", repeatOf: "long-ago" }),
    ];
    const report = computeValues(incidents, [], RANGE);
    expect(report.improve.repeats).toEqual({ count: 3, share: 0.75 });
    expect(report.weekly.map((w) => w.improve.repeats)).toEqual([1, 2]);
  });

  it("buckets weeks from Monday 00:00 UTC across a month and a year boundary", () => {
    const declared = [
      "2026-12-22T12:00:00Z", // in the first week but before `from`: not counted
      "2026-12-27T23:59:59Z", // Sunday: week of 21 December
      "2026-12-28T00:00:00Z", // Monday: week of 28 December
      "2026-12-31T22:00:00Z",
      "2027-01-03T23:59:59.999Z", // Sunday in the new year: still the week of 28 December
      "2027-01-04T00:00:00Z", // Monday: week of 4 January
    ];
    const incidents = declared.map((at, n) =>
      buildIncident({
        declaredAt: at,
        detectedBy: n % 2 === 0 ? "monitoring" : "customer",
        firstPageAt: at,
        firstAckAt: new Date(Date.parse(at) + (n + 1) * 60_000).toISOString(),
      }),
    );
    // From a Wednesday to a Wednesday.
    const report = computeValues(incidents, [], {
      from: "2026-12-23T00:00:00Z",
      to: "2027-01-06T00:00:00Z",
      now: "2027-02-01T00:00:00Z",
    });
    expect(report.weekly.map((w) => w.weekStart)).toEqual([
      "2026-12-21T00:00:00.000Z",
      "2026-12-28T00:00:00.000Z",
      "2027-01-04T00:00:00.000Z",
    ]);
    expect(report.weekly.map((w) => w.incidents)).toEqual([1, 3, 1]);
    // Acks of 2, 3, 4 and 5 minutes (the 28 December week: 180, 240, 300 s).
    expect(report.weekly.map((w) => w.respond.ackP50)).toEqual([120, 240, 360]);
    // Counted ones detected by customer | monitoring, customer, monitoring | customer.
    expect(report.weekly.map((w) => w.detect.monitoringShare)).toEqual([0, 2 / 3, 0]);
  });

  it("lists a week for a range inside one day", () => {
    const report = computeValues([], [], {
      from: "2026-11-04T10:00:00Z",
      to: "2026-11-04T11:00:00Z",
      now: "2026-11-04T11:00:00Z",
    });
    expect(report.weekly.map((w) => w.weekStart)).toEqual(["2026-11-02T00:00:00.000Z"]);
  });

  it("counts a negative span as 0 s and mitigation as the earlier of monitoring and resolved", () => {
    const incidents = [
      buildIncident({
        declaredAt: "2026-11-03T10:00:00Z",
        impactStartedAt: "2026-11-03T10:05:00Z", // after the declaration
        firstPageAt: "2026-11-03T10:01:00Z",
        firstAckAt: "2026-11-03T10:00:30Z", // before the page
        externalUpdates: [{ at: "2026-11-03T09:59:00Z", dueAt: null }], // before the declaration
        monitoringAt: "2026-11-03T12:00:00Z",
        resolvedAt: "2026-11-03T11:00:00Z", // earlier than monitoring: reopened and resolved again
      }),
    ];
    const report = computeValues(incidents, [], RANGE);
    expect(report.detect.timeToDetect).toEqual({ count: 1, p50: 0, p90: 0 });
    expect(report.respond.timeToAck).toEqual({ count: 1, p50: 0, p90: 0 });
    expect(report.respond.timeToFirstUpdate).toEqual({ count: 1, p50: 0, p90: 0 });
    expect(report.recover.timeToMitigate).toEqual({ count: 1, p50: 3600, p90: 3600 });
    expect(report.recover.timeToResolve).toEqual({ count: 1, p50: 3600, p90: 3600 });
  });

  it("reports durations in seconds, fractions kept", () => {
    const incidents = [
      buildIncident({
        declaredAt: "2026-11-03T10:00:00.250Z",
        impactStartedAt: "2026-11-03T10:00:00.000Z",
      }),
    ];
    expect(computeValues(incidents, [], RANGE).detect.timeToDetect.p50).toBe(0.25);
  });

  it("refuses an empty range, an unreadable timestamp and an unknown detection source", () => {
    const refused = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        return { code: (error as AppError).code, paths: (error as AppError).issues.map((i) => i.path) };
      }
      throw new Error("expected a refusal");
    };
    expect(refused(() => computeValues([], [], { ...RANGE, to: RANGE.from }))).toEqual({
      code: "invalid",
      paths: ["to"],
    });
    expect(refused(() => computeValues([], [], { ...RANGE, now: "yesterday-ish" }))).toEqual({
      code: "invalid",
      paths: ["now"],
    });
    expect(refused(() => computeValues([], [], { ...RANGE, from: "1900-01-01T00:00:00Z" }))).toEqual({
      code: "invalid",
      paths: ["from"],
    });
    const ok = buildIncident({ declaredAt: "2026-11-03T00:00:00Z" });
    const broken = buildIncident({ declaredAt: "2026-11-03T00:00:00Z", resolvedAt: "soon" });
    expect(refused(() => computeValues([ok, broken], [], RANGE))).toEqual({
      code: "invalid",
      paths: ["incidents.1.resolvedAt"],
    });
    const odd = { ...ok, detectedBy: "toString" } as unknown as typeof ok;
    expect(refused(() => computeValues([odd], [], RANGE))).toEqual({
      code: "invalid",
      paths: ["incidents.0.detectedBy"],
    });
    const item = buildAction(ok, { dueAt: "2026-11-05T00:00:00Z", closedAt: "later" });
    expect(refused(() => computeValues([ok], [item], RANGE))).toEqual({
      code: "invalid",
      paths: ["actions.0.closedAt"],
    });
  });
});
