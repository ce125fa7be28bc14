import type { Db, Store } from "../store/open.ts";
import type { CalendarFeedsTable, ScheduleOverridesTable } from "../store/schema.ts";

/**
 * The on-call schedules' stored parts: overrides (who covers a stretch instead
 * of the rotation) and calendar feed tokens (kept as their SHA-256 only). The
 * schedules themselves live in the plan; rows here name them by id.
 */

export interface OverrideRow {
  id: string;
  scheduleId: string;
  userId: string;
  userEmail: string;
  userName: string;
  start: string;
  end: string;
  createdAt: string;
  createdBy: { id: string; email: string; name: string } | null;
}

function overrideQuery(db: Db) {
  return db
    .selectFrom("schedule_overrides as o")
    .innerJoin("users as u", "u.id", "o.user_id")
    .leftJoin("users as c", "c.id", "o.created_by")
    .select([
      "o.id",
      "o.schedule_id",
      "o.user_id",
      "o.start_at",
      "o.end_at",
      "o.created_at",
      "o.created_by",
      "u.email as user_email",
      "u.name as user_name",
      "c.email as creator_email",
      "c.name as creator_name",
    ]);
}

type Joined = Awaited<ReturnType<ReturnType<typeof overrideQuery>["execute"]>>[number];

function toOverride(row: Joined): OverrideRow {
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    userId: row.user_id,
    userEmail: row.user_email,
    userName: row.user_name,
    start: row.start_at,
    end: row.end_at,
    createdAt: row.created_at,
    createdBy:
      row.created_by && row.creator_email && row.creator_name
        ? { id: row.created_by, email: row.creator_email, name: row.creator_name }
        : null,
  };
}

/**
 * The overrides of these schedules that overlap [from, to), oldest first: the
 * engine lets a later override win where two overlap, so the newest one does.
 */
export async function overridesOverlapping(
  db: Db,
  scheduleIds: readonly string[],
  from: Date,
  to: Date,
): Promise<OverrideRow[]> {
  if (scheduleIds.length === 0) return [];
  const rows = await overrideQuery(db)
    .where("o.schedule_id", "in", [...scheduleIds])
    .where("o.end_at", ">", from.toISOString())
    .where("o.start_at", "<", to.toISOString())
    .orderBy("o.created_at")
    .orderBy("o.id")
    .execute();
  return rows.map(toOverride);
}

/** The schedule's overrides that have not ended by `now`, in the order they start. */
export async function overridesNotEnded(db: Db, scheduleId: string, now: Date): Promise<OverrideRow[]> {
  const rows = await overrideQuery(db)
    .where("o.schedule_id", "=", scheduleId)
    .where("o.end_at", ">", now.toISOString())
    .orderBy("o.start_at")
    .orderBy("o.id")
    .execute();
  return rows.map(toOverride);
}

export async function findOverride(db: Db, scheduleId: string, id: string): Promise<OverrideRow | undefined> {
  const row = await overrideQuery(db)
    .where("o.schedule_id", "=", scheduleId)
    .where("o.id", "=", id)
    .executeTakeFirst();
  return row ? toOverride(row) : undefined;
}

export async function insertOverride(db: Db, row: ScheduleOverridesTable): Promise<void> {
  await db.insertInto("schedule_overrides").values(row).execute();
}

/** Deletes one override of a schedule; false when there was none. */
export async function deleteOverrideRow(db: Db, scheduleId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("schedule_overrides")
    .where("schedule_id", "=", scheduleId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface UserByEmail {
  id: string;
  email: string;
  name: string;
  disabled: boolean;
}

/** The accounts behind these emails (compared lowercased, as users' emails are stored). */
export async function usersByEmail(db: Db, emails: readonly string[]): Promise<Map<string, UserByEmail>> {
  const wanted = [...new Set(emails.map((email) => email.toLowerCase()))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom("users")
    .select(["id", "email", "name", "disabled_at"])
    .where("email", "in", wanted)
    .execute();
  return new Map(
    rows.map((row) => [
      row.email,
      { id: row.id, email: row.email, name: row.name, disabled: row.disabled_at !== null },
    ]),
  );
}

export async function userById(db: Db, id: string): Promise<UserByEmail | undefined> {
  const row = await db
    .selectFrom("users")
    .select(["id", "email", "name", "disabled_at"])
    .where("id", "=", id)
    .executeTakeFirst();
  return row && { id: row.id, email: row.email, name: row.name, disabled: row.disabled_at !== null };
}

/** Stores a feed's token hash and revokes the owner's earlier feeds, in one transaction. */
export async function replaceFeed(store: Store, row: CalendarFeedsTable): Promise<void> {
  await store.transaction(async (tx) => {
    await tx
      .updateTable("calendar_feeds")
      .set({ revoked_at: row.created_at })
      .where("kind", "=", row.kind)
      .where("owner_id", "=", row.owner_id)
      .where("revoked_at", "is", null)
      .execute();
    await tx.insertInto("calendar_feeds").values(row).execute();
  });
}

/** Whether a token hash opens the owner's current feed. */
export async function feedOpens(
  db: Db,
  kind: CalendarFeedsTable["kind"],
  ownerId: string,
  tokenHash: string,
): Promise<boolean> {
  const row = await db
    .selectFrom("calendar_feeds")
    .select("id")
    .where("token_hash", "=", tokenHash)
    .where("kind", "=", kind)
    .where("owner_id", "=", ownerId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return row !== undefined;
}
