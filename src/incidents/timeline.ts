import type { z } from "zod";
import { actorUserId } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { AppError, conflict, forbidden, invalid } from "../shared/errors.ts";
import type { Db } from "../store/open.ts";
import { readBool } from "../store/values.ts";
import { visibleIncidentRow } from "./access.ts";
import { announce } from "./announce.ts";
import type { TimelineEntry, TimelineInput } from "./model.ts";
import { getEntry, insertEntry, listEntries } from "./repository.ts";

export const TIMELINE_PAGE_DEFAULT = 1_000;
export const TIMELINE_PAGE_MAX = 10_000;

/**
 * Logs a change, decision, fix or note. A fix marked final that the incident
 * manager logs is confirmed at once; anyone else's waits for their confirmation.
 */
export async function appendEntry(
  ctx: Ctx,
  idOrReference: string,
  input: z.output<typeof TimelineInput>,
): Promise<TimelineEntry> {
  if (input.final && input.kind !== "fix") {
    throw invalid("Only a fix can be final.", [
      {
        path: "final",
        message: `a ${input.kind} cannot be final`,
        hint: "use kind: fix, or leave final out",
      },
    ]);
  }
  const now = ctx.clock.now().toISOString();
  const userId = actorUserId(ctx.actor);
  const { row, entryId } = await ctx.store.transaction(async (tx) => {
    const row = await visibleIncidentRow(ctx, tx, idOrReference);
    const leadHolder = input.final ? await leadHolderId(tx, row.id) : null;
    const confirmedBy = input.final && userId !== null && leadHolder === userId ? userId : null;
    const entryId = await insertEntry(tx, {
      incidentId: row.id,
      kind: input.kind,
      body: input.body,
      final: input.final ?? false,
      confirmedBy,
      authorId: userId,
      at: now,
    });
    return { row, entryId };
  });
  announce(ctx, row, input.kind);
  return getEntry(ctx.store.db, row.id, entryId);
}

/** The incident manager confirms that a fix was the final one. */
export async function confirmFinalFix(
  ctx: Ctx,
  idOrReference: string,
  entryId: string,
): Promise<TimelineEntry> {
  const now = ctx.clock.now().toISOString();
  const userId = actorUserId(ctx.actor);
  const { row, changed } = await ctx.store.transaction(async (tx) => {
    const row = await visibleIncidentRow(ctx, tx, idOrReference);
    const entry = await getEntry(tx, row.id, entryId);
    if (entry.kind !== "fix") throw invalid("Only a fix can be confirmed as the final fix.");
    if (entry.confirmedBy) return { row, changed: false };
    const lead = await leadHolderId(tx, row.id);
    if (!userId || lead !== userId) {
      throw forbidden("Only the incident manager holding the lead role can confirm the final fix.");
    }
    const result = await tx
      .updateTable("timeline_entries")
      .set({ final: true, confirmed_by: userId, confirmed_at: now })
      .where("id", "=", entryId)
      .where("confirmed_by", "is", null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1)
      throw conflict("The fix was confirmed at the same time: reload.");
    await insertEntry(tx, {
      incidentId: row.id,
      kind: "fix_confirmed",
      body: `Confirmed as the final fix: ${entry.body}`,
      authorId: userId,
      at: now,
      data: { entryId },
    });
    return { row, changed: true };
  });
  if (changed) announce(ctx, row, "fix_confirmed");
  return getEntry(ctx.store.db, row.id, entryId);
}

async function leadHolderId(tx: Db, incidentId: string): Promise<string | null> {
  const lead = await tx
    .selectFrom("incident_roles")
    .select(["holder_id", "lead"])
    .where("incident_id", "=", incidentId)
    .where("lead", "=", true)
    .executeTakeFirst();
  return lead && readBool(lead.lead) ? lead.holder_id : null;
}

/** The timeline, oldest first (or newest first), a page at a time; the cursor is the last entry's position. */
export async function readTimeline(
  ctx: Ctx,
  idOrReference: string,
  page: { limit?: number | undefined; cursor?: string | undefined; order?: "asc" | "desc" | undefined },
): Promise<{ items: TimelineEntry[]; nextCursor?: string }> {
  const row = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  const limit = page.limit ?? TIMELINE_PAGE_DEFAULT;
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  const items = await listEntries(ctx.store.db, row.id, {
    limit: limit + 1,
    after,
    newestFirst: page.order === "desc",
  });
  if (items.length <= limit) return { items };
  items.length = limit;
  const last = items[limit - 1]!;
  return { items, nextCursor: encodeCursor(last.createdAt, last.id) };
}

export function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) {
    throw new AppError("bad_request", "The cursor is not one this server gave out.", [
      {
        path: "cursor",
        message: "unreadable cursor",
        hint: "pass the nextCursor of the previous page as it was",
      },
    ]);
  }
  return { createdAt, id };
}
