import type { z } from "zod";
import { actorUserId, isAdmin } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { visibleIncidentRow } from "./access.ts";
import type { Incident, ListIncidentsQuery } from "./model.ts";
import { loadIncident } from "./repository.ts";
import { decodeCursor, encodeCursor } from "./timeline.ts";

/** Incidents, newest declared first, filtered; private ones only for those who may see them. */
export async function listIncidents(
  ctx: Ctx,
  query: z.output<typeof ListIncidentsQuery>,
): Promise<{ items: Incident[]; nextCursor?: string }> {
  const db = ctx.store.db;
  const userId = actorUserId(ctx.actor);
  let q = db.selectFrom("incidents").selectAll().orderBy("declared_at", "desc").orderBy("id", "desc");
  if (query.status === "active") q = q.where("status", "!=", "resolved");
  else if (query.status) q = q.where("status", "=", query.status);
  if (query.severity) q = q.where("severity", "=", query.severity);
  if (query.drill) q = q.where("drill", "=", query.drill === "true");
  if (query.mine === "true") {
    q = q.where((eb) =>
      eb.or([
        eb("declared_by", "=", userId ?? ""),
        eb(
          "id",
          "in",
          eb
            .selectFrom("incident_roles")
            .select("incident_roles.incident_id")
            .where("incident_roles.holder_id", "=", userId ?? ""),
        ),
      ]),
    );
  }
  if (!isAdmin(ctx.actor)) {
    q = q.where((eb) =>
      eb.or([
        eb("private", "=", false),
        eb("declared_by", "=", userId ?? ""),
        eb(
          "id",
          "in",
          eb
            .selectFrom("role_assignments")
            .select("role_assignments.incident_id")
            .where("role_assignments.user_id", "=", userId ?? ""),
        ),
      ]),
    );
  }
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    q = q.where((eb) =>
      eb.or([
        eb("declared_at", "<", after.createdAt),
        eb.and([eb("declared_at", "=", after.createdAt), eb("id", "<", after.id)]),
      ]),
    );
  }
  const rows = await q.limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  const { plan } = ctx.plans.current();
  const items = await Promise.all(page.map((row) => loadIncident(db, row, plan)));
  const last = page[page.length - 1];
  return rows.length > query.limit && last
    ? { items, nextCursor: encodeCursor(last.declared_at, last.id) }
    : { items };
}

export async function getIncident(ctx: Ctx, idOrReference: string): Promise<Incident> {
  const row = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  return loadIncident(ctx.store.db, row, ctx.plans.current().plan);
}
