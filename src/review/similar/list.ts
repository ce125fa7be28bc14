import { z } from "zod";
import type { Ctx } from "../../context.ts";
import { canSee, visibleIncidentRow } from "../../incidents/access.ts";
import { UserRef } from "../../incidents/model.ts";
import { findIncidentRow } from "../../incidents/repository.ts";
import { readBool, readJson } from "../../store/values.ts";
import type { Reason } from "./score.ts";

export const SimilarReason = z
  .object({
    kind: z.enum(["alert", "components", "title"]),
    similarity: z.number().meta({ description: "0 to 1: a Jaccard index, or 1 for a shared alert key" }),
    shared: z.array(z.string()).meta({ description: "The alert keys, component ids or title words shared" }),
  })
  .meta({ id: "SimilarReason" });

export const SimilarIncident = z
  .object({
    id: z.string(),
    reference: z.string(),
    title: z.string(),
    severity: z.string(),
    status: z.string(),
    declaredAt: z.string(),
    resolvedAt: z.string().nullable(),
    score: z.number().meta({ description: "0 to 1; listed from 0.3, a repeat from 0.6 (docs/VALUES.md)" }),
    reasons: z.array(SimilarReason),
    postmortem: z
      .object({
        status: z.enum(["draft", "in_review", "published"]),
        url: z.string().meta({ description: "The postmortem in the web app" }),
        publicUrl: z
          .string()
          .nullable()
          .meta({ description: "On the status page, once its public version is published" }),
      })
      .nullable(),
    openActionItems: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        status: z.enum(["open", "in_progress"]),
        priority: z.string(),
        dueAt: z.string().nullable(),
        owner: UserRef.nullable(),
      }),
    ),
  })
  .meta({ id: "SimilarIncident" });
export type SimilarIncident = z.infer<typeof SimilarIncident>;

export const SimilarList = z.object({
  items: z.array(SimilarIncident),
  repeatOf: z
    .object({ id: z.string(), reference: z.string() })
    .nullable()
    .meta({ description: "The similar incident this one repeats: it still had open action items" }),
});
export type SimilarList = z.infer<typeof SimilarList>;

/**
 * The similar past incidents found when `idOrReference` was declared, most
 * similar first, each with its postmortem and its action items still open.
 * Those the caller may no longer see (made private since) are left out.
 */
export async function listSimilar(
  ctx: Ctx,
  idOrReference: string,
  statusPageUrl: string,
): Promise<SimilarList> {
  const db = ctx.store.db;
  const incident = await visibleIncidentRow(ctx, db, idOrReference);
  const rows = await db
    .selectFrom("similar_incidents as s")
    .innerJoin("incidents as i", "i.id", "s.similar_id")
    .leftJoin("postmortems as p", "p.incident_id", "i.id")
    .select([
      "i.id",
      "i.reference",
      "i.title",
      "i.severity",
      "i.status",
      "i.declared_at",
      "i.resolved_at",
      "i.private",
      "i.declared_by",
      "s.score",
      "s.reasons",
      "p.status as postmortem_status",
      "p.public_status",
    ])
    .where("s.incident_id", "=", incident.id)
    .orderBy("s.score", "desc")
    .orderBy("i.declared_at", "desc")
    .execute();
  const visible = [];
  for (const row of rows) {
    // Similar incidents are never private when found; one made private since is checked.
    if (!readBool(row.private) || (await canSee(ctx, db, await findIncidentRow(db, row.id))))
      visible.push(row);
  }
  const ids = visible.map((r) => r.id);
  const items =
    ids.length === 0
      ? []
      : await db
          .selectFrom("action_items as a")
          .leftJoin("users as u", "u.id", "a.owner_id")
          .select([
            "a.id",
            "a.incident_id",
            "a.title",
            "a.status",
            "a.priority",
            "a.due_at",
            "u.id as owner_id",
            "u.email as owner_email",
            "u.name as owner_name",
          ])
          .where("a.incident_id", "in", ids)
          .where("a.status", "in", ["open", "in_progress"])
          .orderBy("a.due_at")
          .orderBy("a.id")
          .execute();
  const app = ctx.publicUrl.replace(/\/$/, "");
  const repeatOf = incident.repeat_of ? (visible.find((r) => r.id === incident.repeat_of) ?? null) : null;
  return {
    repeatOf: repeatOf ? { id: repeatOf.id, reference: repeatOf.reference } : null,
    items: visible.map((row) => ({
      id: row.id,
      reference: row.reference,
      title: row.title,
      severity: row.severity,
      status: row.status,
      declaredAt: row.declared_at,
      resolvedAt: row.resolved_at,
      score: Number(row.score),
      reasons: readJson<Reason[]>(row.reasons),
      postmortem: row.postmortem_status
        ? {
            status: row.postmortem_status,
            url: `${app}/app/incidents/${row.reference}/postmortem`,
            publicUrl: row.public_status === "published" ? `${statusPageUrl}/incidents/${row.id}` : null,
          }
        : null,
      openActionItems: items
        .filter((a) => a.incident_id === row.id)
        .map((a) => ({
          id: a.id,
          title: a.title,
          status: a.status as "open" | "in_progress",
          priority: a.priority,
          dueAt: a.due_at,
          owner:
            a.owner_id && a.owner_email && a.owner_name
              ? { id: a.owner_id, email: a.owner_email, name: a.owner_name }
              : null,
        })),
    })),
  };
}
