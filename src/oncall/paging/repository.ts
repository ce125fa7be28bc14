import { sql } from "kysely";
import { cancelByKey } from "../../jobs/queue.ts";
import { newId } from "../../shared/ids.ts";
import type { Db } from "../../store/open.ts";

/** The paging module's reads and the writes several verbs share. */

/** One timer per escalation and stage: enqueueing it twice is a no-op, cancelling it is by key. */
export const timerKey = (escalationId: string, stage: number) => `escalate:${escalationId}:${stage}`;
export const notificationKey = (notificationId: string) => `page-notification:${notificationId}`;

export interface PagedUser {
  id: string;
  email: string;
  name: string;
  role: "admin" | "responder" | "viewer";
}

/** Enabled accounts by (lowercased) email. */
export async function activeUsersByEmail(db: Db, emails: readonly string[]): Promise<Map<string, PagedUser>> {
  const wanted = [...new Set(emails.map((e) => e.toLowerCase()))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom("users")
    .select(["id", "email", "name", "role"])
    .where("email", "in", wanted)
    .where("disabled_at", "is", null)
    .execute();
  return new Map(rows.map((r) => [r.email.toLowerCase(), r]));
}

export interface Rule {
  contactMethodId: string | null;
  kind: string;
  address: string;
  delayMinutes: number;
}

/** Each user's notification rules over their enabled contact methods, soonest first. */
export async function rulesOf(db: Db, userIds: readonly string[]): Promise<Map<string, Rule[]>> {
  const out = new Map<string, Rule[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom("notification_rules as r")
    .innerJoin("contact_methods as m", "m.id", "r.contact_method_id")
    .select(["r.user_id", "r.contact_method_id", "r.delay_minutes", "m.kind", "m.address"])
    .where("r.user_id", "in", [...userIds])
    .where("m.disabled_at", "is", null)
    .orderBy("r.delay_minutes")
    .orderBy("r.id")
    .execute();
  for (const row of rows) {
    const list = out.get(row.user_id) ?? [];
    list.push({
      contactMethodId: row.contact_method_id,
      kind: row.kind,
      address: row.address,
      delayMinutes: Number(row.delay_minutes),
    });
    out.set(row.user_id, list);
  }
  return out;
}

/** Cancels the notifications of these pages not sent yet, and their jobs. */
export async function cancelOpenNotifications(
  tx: Db,
  pageIds: readonly string[],
  at: string,
): Promise<number> {
  if (pageIds.length === 0) return 0;
  const cancelled = await tx
    .updateTable("page_notifications")
    .set({ state: "cancelled" })
    .where("page_id", "in", [...pageIds])
    .where("state", "in", ["queued", "failed"])
    .returning("id")
    .execute();
  for (const { id } of cancelled) await cancelByKey(tx, notificationKey(id), at);
  return cancelled.length;
}

/** Gives an unfilled role to the user; false when somebody holds it already. */
export async function fillRole(
  tx: Db,
  incidentId: string,
  roleId: string,
  userId: string,
  now: string,
): Promise<boolean> {
  const filled = await tx
    .updateTable("incident_roles")
    .set({ holder_id: userId, assigned_at: now })
    .where("incident_id", "=", incidentId)
    .where("role_id", "=", roleId)
    .where("holder_id", "is", null)
    .executeTakeFirst();
  if (Number(filled.numUpdatedRows) !== 1) return false;
  await tx
    .insertInto("role_assignments")
    .values({
      id: newId(),
      incident_id: incidentId,
      role_id: roleId,
      user_id: userId,
      started_at: now,
      ended_at: null,
      assigned_by: userId,
    })
    .execute();
  // The role changed, so the incident's version moves: clients holding the old one reload.
  await tx
    .updateTable("incidents")
    .set({ version: sql<number>`version + 1`, updated_at: now })
    .where("id", "=", incidentId)
    .execute();
  return true;
}

/** Marks an active or exhausted escalation acknowledged; its stage then, or undefined when it was not open. */
export async function acknowledgeEscalation(
  tx: Db,
  escalationId: string,
  userId: string | null,
  now: string,
): Promise<{ stage: number } | undefined> {
  return tx
    .updateTable("escalations")
    .set({
      status: "acknowledged",
      acknowledged_at: now,
      acknowledged_by: userId,
      next_at: null,
      version: sql<number>`version + 1`,
      updated_at: now,
    })
    .where("id", "=", escalationId)
    .where("status", "in", ["active", "exhausted"])
    .returning("stage")
    .executeTakeFirst();
}

/** Cancels the notifications through one contact method not sent yet, and their jobs. */
export async function cancelNotificationsOf(tx: Db, contactMethodId: string, at: string): Promise<number> {
  const cancelled = await tx
    .updateTable("page_notifications")
    .set({ state: "cancelled" })
    .where("contact_method_id", "=", contactMethodId)
    .where("state", "in", ["queued", "failed"])
    .returning("id")
    .execute();
  for (const { id } of cancelled) await cancelByKey(tx, notificationKey(id), at);
  return cancelled.length;
}
