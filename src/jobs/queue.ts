import { PostgresAdapter, sql } from "kysely";
import { newId } from "../shared/ids.ts";
import type { Db } from "../store/open.ts";
import type { JobsTable } from "../store/schema.ts";
import { readJson, writeJson } from "../store/values.ts";

/**
 * The durable job queue. Jobs are rows: enqueueing happens in the transaction
 * of the change that needs the job (the outbox), so a committed change always
 * has its jobs and a rolled-back one never does. Workers claim due jobs with a
 * lease; a job whose worker died is claimed again when its lease runs out.
 */
export interface NewJob {
  /** Given when the caller must refer to the job before it is written (a delivery row). */
  id?: string;
  kind: string;
  payload: unknown;
  runAt: string;
  /** At most one queued or running job per key; enqueueing another with the same key is skipped. */
  uniqueKey?: string;
}

export interface Job<P = unknown> {
  id: string;
  kind: string;
  payload: P;
  attempts: number;
  runAt: string;
}

export async function enqueue(tx: Db, jobs: NewJob[], now: string): Promise<string[]> {
  if (jobs.length === 0) return [];
  const rows: JobsTable[] = jobs.map((job) => ({
    id: job.id ?? newId(),
    kind: job.kind,
    payload: writeJson(job.payload),
    state: "queued",
    run_at: job.runAt,
    attempts: 0,
    locked_until: null,
    last_error: null,
    unique_key: job.uniqueKey ?? null,
    created_at: now,
    updated_at: now,
  }));
  const keyed = rows.filter((r) => r.unique_key !== null);
  const plain = rows.filter((r) => r.unique_key === null);
  // Chunks keep each statement under SQLite's and pg's parameter limits.
  for (let i = 0; i < plain.length; i += 500)
    await tx
      .insertInto("jobs")
      .values(plain.slice(i, i + 500))
      .execute();
  for (const row of keyed) {
    await tx
      .insertInto("jobs")
      .values(row)
      .onConflict((oc) => oc.column("unique_key").doNothing())
      .execute();
  }
  return rows.map((r) => r.id);
}

/** Cancels the queued jobs with this key (a reminder that is no longer needed). */
export async function cancelByKey(tx: Db, uniqueKey: string, now: string): Promise<void> {
  await tx
    .updateTable("jobs")
    .set({ state: "cancelled", unique_key: null, updated_at: now })
    .where("unique_key", "=", uniqueKey)
    .where("state", "=", "queued")
    .execute();
}

/**
 * Claims up to `limit` due jobs of the given kinds for `leaseMs`. On pg the
 * candidates are locked with FOR UPDATE SKIP LOCKED, so several processes can
 * claim side by side without taking the same job; SQLite has one writer, so
 * the update itself is the claim.
 */
export async function claim(
  db: Db,
  options: { kinds: string[]; limit: number; leaseMs: number; now: Date },
): Promise<Job[]> {
  const now = options.now.toISOString();
  const until = new Date(options.now.getTime() + options.leaseMs).toISOString();
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  // A running job whose lease ran out belonged to a worker that died: it is due again.
  await db
    .updateTable("jobs")
    .set({ state: "queued", locked_until: null, updated_at: now })
    .where("state", "=", "running")
    .where("locked_until", "<", now)
    .where("kind", "in", options.kinds)
    .execute();
  // Due jobs in run_at order straight from the (state, run_at) index, without sorting them all.
  const due = db
    .selectFrom("jobs")
    .select("id")
    .where("state", "=", "queued")
    .where("run_at", "<=", now)
    .where("kind", "in", options.kinds)
    .orderBy("run_at")
    .limit(options.limit);
  const rows = await db
    .updateTable("jobs")
    .set({ state: "running", locked_until: until, attempts: sql`attempts + 1`, updated_at: now })
    .where("id", "in", pg ? due.forUpdate().skipLocked() : due)
    .returning(["id", "kind", "payload", "attempts", "run_at"])
    .execute();
  return rows
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      payload: readJson(r.payload),
      attempts: Number(r.attempts),
      runAt: r.run_at,
    }))
    .sort((a, b) => (a.runAt < b.runAt ? -1 : 1));
}

export async function markDone(db: Db, jobId: string, now: Date): Promise<void> {
  await db
    .updateTable("jobs")
    .set({
      state: "done",
      locked_until: null,
      unique_key: null,
      last_error: null,
      updated_at: now.toISOString(),
    })
    .where("id", "=", jobId)
    .execute();
}

export async function reschedule(
  db: Db,
  jobId: string,
  runAt: Date,
  error: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable("jobs")
    .set({
      state: "queued",
      run_at: runAt.toISOString(),
      locked_until: null,
      last_error: error,
      updated_at: now.toISOString(),
    })
    .where("id", "=", jobId)
    .execute();
}

export async function markDead(db: Db, jobId: string, error: string, now: Date): Promise<void> {
  await db
    .updateTable("jobs")
    .set({
      state: "dead",
      locked_until: null,
      unique_key: null,
      last_error: error,
      updated_at: now.toISOString(),
    })
    .where("id", "=", jobId)
    .execute();
}

/** Puts a dead job back in the queue, to run now (a retry by hand). */
export async function requeue(db: Db, jobId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("jobs")
    .set({ state: "queued", run_at: now.toISOString(), attempts: 0, updated_at: now.toISOString() })
    .where("id", "=", jobId)
    .where("state", "=", "dead")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Jobs left running by a process that died. On SQLite only one process runs
 * jobs, so at its start every running job is an orphan and runs again now
 * instead of after its lease; on PostgreSQL other processes may be alive, so
 * leases decide.
 */
export async function recoverOrphans(db: Db, now: Date): Promise<number> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return 0;
  const result = await db
    .updateTable("jobs")
    .set({ state: "queued", locked_until: null, run_at: now.toISOString(), updated_at: now.toISOString() })
    .where("state", "=", "running")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
