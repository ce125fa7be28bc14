/**
 * npm run bench:intake: alert intake through the PagerDuty-compatible
 * POST /v2/enqueue, on SQLite and on PostgreSQL, against a real
 * `runsheet serve` process driven by autocannon from this one.
 *
 * 1. Sustained: a fixed number of connections for a fixed time, with a
 *    realistic mix over 20 integration keys: 65% repeats of open dedup keys,
 *    30% new keys (1 in 20 of them matching a propose criterion), 5% resolves.
 *    Reports events/s and latency percentiles; every answer must be 202.
 * 2. Storm: 10,000 events across 50 dedup keys that all match the example
 *    plan's declare criterion (money-flow-down), fired as fast as the
 *    connections allow; then checks there are exactly 50 alerts and 1 incident.
 *
 * Results: bench/results/intake-<dialect>.json, with the CPU time per event of
 * the server and of autocannon (the two share the machine). Environment:
 * BENCH_CONNECTIONS (default 32), BENCH_DURATION seconds (default 15),
 * BENCH_DIALECT (sqlite or postgres; default both), BENCH_PROFILE (a folder
 * for the server's CPU profile), RUNSHEET_TEST_DATABASE_URL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { createToken } from "../src/auth/credentials.ts";
import { createUser } from "../src/auth/users.ts";
import { EXAMPLE_PLAN_PATH } from "../src/plan/index.ts";
import { systemClock } from "../src/shared/clock.ts";
import { openStore } from "../src/store/open.ts";
import { freePort } from "../test/support/fanout.ts";
import { type BenchStore, eachDialect } from "./support/stores.ts";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 15);
const KEYS = 20;
const STORM_EVENTS = 10_000;
const STORM_KEYS = 50;
const OPEN_CAP = 5_000;

/**
 * `runsheet serve` as its own process, as in production. BENCH_PROFILE=<dir>
 * writes its CPU profile there when it exits (open it in Chrome's DevTools).
 */
async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const child = spawn(process.execPath, [...profile, "bin/runsheet.js", "serve", "--port", String(port)], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {}
    if (child.exitCode !== null) throw new Error(`runsheet serve exited with ${child.exitCode}`);
    await sleep(100);
  }
  child.kill("SIGKILL");
  throw new Error("runsheet serve did not start");
}

/** CPU seconds a process has used (user + system), from /proc; null where there is none. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** The sustained mix: which keys are open is tracked here, as a monitoring tool would know. */
function mixedEvents(routingKeys: string[]) {
  const open: Array<{ routingKey: string; dedupKey: string; n: number }> = [];
  let serial = 0;
  const counts = { repeat: 0, new: 0, resolve: 0 };
  const severities = ["critical", "error", "warning", "info"] as const;
  function next(): string {
    const r = Math.random();
    if (open.length > 0 && r < 0.05) {
      const [closed] = open.splice(Math.floor(Math.random() * open.length), 1);
      counts.resolve += 1;
      return JSON.stringify({
        routing_key: closed!.routingKey,
        event_action: "resolve",
        dedup_key: closed!.dedupKey,
      });
    }
    if (open.length > 0 && r < 0.7) {
      // A repeat says the same about the same thing, with the latest measurement.
      const alert = open[Math.floor(Math.random() * open.length)]!;
      counts.repeat += 1;
      return trigger(alert, 200 + Math.floor(Math.random() * 800));
    }
    serial += 1;
    const alert = {
      routingKey: routingKeys[serial % routingKeys.length]!,
      dedupKey: `bench-${serial}`,
      n: serial,
    };
    if (open.length >= OPEN_CAP) open.splice(0, 1);
    open.push(alert);
    counts.new += 1;
    return trigger(alert, 250);
  }
  function trigger(alert: { routingKey: string; dedupKey: string; n: number }, p99: number): string {
    const n = alert.n;
    const severity = severities[n % severities.length]!;
    return JSON.stringify({
      routing_key: alert.routingKey,
      event_action: "trigger",
      dedup_key: alert.dedupKey,
      payload: {
        summary: `High latency on api-${n % 40}.example.com: p99 ${p99} ms`,
        source: `api-${n % 40}.example.com`,
        severity,
        component: "public-api",
        group: "api",
        class: "latency",
        custom_details: {
          region: n % 2 ? "eu-west-1" : "us-east-1",
          // 1 in 20 matches the example plan's propose criterion (slo-breach).
          ...(n % 20 === 0 && severity !== "warning" ? { customer_facing: "true" } : {}),
          p99_ms: p99,
          threshold_ms: 200,
        },
      },
      client: "Bench Monitoring",
      client_url: "https://monitoring.example.com",
    });
  }
  return { next, counts };
}

async function benchDialect(dialect: "sqlite" | "postgres", setup: BenchStore) {
  const store = await openStore(setup.storeConfig);
  const { user } = await createUser(
    { store, clock: systemClock },
    { email: "bench@example.com", name: "Bench", role: "admin", password: "benchmark passphrase" },
  );
  const { token } = await createToken({ store, clock: systemClock }, user.id, "bench");
  await store.close();

  const port = await freePort();
  const server = await startServer({ ...setup.env, RUNSHEET_PLAN: EXAMPLE_PLAN_PATH }, port);
  const base = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const createIntegration = async (name: string) => {
    const res = await fetch(`${base}/api/v1/integrations`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name, type: "pagerduty" }),
    });
    if (res.status !== 201) throw new Error(`creating an integration answered ${res.status}`);
    return (await res.json()) as { id: string; key: string };
  };
  try {
    const integrations = await Promise.all(
      Array.from({ length: KEYS }, (_, i) => createIntegration(`Monitor ${i}`)),
    );
    const mix = mixedEvents(integrations.map((i) => i.key));
    const enqueue = {
      url: `${base}/v2/enqueue`,
      method: "POST" as const,
      headers: { "content-type": "application/json" },
    };
    const request = {
      method: "POST" as const,
      headers: enqueue.headers,
      setupRequest: (req: autocannon.Request) => ({ ...req, body: mix.next() }),
    };
    // Warm up the JIT, the key cache and the pools.
    await run({ ...enqueue, requests: [request], connections: 8, duration: 3 });
    for (const kind of ["repeat", "new", "resolve"] as const) mix.counts[kind] = 0;
    const loadBefore = loadavg()[0]!;
    const cpuBefore = cpuSeconds(server.pid);
    const clientBefore = process.cpuUsage();
    const sustained = await run({
      ...enqueue,
      requests: [request],
      connections: CONNECTIONS,
      duration: DURATION_S,
    });
    const cpuAfter = cpuSeconds(server.pid);
    const client = process.cpuUsage(clientBefore);
    const clientCpuUsPerEvent = Math.round(
      (client.user + client.system) / Math.max(1, sustained.requests.total),
    );
    // CPU time per event in the server process: unlike events/s, hardly moved by other load on the machine.
    const serverCpuUsPerEvent =
      cpuBefore === null || cpuAfter === null
        ? null
        : Math.round(((cpuAfter - cpuBefore) * 1e6) / Math.max(1, sustained.requests.total));
    const status = sustained.statusCodeStats as Record<string, { count: number }> | undefined;

    // The storm: one key's alerts all match money-flow-down (declare, sev1).
    const stormIntegration = await createIntegration("Storm");
    let stormSerial = 0;
    const stormRequest = {
      method: "POST" as const,
      headers: enqueue.headers,
      setupRequest: (req: autocannon.Request) => {
        const n = stormSerial++ % STORM_KEYS;
        return {
          ...req,
          body: JSON.stringify({
            routing_key: stormIntegration.key,
            event_action: "trigger",
            dedup_key: `storm-${n}`,
            payload: {
              summary: `Card payments failing in cell ${n}`,
              source: "prometheus",
              severity: "critical",
              component: "card-payments",
              custom_details: { tier: "money-flow", cell: String(n) },
            },
          }),
        };
      },
    };
    const t0 = performance.now();
    const storm = await run({
      ...enqueue,
      requests: [stormRequest],
      connections: CONNECTIONS,
      amount: STORM_EVENTS,
    });
    const stormSeconds = (performance.now() - t0) / 1000;
    const alerts = (await (
      await fetch(`${base}/api/v1/alerts?integration=${stormIntegration.id}&limit=200`, { headers: auth })
    ).json()) as { items: Array<{ incidentId: string | null; eventCount: number }> };
    const incidents = (await (
      await fetch(`${base}/api/v1/incidents?status=active&limit=200`, { headers: auth })
    ).json()) as {
      items: Array<{ id: string; criteria: string[] }>;
    };
    const declared = incidents.items.filter((i) => i.criteria.includes("money-flow-down"));

    const summary = (r: autocannon.Result) => ({
      eventsPerSecond: Math.round(r.requests.average),
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
      requests: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
    });
    return {
      dialect,
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model ?? "unknown",
        node: process.version,
        loadAverageBefore: Math.round(loadBefore * 100) / 100,
      },
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      integrationKeys: KEYS,
      sustained: {
        ...summary(sustained),
        serverCpuUsPerEvent,
        clientCpuUsPerEvent,
        statusCodes: Object.fromEntries(Object.entries(status ?? {}).map(([code, s]) => [code, s.count])),
        mix: mix.counts,
        ok: sustained.non2xx === 0 && sustained.errors === 0,
      },
      storm: {
        events: STORM_EVENTS,
        dedupKeys: STORM_KEYS,
        seconds: Math.round(stormSeconds * 100) / 100,
        ...summary(storm),
        // autocannon's per-second average is coarse for a run of a few seconds.
        eventsPerSecond: Math.round(STORM_EVENTS / stormSeconds),
        alerts: alerts.items.length,
        eventsCounted: alerts.items.reduce((n, a) => n + a.eventCount, 0),
        incidents: declared.length,
        alertsOnThatIncident: alerts.items.filter((a) => a.incidentId === declared[0]?.id).length,
        ok:
          storm.non2xx === 0 &&
          alerts.items.length === STORM_KEYS &&
          declared.length === 1 &&
          alerts.items.every((a) => a.incidentId === declared[0]?.id),
      },
    };
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
}

await eachDialect("intake", async (dialect, setup) => {
  const r = await benchDialect(dialect, setup);
  writeFileSync(`bench/results/intake-${dialect}.json`, `${JSON.stringify(r, null, 2)}\n`);
  const s = r.sustained;
  process.stdout.write(
    [
      `${dialect}: ${r.connections} connections, ${r.durationSeconds} s, ${r.integrationKeys} keys (load average before ${r.machine.loadAverageBefore})`,
      `  sustained  ${s.eventsPerSecond} events/s  p50 ${s.latencyMs.p50} ms  p90 ${s.latencyMs.p90} ms  p99 ${s.latencyMs.p99} ms  max ${s.latencyMs.max} ms  (non-2xx ${s.non2xx}, errors ${s.errors}; server CPU ${s.serverCpuUsPerEvent} µs/event, autocannon ${s.clientCpuUsPerEvent} µs/event)`,
      `  storm      ${r.storm.events} events in ${r.storm.seconds} s = ${r.storm.eventsPerSecond} events/s  p99 ${r.storm.latencyMs.p99} ms: ${r.storm.alerts} alerts, ${r.storm.incidents} incident(s), ${r.storm.eventsCounted} events counted ${r.storm.ok ? "OK" : "WRONG"}`,
      "",
    ].join("\n"),
  );
});
