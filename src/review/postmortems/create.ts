import { actorUserId } from "../../auth/model.ts";
import { visibleIncidentRow } from "../../incidents/access.ts";
import { announce } from "../../incidents/announce.ts";
import { insertEntry } from "../../incidents/repository.ts";
import { conflict } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import { draftPostmortem } from "./draft.ts";
import { loadPostmortemFacts } from "./facts.ts";
import type { Postmortem } from "./model.ts";
import { findPostmortemRow, type PostmortemCtx, presentPostmortem } from "./repository.ts";

/**
 * Drafts the incident's postmortem from what the incident knows (see
 * draft.ts), in the plan's sections. An incident has one postmortem: a second
 * draft is refused, so nobody's edits are overwritten by a fresh one.
 */
export async function createPostmortem(ctx: PostmortemCtx, idOrReference: string): Promise<Postmortem> {
  const { plan } = ctx.plans.current();
  const incident = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  const already = () =>
    conflict(`${incident.reference} already has a postmortem: open it and edit it instead.`);
  if (await findPostmortemRow(ctx.store.db, incident.id)) throw already();
  const body = draftPostmortem(
    await loadPostmortemFacts(ctx.store.db, incident, plan),
    plan.postmortem.sections,
  );
  const now = ctx.clock.now().toISOString();
  const userId = actorUserId(ctx.actor);
  const row = {
    id: newId(),
    incident_id: incident.id,
    status: "draft" as const,
    body,
    published_at: null,
    public_status: "none" as const,
    public_title: null,
    public_body: null,
    public_published_at: null,
    created_at: now,
    updated_at: now,
    updated_by: userId,
    version: 1,
  };
  await ctx.store.transaction(async (tx) => {
    const inserted = await tx
      .insertInto("postmortems")
      .values(row)
      .onConflict((oc) => oc.column("incident_id").doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw already();
    await insertEntry(tx, {
      incidentId: incident.id,
      kind: "postmortem_drafted",
      body: "Postmortem drafted from the incident.",
      authorId: userId,
      at: now,
      data: { postmortemId: row.id },
    });
  });
  announce(ctx, incident, "postmortem_drafted");
  return presentPostmortem(ctx, row, incident);
}
