import type { Ctx } from "../../context.ts";
import { conflict, notFound } from "../../shared/errors.ts";
import type { Db } from "../../store/open.ts";
import type { IncidentsTable, PostmortemsTable } from "../../store/schema.ts";
import { readBool, readTime } from "../../store/values.ts";
import type { Postmortem } from "./model.ts";
import { renderPostmortemMarkdown } from "./render.ts";

/** What the postmortem verbs are given: a Ctx, and where the public status page lives (for links). */
export type PostmortemCtx = Ctx & { pageUrl: string };

export async function findPostmortemRow(db: Db, incidentId: string): Promise<PostmortemsTable | undefined> {
  return db.selectFrom("postmortems").selectAll().where("incident_id", "=", incidentId).executeTakeFirst();
}

export async function postmortemRowOf(db: Db, incident: IncidentsTable): Promise<PostmortemsTable> {
  const row = await findPostmortemRow(db, incident.id);
  if (!row) throw notFound(`The postmortem of ${incident.reference}`);
  return row;
}

/** The review's public-postmortem decision, when the incident has a review. */
export async function publicDecision(db: Db, incidentId: string): Promise<Postmortem["decision"]> {
  const review = await db
    .selectFrom("reviews")
    .select(["public_postmortem", "decision_reason"])
    .where("incident_id", "=", incidentId)
    .executeTakeFirst();
  if (!review) return null;
  return {
    publicPostmortem: review.public_postmortem === null ? null : readBool(review.public_postmortem),
    reason: review.decision_reason,
  };
}

/** The status page's page for an incident. */
export function incidentPageUrl(pageUrl: string, incidentId: string): string {
  return `${pageUrl.replace(/\/$/, "")}/incidents/${incidentId}`;
}

export async function presentPostmortem(
  ctx: PostmortemCtx,
  row: PostmortemsTable,
  incident: IncidentsTable,
): Promise<Postmortem> {
  const db = ctx.store.db;
  const [editor, decision] = await Promise.all([
    row.updated_by
      ? db
          .selectFrom("users")
          .select(["id", "email", "name"])
          .where("id", "=", row.updated_by)
          .executeTakeFirst()
      : undefined,
    publicDecision(db, incident.id),
  ]);
  return {
    id: row.id,
    incidentId: incident.id,
    reference: incident.reference,
    status: row.status,
    body: row.body,
    html: renderPostmortemMarkdown(row.body),
    version: row.version,
    createdAt: readTime(row.created_at),
    updatedAt: readTime(row.updated_at),
    updatedBy: editor ?? null,
    publishedAt: readTime(row.published_at),
    public: {
      status: row.public_status,
      title: row.public_title,
      body: row.public_body,
      html: row.public_body === null ? null : renderPostmortemMarkdown(row.public_body),
      publishedAt: readTime(row.public_published_at),
      url:
        row.public_status === "published" ? `${incidentPageUrl(ctx.pageUrl, incident.id)}#postmortem` : null,
    },
    decision,
  };
}

/**
 * Changes the postmortem only if nobody else did since it was read: zero rows
 * updated means a concurrent change won, and the caller's transaction rolls back.
 */
export async function bumpPostmortem(
  tx: Db,
  row: PostmortemsTable,
  incident: IncidentsTable,
  changes: Partial<PostmortemsTable> & { updated_at: string; updated_by: string | null },
): Promise<PostmortemsTable> {
  const result = await tx
    .updateTable("postmortems")
    .set({ ...changes, version: row.version + 1 })
    .where("id", "=", row.id)
    .where("version", "=", row.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw conflict(
      `The postmortem of ${incident.reference} was changed by someone else at the same time: reload and try again.`,
    );
  }
  return { ...row, ...changes, version: row.version + 1 };
}

/** The optimistic check: a client that read version N may only change version N. */
export function checkPostmortemVersion(
  row: PostmortemsTable,
  incident: IncidentsTable,
  expected: number | undefined,
): void {
  if (expected !== undefined && row.version !== expected) {
    throw conflict(
      `The postmortem of ${incident.reference} changed since you read it (you had version ${expected}, it is now ${row.version}): reload, keep your changes aside, and save again.`,
    );
  }
}
