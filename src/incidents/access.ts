import { actorUserId, isAdmin } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { conflict, notFound } from "../shared/errors.ts";
import type { Db } from "../store/open.ts";
import type { IncidentsTable } from "../store/schema.ts";
import { readBool } from "../store/values.ts";
import { findIncidentRow } from "./repository.ts";

/**
 * Private incidents (security) are visible only to admins, the person who
 * declared them and everyone who has held one of their roles. To anyone else
 * they do not exist: 404, never 403, so their existence does not leak.
 */
export async function canSee(ctx: Ctx, db: Db, row: IncidentsTable): Promise<boolean> {
  if (!readBool(row.private) || isAdmin(ctx.actor)) return true;
  const userId = actorUserId(ctx.actor);
  if (!userId) return false;
  if (row.declared_by === userId) return true;
  const held = await db
    .selectFrom("role_assignments")
    .select("id")
    .where("incident_id", "=", row.id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return held !== undefined;
}

/** An incident as other records name it: enough to show and link it. */
export interface IncidentRef {
  id: string;
  reference: string;
  title: string;
}

/**
 * The reference and title of those of these incidents the actor may see (the
 * rule of canSee), in one query whatever their number; the others are left
 * out, so a private incident stays unnamed.
 */
export async function visibleIncidentRefs(
  ctx: Ctx,
  db: Db,
  ids: readonly string[],
): Promise<Map<string, IncidentRef>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const userId = actorUserId(ctx.actor) ?? "";
  let q = db.selectFrom("incidents").select(["id", "reference", "title"]).where("id", "in", wanted);
  if (!isAdmin(ctx.actor)) {
    q = q.where((eb) =>
      eb.or([
        eb("private", "=", false),
        eb("declared_by", "=", userId),
        eb(
          "id",
          "in",
          eb
            .selectFrom("role_assignments")
            .select("role_assignments.incident_id")
            .where("role_assignments.user_id", "=", userId),
        ),
      ]),
    );
  }
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, reference: r.reference, title: r.title }]));
}

/** Loads the incident row the actor may see, or throws not_found. */
export async function visibleIncidentRow(ctx: Ctx, db: Db, idOrReference: string): Promise<IncidentsTable> {
  const row = await findIncidentRow(db, idOrReference);
  if (!(await canSee(ctx, db, row))) throw notFound(`Incident ${idOrReference}`);
  return row;
}

/** The If-Match check: a client that read version N may only change version N. */
export function checkExpectedVersion(row: IncidentsTable, expected: number | undefined): void {
  if (expected !== undefined && row.version !== expected) {
    throw conflict(
      `${row.reference} changed since you read it (you had version ${expected}, it is now ${row.version}): reload and try again.`,
    );
  }
}

/**
 * Bumps the incident's version only if nobody else did since we read it.
 * Zero rows updated means a concurrent change won: the caller's transaction
 * rolls back and the client gets 409.
 */
export async function bumpVersion(
  tx: Db,
  row: IncidentsTable,
  now: string,
  changes: Partial<IncidentsTable> = {},
): Promise<number> {
  const result = await tx
    .updateTable("incidents")
    .set({ ...changes, version: row.version + 1, updated_at: now })
    .where("id", "=", row.id)
    .where("version", "=", row.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw conflict(`${row.reference} was changed by someone else at the same time: reload and try again.`);
  }
  return row.version + 1;
}
