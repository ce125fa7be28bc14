/**
 * npm run bench:metrics: the time to compute all five values (Detect, Respond,
 * Recover, Learn, Improve, with the weekly trend) over a year of 10,000
 * incidents and 30,000 action items, generated deterministically from a seeded
 * PRNG with plausible shapes (log-normal waits, most incidents found by
 * monitoring, SEV1/SEV2 paged and reviewed). Median of 10 runs after 3
 * warm-ups; the target is under 1,000 ms. Results go to
 * bench/results/metrics.json and a summary to stdout.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import {
  type ActionItemFacts,
  computeValues,
  type IncidentFacts,
  type MetricsQuery,
  valuesCsv,
  valuesPrometheus,
} from "../src/review/metrics/index.ts";

const INCIDENTS = 10_000;
const ACTION_ITEMS = 30_000;
const WARMUPS = 3;
const RUNS = 10;
const TARGET_MS = 1000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR_START = Date.UTC(2026, 0, 1);
const YEAR_END = Date.UTC(2027, 0, 1);

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return {
    next,
    chance: (p: number) => next() < p,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    /** Log-normal with the given median (ms) and spread (sigma of the log). */
    wait: (median: number, sigma = 1) => Math.round(median * Math.exp(sigma * normal())),
    normal,
  };
}

function generate() {
  const r = prng(20261128);
  const iso = (ms: number) => new Date(ms).toISOString();
  const services = Array.from({ length: 20 }, (_, i) => `svc-${i}`);
  const teams = ["core", "edge", "data", "payments", "identity", "mobile", "search", "infra"];
  const cadence: Record<string, number> = { SEV1: 20 * MINUTE, SEV2: 30 * MINUTE, SEV3: 60 * MINUTE };

  // Declared times spread over the year, sorted so `repeatOf` can point back.
  const declaredTimes = Array.from(
    { length: INCIDENTS },
    () => YEAR_START + r.int(YEAR_END - YEAR_START),
  ).sort((a, b) => a - b);
  const incidents: IncidentFacts[] = declaredTimes.map((declared, n) => {
    const roll = r.next();
    const severity = roll < 0.1 ? "SEV1" : roll < 0.4 ? "SEV2" : "SEV3";
    const major = severity !== "SEV3";
    const source = r.next();
    const detectedBy = source < 0.65 ? "monitoring" : source < 0.85 ? "customer" : "employee";
    const impact = declared - r.wait(detectedBy === "monitoring" ? 4 * MINUTE : 25 * MINUTE);
    const paged = major || r.chance(0.3);
    const page = paged ? declared + r.wait(20_000, 0.8) : null;
    const ack = page !== null && r.chance(0.95) ? page + r.wait(2 * MINUTE, 1.1) : null;
    const updates: IncidentFacts["externalUpdates"] = [];
    if (major || r.chance(0.2)) {
      let at = declared + r.wait(8 * MINUTE, 0.7);
      updates.push({ at: iso(at), dueAt: null });
      for (let u = 1 + r.int(7); u > 0; u--) {
        const due = at + cadence[severity]!;
        at = due + Math.round(r.normal() * 6 * MINUTE);
        updates.push({ at: iso(at), dueAt: iso(due) });
      }
    }
    const monitoring = r.chance(0.8) ? declared + r.wait(45 * MINUTE, 1.2) : null;
    const resolved = r.chance(0.97) ? (monitoring ?? declared) + r.wait(HOUR, 1.3) : null;
    const reviewDue = declared + (severity === "SEV1" ? 3 : 7) * DAY;
    const held = major && r.chance(0.85) ? reviewDue + Math.round(r.normal() * 2 * DAY) : null;
    return {
      id: `inc-${n}`,
      severity,
      drill: r.chance(0.03),
      components: Array.from({ length: 1 + r.int(3) }, () => r.pick(services)),
      team: r.chance(0.05) ? null : r.pick(teams),
      detectedBy,
      impactStartedAt: iso(impact),
      declaredAt: iso(declared),
      firstPageAt: page === null ? null : iso(page),
      firstAckAt: ack === null ? null : iso(ack),
      externalUpdates: updates,
      monitoringAt: monitoring === null ? null : iso(monitoring),
      resolvedAt: resolved === null ? null : iso(resolved),
      review: major
        ? { required: true, dueAt: iso(reviewDue), heldAt: held === null ? null : iso(held) }
        : r.chance(0.5)
          ? { required: false, dueAt: null, heldAt: null }
          : null,
      postmortemPublishedAt: major && r.chance(0.7) ? iso(reviewDue + r.wait(2 * DAY)) : null,
      repeatOf: n > 0 && r.chance(0.08) ? `inc-${r.int(n)}` : null,
    };
  });

  const actions: ActionItemFacts[] = Array.from({ length: ACTION_ITEMS }, (_, n) => {
    const incident = incidents[r.int(INCIDENTS)]!;
    const created = Date.parse(incident.declaredAt) + r.wait(2 * DAY, 0.5);
    const due = r.chance(0.9) ? created + (incident.severity === "SEV1" ? 28 : 56) * DAY : null;
    const closed = r.chance(0.75) ? created + r.wait(30 * DAY, 0.8) : null;
    return {
      id: `act-${n}`,
      incidentId: incident.id,
      owner: r.chance(0.9) ? `user-${r.int(200)}` : null,
      team: r.chance(0.2) ? r.pick(teams) : null,
      createdAt: iso(created),
      dueAt: due === null ? null : iso(due),
      closedAt: closed === null ? null : iso(closed),
    };
  });
  return { incidents, actions };
}

function time(run: () => unknown): { medianMs: number; minMs: number; maxMs: number } {
  for (let i = 0; i < WARMUPS; i++) run();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  // Nearest-rank median, as the module itself reports.
  return {
    medianMs: round(ms[Math.ceil(ms.length / 2) - 1]!),
    minMs: round(ms[0]!),
    maxMs: round(ms.at(-1)!),
  };
}

const loadBefore = loadavg()[0] ?? 0;
const { incidents, actions } = generate();
const query: MetricsQuery = {
  from: new Date(YEAR_START).toISOString(),
  to: new Date(YEAR_END).toISOString(),
  now: "2027-01-15T00:00:00.000Z",
};
const report = computeValues(incidents, actions, query);
const all = time(() => computeValues(incidents, actions, query));
const filtered = time(() =>
  computeValues(incidents, actions, { ...query, severity: ["SEV1", "SEV2"], team: "core" }),
);
const csv = time(() => valuesCsv(report));
const prometheus = time(() => valuesPrometheus(report, { range: "2026" }));

const result = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? "unknown",
    node: process.version,
    loadAverageBefore: Math.round(loadBefore * 100) / 100,
  },
  incidents: INCIDENTS,
  actionItems: ACTION_ITEMS,
  warmups: WARMUPS,
  runs: RUNS,
  targetMs: TARGET_MS,
  computeValues: { ...all, ok: all.medianMs < TARGET_MS },
  computeValuesFiltered: { query: "severity SEV1,SEV2 and team core", ...filtered },
  valuesCsv: csv,
  valuesPrometheus: prometheus,
  // What the benchmark computed, to see the generated history is plausible.
  report: {
    incidentsCounted: report.incidents,
    weeks: report.weekly.length,
    monitoringShare: report.detect.monitoringShare,
    timeToDetect: report.detect.timeToDetect,
    timeToAck: report.respond.timeToAck,
    cadenceShare: report.respond.cadence.share,
    timeToResolve: report.recover.timeToResolve,
    reviewOnTimeShare: report.learn.reviews.onTimeShare,
    actions: report.improve.actions,
    repeats: report.improve.repeats,
  },
};

mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/metrics.json", `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(
  [
    `computeValues over ${INCIDENTS} incidents and ${ACTION_ITEMS} action items (${report.weekly.length} weeks, ${RUNS} runs after ${WARMUPS} warm-ups; load average before ${result.machine.loadAverageBefore})`,
    `  all five values    median ${all.medianMs} ms  (min ${all.minMs}, max ${all.maxMs})  target < ${TARGET_MS} ms ${result.computeValues.ok ? "OK" : "TOO SLOW"}`,
    `  filtered           median ${filtered.medianMs} ms`,
    `  valuesCsv          median ${csv.medianMs} ms;  valuesPrometheus median ${prometheus.medianMs} ms`,
    "",
  ].join("\n"),
);
