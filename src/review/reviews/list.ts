import type { z } from "zod";
import { actorUserId, isAdmin } from "../../auth/model.ts";
import type { Ctx } from "../../context.ts";
import type { ListReviewsQuery, Review } from "./model.ts";
import { assembleReview } from "./repository.ts";

/**
 * Reviews across incidents, soonest due first ("reviews due this week":
 * status=scheduled&due_before=…). Private incidents' reviews only for those
 * who may see the incident.
 */
export async function listReviews(
  ctx: Ctx,
  query: z.output<typeof ListReviewsQuery>,
): Promise<{ items: Review[] }> {
  const db = ctx.store.db;
  const userId = actorUserId(ctx.actor) ?? "";
  let q = db
    .selectFrom("reviews")
    .innerJoin("incidents", "incidents.id", "reviews.incident_id")
    .selectAll("reviews")
    .select([
      "incidents.reference",
      "incidents.title",
      "incidents.severity",
      "incidents.status as incident_status",
      "incidents.resolved_at",
      "incidents.closed_at",
      "incidents.private",
      "incidents.declared_by",
    ])
    .orderBy("reviews.due_at")
    .orderBy("reviews.id")
    .limit(query.limit);
  if (query.status) q = q.where("reviews.status", "=", query.status);
  if (query.due_before) q = q.where("reviews.due_at", "<", new Date(query.due_before).toISOString());
  if (!isAdmin(ctx.actor)) {
    q = q.where((eb) =>
      eb.or([
        eb("incidents.private", "=", false),
        eb("incidents.declared_by", "=", userId),
        eb(
          "incidents.id",
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
  if (rows.length === 0) return { items: [] };
  const deciders = [...new Set(rows.map((r) => r.decided_by).filter((id): id is string => id !== null))];
  const [users, leads] = await Promise.all([
    deciders.length
      ? db.selectFrom("users").select(["id", "email", "name"]).where("id", "in", deciders).execute()
      : [],
    db
      .selectFrom("incident_roles")
      .innerJoin("users", "users.id", "incident_roles.holder_id")
      .select(["incident_roles.incident_id", "users.id", "users.email", "users.name"])
      .where("incident_roles.incident_id", "in", [...new Set(rows.map((r) => r.incident_id))])
      .where("incident_roles.lead", "=", true)
      .execute(),
  ]);
  const userById = new Map(users.map((u) => [u.id, u]));
  const leadOf = new Map(leads.map((l) => [l.incident_id, { id: l.id, email: l.email, name: l.name }]));
  const { plan } = ctx.plans.current();
  const now = ctx.clock.now();
  const items = rows.map((r) => {
    const incident = {
      id: r.incident_id,
      reference: r.reference,
      title: r.title,
      severity: r.severity,
      status: r.incident_status,
      resolved_at: r.resolved_at,
      closed_at: r.closed_at,
    };
    return assembleReview(
      plan,
      r,
      incident,
      leadOf.get(r.incident_id) ?? null,
      r.decided_by ? (userById.get(r.decided_by) ?? null) : null,
      now,
    );
  });
  return { items };
}
