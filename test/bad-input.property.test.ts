import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp, type TestUser } from "./support/app.ts";
import { dialects } from "./support/stores.ts";

/**
 * Throws random bodies at the declare and timeline routes: whatever arrives,
 * the answer is a 2xx or a 4xx problem document, never a 5xx, and a rejected
 * request leaves no row behind.
 */
const RUNS = 1000;

const nearlyValidDeclare = fc.record(
  {
    title: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null)),
    severity: fc.oneof(fc.constantFrom("sev1", "sev2", "sev3", "SEV1", ""), fc.string(), fc.integer()),
    criteria: fc.oneof(
      fc.array(fc.constantFrom("money-flow-down", "slo-breach", "customer-reports", "nope", ""), {
        maxLength: 4,
      }),
      fc.anything(),
    ),
    summary: fc.oneof(fc.string({ maxLength: 50 }), fc.anything()),
    components: fc.oneof(
      fc.array(
        fc.record({
          id: fc.oneof(fc.constantFrom("card-payments", "login", "bogus"), fc.string()),
          impact: fc.oneof(
            fc.constantFrom("major_outage", "partial_outage", "operational", "fine"),
            fc.anything(),
          ),
        }),
        { maxLength: 3 },
      ),
      fc.anything(),
    ),
    detectedBy: fc.oneof(fc.constantFrom("monitoring", "customer", "employee", "psychic"), fc.anything()),
    impactStartedAt: fc.oneof(
      fc
        .date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.string(),
    ),
    private: fc.oneof(fc.boolean(), fc.anything()),
    drill: fc.oneof(fc.boolean(), fc.anything()),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);

const validDeclare = fc.record(
  {
    title: fc.string({ minLength: 1, maxLength: 100 }).filter((s) => s.trim().length > 0),
    severity: fc.constantFrom("sev1", "sev2", "sev3"),
    criteria: fc.uniqueArray(fc.constantFrom("money-flow-down", "slo-breach", "customer-reports"), {
      minLength: 1,
      maxLength: 3,
    }),
    detectedBy: fc.constantFrom("monitoring", "customer", "employee"),
    private: fc.boolean(),
    drill: fc.boolean(),
  },
  { requiredKeys: ["title", "severity", "criteria"] },
);

const nearlyValidEntry = fc.record(
  {
    kind: fc.oneof(
      fc.constantFrom("change", "decision", "fix", "note", "declared", "status_changed"),
      fc.anything(),
    ),
    body: fc.oneof(fc.string({ maxLength: 200 }), fc.anything()),
    final: fc.oneof(fc.boolean(), fc.anything()),
    author: fc.anything(),
  },
  { requiredKeys: [] },
);

const body = (structured: fc.Arbitrary<unknown>, valid?: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: valid ? 2 : 0, arbitrary: (valid ?? structured).map((v) => JSON.stringify(v)) },
    { weight: 6, arbitrary: structured.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  );

describe.each(dialects())("random bodies on %s", (dialect) => {
  let t: TestApp;
  let responder: TestUser;
  let incidentId: string;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    responder = await t.user("responder");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: responder.auth,
      payload: { title: "Base", severity: "sev2", criteria: ["slo-breach"] },
    });
    incidentId = res.json().id;
  });
  afterAll(async () => t?.close());

  const count = async (table: "incidents" | "timeline_entries" | "incident_roles" | "checklist_items") =>
    Number(
      (
        await t.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it(`declare: ${RUNS} random bodies, no 5xx, nothing written on rejection`, async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body(nearlyValidDeclare, validDeclare), async (payload) => {
        const before = await Promise.all([
          count("incidents"),
          count("timeline_entries"),
          count("incident_roles"),
          count("checklist_items"),
        ]);
        const res = await t.app.inject({
          method: "POST",
          url: "/api/v1/incidents",
          headers: { ...responder.auth, "content-type": "application/json" },
          payload,
        });
        expect(res.statusCode).toBeLessThan(500);
        const after = await Promise.all([
          count("incidents"),
          count("timeline_entries"),
          count("incident_roles"),
          count("checklist_items"),
        ]);
        if (res.statusCode === 201) {
          accepted += 1;
          expect(after[0]).toBe(before[0]! + 1);
        } else {
          expect(res.headers["content-type"]).toMatch(/problem\+json/);
          expect(res.json().errors.length).toBeGreaterThan(0);
          expect(after).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
    // The generator must reach both sides of the boundary, or the property proves little.
    expect(accepted).toBeGreaterThan(0);
  });

  it(`timeline: ${RUNS} random bodies, no 5xx, nothing written on rejection`, async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body(nearlyValidEntry), async (payload) => {
        const before = await count("timeline_entries");
        const res = await t.app.inject({
          method: "POST",
          url: `/api/v1/incidents/${incidentId}/timeline`,
          headers: { ...responder.auth, "content-type": "application/json" },
          payload,
        });
        expect(res.statusCode).toBeLessThan(500);
        const after = await count("timeline_entries");
        if (res.statusCode === 201) {
          accepted += 1;
          expect(after).toBe(before + 1);
        } else {
          expect(res.headers["content-type"]).toMatch(/problem\+json/);
          expect(after).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
