/**
 * npm run bench:fanout: one status update to 10,000 email subscribers (a local
 * SMTP sink) and 1,000 webhook subscribers (a local HTTP sink), delivered by a
 * real `runsheet serve` process, on SQLite and on PostgreSQL. Reports the
 * deliveries per second from the publish request to the last delivery.
 * Results: bench/results/fanout-<dialect>.json.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import path from "node:path";
import pg from "pg";
import {
  freePort,
  publishFanout,
  seedFanout,
  startServerProcess,
  startSinks,
  tempDir,
  waitUntil,
  writeFanoutPlan,
} from "../test/support/fanout.ts";

const EMAILS = Number(process.env.BENCH_EMAILS ?? 10_000);
const HOOKS = Number(process.env.BENCH_HOOKS ?? 1_000);
const PG_URL = process.env.RUNSHEET_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function run(dialect: "sqlite" | "postgres") {
  const dir = tempDir("runsheet-fanout-");
  const sinks = await startSinks();
  let dropDb: (() => Promise<void>) | null = null;
  let env: Record<string, string>;
  if (dialect === "sqlite") {
    env = { RUNSHEET_DATA: path.join(dir, "data") };
  } else {
    const name = `runsheet_fanout_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await admin.connect();
    } catch {
      await sinks.close();
      return null;
    }
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    env = { DATABASE_URL: url.toString() };
    dropDb = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  try {
    const plan = writeFanoutPlan(dir, sinks);
    const token = await seedFanout(
      dialect === "sqlite" ? { dataDir: env.RUNSHEET_DATA } : { databaseUrl: env.DATABASE_URL },
      sinks,
      EMAILS,
      HOOKS,
    );
    const port = await freePort();
    const server = await startServerProcess({ ...env, RUNSHEET_PLAN: plan }, port);
    try {
      const total = EMAILS + HOOKS;
      const t0 = performance.now();
      const { deliveries } = await publishFanout(port, token);
      const published = performance.now() - t0;
      const done = await waitUntil(() => sinks.received() >= total, 600_000);
      const elapsed = (performance.now() - t0) / 1000;
      const duplicates = [...sinks.emails.values(), ...sinks.webhooks.values()].reduce(
        (n, ids) => n + ids.length - 1,
        0,
      );
      return {
        dialect,
        date: new Date().toISOString(),
        machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", node: process.version },
        emailSubscribers: EMAILS,
        webhookSubscribers: HOOKS,
        deliveriesQueued: deliveries,
        delivered: sinks.received(),
        completed: done,
        duplicates,
        publishRequestMs: Math.round(published),
        totalSeconds: Math.round(elapsed * 100) / 100,
        deliveriesPerSecond: Math.round(sinks.received() / elapsed),
      };
    } finally {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
  } finally {
    await sinks.close();
    await dropDb?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

mkdirSync("bench/results", { recursive: true });
for (const dialect of ["sqlite", "postgres"] as const) {
  const result = await run(dialect);
  if (!result) {
    process.stdout.write(`PostgreSQL not reachable at ${PG_URL}: skipping its fan-out\n`);
    continue;
  }
  writeFileSync(`bench/results/fanout-${dialect}.json`, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `${dialect}: ${result.delivered}/${result.emailSubscribers + result.webhookSubscribers} delivered in ${result.totalSeconds} s = ${result.deliveriesPerSecond} deliveries/s (publish request ${result.publishRequestMs} ms, duplicates ${result.duplicates})\n`,
  );
}
