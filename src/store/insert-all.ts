import { type Insertable, PostgresAdapter } from "kysely";
import type { Db } from "./open.ts";
import type { Database } from "./schema.ts";

export type InsertBatch = {
  [T in keyof Database]: { table: T; rows: Insertable<Database[T]>[] };
}[keyof Database];

/**
 * Inserts rows into several tables. On PostgreSQL it is one statement
 * (data-modifying CTEs; foreign keys are checked at its end), so a declaration
 * costs one round trip instead of one per table. On SQLite, where a statement
 * costs no round trip, the inserts run one after the other.
 */
export async function insertAll(tx: Db, batches: InsertBatch[]): Promise<void> {
  const nonEmpty = batches.filter((b) => b.rows.length > 0);
  if (nonEmpty.length === 0) return;
  if (!(tx.getExecutor().adapter instanceof PostgresAdapter)) {
    for (const batch of nonEmpty)
      await tx
        .insertInto(batch.table)
        .values(batch.rows as never)
        .execute();
    return;
  }
  // Kysely cannot type a WITH chain over tables chosen at run time; the rows are typed above.
  type Chain = { with(name: string, q: (db: Db) => unknown): Chain } & Pick<Db, "insertInto">;
  let chain = tx as unknown as Chain;
  nonEmpty.slice(0, -1).forEach((batch, i) => {
    chain = chain.with(`insert_${i}`, (db) => db.insertInto(batch.table).values(batch.rows as never));
  });
  const last = nonEmpty[nonEmpty.length - 1]!;
  await chain
    .insertInto(last.table)
    .values(last.rows as never)
    .execute();
}
