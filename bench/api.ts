/**
 * npm run bench: declare and timeline-append throughput and latency, and the
 * time to read an incident with 10,000 timeline entries, on SQLite and on
 * PostgreSQL. The server runs as its own process (`runsheet serve`), as in
 * production; autocannon drives it from this one. Results go to
 * bench/results/api-<dialect>.json and a summary to stdout.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { createToken } from "../src/auth/credentials.ts";
import { createUser } from "../src/auth/users.ts";
import { nearestRank } from "../src/review/metrics/stats.ts";
import { systemClock } from "../src/shared/clock.ts";
import { newId } from "../src/shared/ids.ts";
import { openStore } from "../src/store/open.ts";
import { writeJson } from "../src/store/values.ts";
import { freePort } from "../test/support/fanout.ts";
import { type BenchStore, eachDialect } from "./support/stores.ts";

const CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const TIMELINE_ENTRIES = 10_000;
const READS = 30;

async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["bin/runsheet.js", "serve", "--port", String(port)], {
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {}
    await sleep(100);
  }
  child.kill();
  throw new Error("server did not start");
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function benchDialect(dialect: "sqlite" | "postgres", setup: BenchStore) {
  // Accounts straight in the store, as `runsheet user create` and `token create` would.
  const store = await openStore(setup.storeConfig);
  const { user } = await createUser(
    { store, clock: systemClock },
    {
      email: "bench@example.com",
      name: "Bench",
      role: "admin",
      password: "benchmark passphrase",
    },
  );
  const { token } = await createToken({ store, clock: systemClock }, user.id, "bench");
  await store.close();

  const port = await freePort();
  const server = await startServer(setup.env, port);
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  try {
    const declareBody = JSON.stringify({
      title: "Card payments failing",
      severity: "sev1",
      criteria: ["money-flow-down"],
      components: [{ id: "card-payments", impact: "major_outage" }],
    });
    // Warm up the JIT and the pools.
    await run({
      url: `${base}/api/v1/incidents`,
      method: "POST",
      headers,
      body: declareBody,
      connections: 4,
      amount: 200,
    });
    const declare = await run({
      url: `${base}/api/v1/incidents`,
      method: "POST",
      headers,
      body: declareBody,
      connections: CONNECTIONS,
      duration: DURATION_S,
    });

    const incident = (await (
      await fetch(`${base}/api/v1/incidents`, { method: "POST", headers, body: declareBody })
    ).json()) as { id: string };
    const append = await run({
      url: `${base}/api/v1/incidents/${incident.id}/timeline`,
      method: "POST",
      headers,
      body: JSON.stringify({ kind: "note", body: "Error rate still at 40%, rolling back the gateway" }),
      connections: CONNECTIONS,
      duration: DURATION_S,
    });

    // An incident with exactly 10,000 timeline entries, written straight to the store.
    const big = (await (
      await fetch(`${base}/api/v1/incidents`, { method: "POST", headers, body: declareBody })
    ).json()) as { id: string };
    const writer = await openStore(setup.storeConfig);
    const existing = Number(
      (
        await writer.db
          .selectFrom("timeline_entries")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("incident_id", "=", big.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const start = Date.parse("2026-11-27T03:00:00Z");
    const rows = Array.from({ length: TIMELINE_ENTRIES - existing }, (_, i) => ({
      id: newId(),
      incident_id: big.id,
      kind: ["change", "decision", "fix", "note"][i % 4]!,
      body: `Entry ${i}: checked the gateway logs, error rate ${i % 100}%`,
      final: false,
      confirmed_by: null,
      confirmed_at: null,
      author_id: user.id,
      data: writeJson({}),
      created_at: new Date(start + i * 1000).toISOString(),
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await writer.transaction((tx) =>
        tx
          .insertInto("timeline_entries")
          .values(rows.slice(i, i + 500))
          .execute(),
      );
    }
    await writer.close();

    const timings: number[] = [];
    let count = 0;
    for (let i = 0; i < READS + 3; i++) {
      const t0 = performance.now();
      const [incidentRes, timelineRes] = await Promise.all([
        fetch(`${base}/api/v1/incidents/${big.id}`, { headers }),
        fetch(`${base}/api/v1/incidents/${big.id}/timeline?limit=${TIMELINE_ENTRIES}`, { headers }),
      ]);
      await incidentRes.json();
      const timeline = (await timelineRes.json()) as { items: unknown[] };
      const elapsed = performance.now() - t0;
      count = timeline.items.length;
      if (i >= 3) timings.push(elapsed); // the first reads warm up
    }
    timings.sort((a, b) => a - b);

    const summary = (r: autocannon.Result) => ({
      requestsPerSecond: Math.round(r.requests.average),
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
      requests: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors,
    });
    return {
      dialect,
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", node: process.version },
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      declare: summary(declare),
      timelineAppend: summary(append),
      readIncidentWithTimeline: {
        entries: count,
        reads: timings.length,
        ms: {
          p50: Math.round(nearestRank(timings, 50)! * 10) / 10,
          p99: Math.round(nearestRank(timings, 99)! * 10) / 10,
          max: Math.round(timings.at(-1)! * 10) / 10,
        },
      },
    };
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
}

const results: Array<Awaited<ReturnType<typeof benchDialect>>> = [];
await eachDialect("bench", async (dialect, setup) => {
  const result = await benchDialect(dialect, setup);
  results.push(result);
  writeFileSync(`bench/results/api-${dialect}.json`, `${JSON.stringify(result, null, 2)}\n`);
});

for (const r of results) {
  process.stdout.write(
    [
      `${r.dialect}: ${r.connections} connections, ${r.durationSeconds}s each`,
      `  declare          ${r.declare.requestsPerSecond} req/s  p50 ${r.declare.latencyMs.p50} ms  p99 ${r.declare.latencyMs.p99} ms  (non-2xx ${r.declare.non2xx})`,
      `  timeline append  ${r.timelineAppend.requestsPerSecond} req/s  p50 ${r.timelineAppend.latencyMs.p50} ms  p99 ${r.timelineAppend.latencyMs.p99} ms  (non-2xx ${r.timelineAppend.non2xx})`,
      `  read incident + ${r.readIncidentWithTimeline.entries} entries  p50 ${r.readIncidentWithTimeline.ms.p50} ms  p99 ${r.readIncidentWithTimeline.ms.p99} ms`,
      "",
    ].join("\n"),
  );
}
