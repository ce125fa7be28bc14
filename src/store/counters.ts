import { sql } from "kysely";
import type { Db } from "./open.ts";

/**
 * Next value of a named counter (incident numbers, plan versions). One upsert:
 * it takes the row lock on pg and the write lock on SQLite, so two transactions
 * never get the same number, also when the counter does not exist yet.
 */
export async function nextCounter(tx: Db, name: string): Promise<number> {
  const row = await tx
    .insertInto("counters")
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column("name").doUpdateSet({ value: sql`counters.value + 1` }))
    .returning("value")
    .executeTakeFirstOrThrow();
  return Number(row.value);
}
