import { sql } from "kysely";
import type { Db } from "./open.ts";

/**
 * Next value of a named counter (incident numbers, plan versions). The update
 * takes a row lock on pg and the write lock on SQLite, so two transactions
 * never get the same number.
 */
export async function nextCounter(tx: Db, name: string): Promise<number> {
  const updated = await tx
    .updateTable("counters")
    .set({ value: sql`value + 1` })
    .where("name", "=", name)
    .returning("value")
    .executeTakeFirst();
  if (updated) return Number(updated.value);
  await tx.insertInto("counters").values({ name, value: 1 }).execute();
  return 1;
}
