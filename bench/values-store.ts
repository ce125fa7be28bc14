/**
 * npm run bench:values: the values as GET /api/v1/values computes them, from
 * the store: reading the facts (set-based queries) and computing all five over
 * a year of 10,000 incidents (pages, external updates, reviews, postmortems)
 * and 30,000 action items, written straight to a fresh store. Median of 10
 * runs after 3 warm-ups, for the whole year and for the last 90 days; SQLite,
 * and PostgreSQL when one answers. Results go to
 * bench/results/values-store-<dialect>.json and a summary to stdout.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { measureValues } from "../src/review/metrics/facts.ts";
import { newId } from "../src/shared/ids.ts";
import { openStore, type Store } from "../src/store/open.ts";
import type { Database } from "../src/store/schema.ts";
import { benchStore } from "./support/stores.ts";

const INCIDENTS = 10_000;
const ACTION_ITEMS = 30_000;
const WARMUPS = 3;
const RUNS = 10;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const YEAR_START = Date.UTC(2026, 0, 1);
const YEAR_END = Date.UTC(2027, 0, 1);
const NOW = "2027-01-15T00:00:00.000Z";

/** mulberry32, as bench/metrics.ts. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (max: number) => Math.floor(next() * max), chance: (p: number) => next() < p };
}

type Rows = { [T in keyof Database]?: Database[T][] };

function generate(userId: string): Rows {
  const r = prng(20261129);
  const iso = (ms: number) => new Date(ms).toISOString();
  const components = ["web-app", "public-api", "card-payments", "bank-payouts", "invoice-emails", "login"];
  const rows: Required<
    Pick<
      Rows,
      | "incidents"
      | "incident_components"
      | "escalations"
      | "pages"
      | "status_updates"
      | "reviews"
      | "postmortems"
      | "action_items"
    >
  > = {
    incidents: [],
    incident_components: [],
    escalations: [],
    pages: [],
    status_updates: [],
    reviews: [],
    postmortems: [],
    action_items: [],
  };
  const declaredTimes = Array.from(
    { length: INCIDENTS },
    () => YEAR_START + r.int(YEAR_END - YEAR_START),
  ).sort((a, b) => a - b);
  declaredTimes.forEach((declared, n) => {
    const id = newId();
    const severity = r.chance(0.1) ? "sev1" : r.chance(0.33) ? "sev2" : "sev3";
    const resolved = declared + (10 + r.int(300)) * MINUTE;
    rows.incidents.push({
      id,
      number: n + 1,
      reference: `INC-${n + 1}`,
      title: `Incident ${n + 1}`,
      summary: null,
      severity,
      status: "resolved",
      detected_by: r.chance(0.65) ? "monitoring" : r.chance(0.5) ? "customer" : "employee",
      criteria: JSON.stringify(["customer-reports"]),
      impact_started_at: iso(declared - r.int(40) * MINUTE),
      declared_at: iso(declared),
      identified_at: null,
      monitoring_at: r.chance(0.8) ? iso(declared + r.int(60) * MINUTE) : null,
      resolved_at: iso(resolved),
      private: false,
      drill: r.chance(0.03),
      declared_by: null,
      plan_version: 1,
      version: 1,
      updated_at: iso(resolved),
      alert_criterion: null,
      closed_at: null,
      closed_by: null,
      repeat_of: n > 0 && r.chance(0.08) ? rows.incidents[r.int(n)]!.id : null,
    });
    rows.incident_components.push({
      incident_id: id,
      component_id: components[r.int(components.length)]!,
      impact: "partial_outage",
    });
    const escalation = newId();
    rows.escalations.push({
      id: escalation,
      incident_id: id,
      role_id: "incident-manager",
      stage: 0,
      status: "acknowledged",
      started_at: iso(declared),
      next_at: null,
      acknowledged_at: iso(declared + r.int(10) * MINUTE),
      acknowledged_by: userId,
      version: 1,
      updated_at: iso(declared),
      steps: null,
    });
    rows.pages.push({
      id: newId(),
      escalation_id: escalation,
      incident_id: id,
      user_id: userId,
      stage: 0,
      status: "acknowledged",
      created_at: iso(declared),
      acknowledged_at: iso(declared + r.int(10) * MINUTE),
      acknowledged_via: "api",
    });
    let last = declared;
    for (let u = 0; u < 1 + r.int(5); u++) {
      const due = u === 0 ? null : last + 30 * MINUTE;
      const at = last + (5 + r.int(40)) * MINUTE;
      rows.status_updates.push({
        id: newId(),
        incident_id: id,
        phase: "identified",
        subject: null,
        body: "Update",
        audience: "external",
        author_id: null,
        created_at: iso(at),
        due_at: due === null ? null : iso(due),
        public: true,
      });
      last = at;
    }
    if (severity !== "sev3") {
      const due = resolved + 7 * DAY;
      rows.reviews.push({
        id: newId(),
        incident_id: id,
        status: r.chance(0.85) ? "held" : "scheduled",
        required: true,
        due_at: iso(due),
        meeting_at: iso(due - DAY),
        meeting_minutes: 60,
        meeting_url: null,
        attendees: "[]",
        checklist: "[]",
        notes: null,
        sequence: 0,
        held_at: iso(due - DAY + r.int(3) * DAY),
        public_postmortem: null,
        decision_reason: null,
        decided_by: null,
        decided_at: null,
        created_at: iso(resolved),
        updated_at: iso(resolved),
        version: 1,
      });
      rows.postmortems.push({
        id: newId(),
        incident_id: id,
        status: "published",
        body: "",
        published_at: iso(due + r.int(5) * DAY),
        public_status: "none",
        public_title: null,
        public_body: null,
        public_published_at: null,
        created_at: iso(resolved),
        updated_at: iso(resolved),
        updated_by: null,
        version: 1,
      });
    }
  });
  for (let n = 0; n < ACTION_ITEMS; n++) {
    const incident = rows.incidents[r.int(INCIDENTS)]!;
    const created = Date.parse(incident.declared_at) + DAY;
    const closed = r.chance(0.75) ? created + r.int(60) * DAY : null;
    rows.action_items.push({
      id: newId(),
      incident_id: incident.id,
      title: `Action ${n}`,
      owner_id: userId,
      team: r.chance(0.5) ? "payments" : null,
      priority: "priority",
      due_at: iso(created + 28 * DAY),
      status: closed === null ? "open" : "done",
      url: null,
      created_at: iso(created),
      created_by: null,
      updated_at: iso(created),
      closed_at: closed === null ? null : iso(closed),
      version: 1,
    });
  }
  return rows;
}

async function seed(store: Store): Promise<void> {
  const userId = newId();
  await store.db
    .insertInto("users")
    .values({
      id: userId,
      email: "bench@example.com",
      name: "Bench",
      timezone: "UTC",
      role: "responder",
      password_hash: null,
      created_at: NOW,
      updated_at: NOW,
      disabled_at: null,
    })
    .execute();
  const rows = generate(userId);
  await store.transaction(async (tx) => {
    for (const table of [
      "incidents",
      "incident_components",
      "escalations",
      "pages",
      "status_updates",
      "reviews",
      "postmortems",
      "action_items",
    ] as const) {
      const list = rows[table] as unknown[];
      // Under both stores' parameter limits.
      for (let i = 0; i < list.length; i += 100)
        await tx
          .insertInto(table)
          .values(list.slice(i, i + 100) as never)
          .execute();
    }
  });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

async function time(run: () => Promise<unknown>) {
  for (let i = 0; i < WARMUPS; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return {
    medianMs: round(ms[Math.ceil(ms.length / 2) - 1]!),
    minMs: round(ms[0]!),
    maxMs: round(ms.at(-1)!),
  };
}

for (const dialect of ["sqlite", "postgres"] as const) {
  const bench = await benchStore(dialect, "values");
  if (!bench) {
    process.stdout.write(`${dialect}: not available, skipped\n`);
    continue;
  }
  const store = await openStore(bench.storeConfig);
  try {
    const loadBefore = loadavg()[0] ?? 0;
    await seed(store);
    const year = { from: new Date(YEAR_START).toISOString(), to: new Date(YEAR_END).toISOString(), now: NOW };
    const quarter = { from: new Date(YEAR_END - 90 * DAY).toISOString(), to: year.to, now: NOW };
    const report = await measureValues({ store }, year);
    const yearTimes = await time(() => measureValues({ store }, year));
    const quarterTimes = await time(() => measureValues({ store }, quarter));
    const result = {
      date: new Date().toISOString(),
      dialect,
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model ?? "unknown",
        node: process.version,
        loadAverageBefore: round(loadBefore),
      },
      incidents: INCIDENTS,
      actionItems: ACTION_ITEMS,
      warmups: WARMUPS,
      runs: RUNS,
      year: { incidentsCounted: report.incidents, ...yearTimes },
      last90Days: quarterTimes,
    };
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(`bench/results/values-store-${dialect}.json`, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `${dialect}: facts read + computed over ${INCIDENTS} incidents and ${ACTION_ITEMS} action items (${RUNS} runs after ${WARMUPS} warm-ups)\n` +
        `  a year (${report.incidents} counted)  median ${yearTimes.medianMs} ms  (min ${yearTimes.minMs}, max ${yearTimes.maxMs})\n` +
        `  last 90 days            median ${quarterTimes.medianMs} ms\n`,
    );
  } finally {
    await store.close();
    await bench.cleanup();
  }
}
