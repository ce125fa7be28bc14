import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openStore, type StoreConfig } from "../src/store/open.ts";
import {
  freePort,
  publishFanout,
  seedFanout,
  startServerProcess,
  startSinks,
  tempDir,
  waitUntil,
  writeFanoutPlan,
} from "./support/fanout.ts";
import { dialects } from "./support/stores.ts";

/**
 * Kills `runsheet serve` with SIGKILL in the middle of a fan-out, starts it
 * again, and proves that every subscriber got the update, and that the only
 * duplicates are deliveries that were in flight at the kill, each sent again
 * with the same idempotency id (Message-ID, webhook-id).
 */
const EMAILS = 1_500;
const HOOKS = 300;

describe.each(dialects())("a fan-out killed mid-way on %s", (dialect) => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("reaches every recipient after a restart, with duplicates only from in-flight deliveries", async () => {
    const dir = tempDir("runsheet-kill-");
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sinks = await startSinks();
    cleanups.push(() => sinks.close());

    let env: Record<string, string>;
    let storeConfig: StoreConfig;
    if (dialect === "sqlite") {
      env = { RUNSHEET_DATA: path.join(dir, "data") };
      storeConfig = { dataDir: env.RUNSHEET_DATA };
    } else {
      const base = inject("pgUrl")!;
      const name = `runsheet_kill_${process.pid}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`drop database if exists ${name}`);
      await admin.query(`create database ${name}`);
      cleanups.push(async () => {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      });
      const url = new URL(base);
      url.pathname = `/${name}`;
      // A short lease, so the restarted process takes over the dead one's jobs quickly.
      env = { DATABASE_URL: url.toString(), RUNSHEET_JOB_LEASE_SECONDS: "2" };
      storeConfig = { databaseUrl: env.DATABASE_URL };
    }
    env.RUNSHEET_PLAN = writeFanoutPlan(dir, sinks);
    const token = await seedFanout(storeConfig, sinks, EMAILS, HOOKS);

    const port = await freePort();
    const first = await startServerProcess(env, port);
    cleanups.push(() => void first.kill("SIGKILL"));
    const { deliveries } = await publishFanout(port, token);
    expect(deliveries).toBe(EMAILS + HOOKS);
    expect(await waitUntil(() => sinks.received() >= 300, 60_000)).toBe(true);
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const atKill = sinks.received();
    expect(atKill).toBeLessThan(EMAILS + HOOKS); // it really died mid-way

    // What was in flight when it died: claimed by the dead process, not recorded as done.
    const store = await openStore(storeConfig);
    const inFlight = Number(
      (
        await store.db
          .selectFrom("jobs")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("state", "=", "running")
          .executeTakeFirstOrThrow()
      ).n,
    );
    await store.close();

    const second = await startServerProcess(env, port);
    cleanups.push(() => void second.kill("SIGKILL"));
    expect(await waitUntil(() => sinks.received() >= EMAILS + HOOKS, 120_000)).toBe(true);
    // Give any stray duplicate time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    second.kill("SIGTERM");
    await new Promise((resolve) => second.once("exit", resolve));

    expect(sinks.emails.size).toBe(EMAILS);
    expect(sinks.webhooks.size).toBe(HOOKS);
    const received = [...sinks.emails.values(), ...sinks.webhooks.values()];
    const duplicated = received.filter((ids) => ids.length > 1);
    const duplicates = duplicated.reduce((n, ids) => n + ids.length - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    for (const ids of duplicated) expect(new Set(ids).size).toBe(1);
    for (const ids of received) expect(ids[0]).toMatch(/\S/);
  });
});
