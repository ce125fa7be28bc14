import { PostgresAdapter, sql } from "kysely";
import type { Db } from "./open.ts";

export const COUNTERS = ["incident", "plan_version"] as const;
export type CounterName = (typeof COUNTERS)[number];

/**
 * Next value of a named counter (incident numbers, plan versions).
 *
 * On PostgreSQL a sequence: it never blocks, so concurrent declarations do not
 * queue behind one row lock held until each commits; a transaction that rolls
 * back after taking a number leaves a gap. On SQLite, where one writer runs at
 * a time anyway, an upsert in the transaction: no gaps.
 */
export async function nextCounter(tx: Db, name: CounterName): Promise<number> {
  if (tx.getExecutor().adapter instanceof PostgresAdapter) {
    const result = await sql<{ value: number }>`select nextval(${`counter_${name}`}) as value`.execute(tx);
    return Number(result.rows[0]!.value);
  }
  const row = await tx
    .insertInto("counters")
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column("name").doUpdateSet({ value: sql`counters.value + 1` }))
    .returning("value")
    .executeTakeFirstOrThrow();
  return Number(row.value);
}
