import { z } from "zod";
import { actorUserId } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { invalid } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { readJson, writeJson } from "../store/values.ts";
import { componentIssues } from "./declare.ts";
import { ComponentImpact, DetectedBy, UserRef } from "./model.ts";
import { decodeCursor, encodeCursor } from "./timeline.ts";

/**
 * "An event becomes an incident if any one of the following is true": when
 * none is, the event is logged instead of declared, so it is not lost and a
 * pattern of near-misses can be seen later.
 */
export const LogEventInput = z.strictObject({
  title: z.string().trim().min(1, "say what happened").max(200),
  summary: z.string().max(20_000).optional(),
  components: z.array(ComponentImpact).max(200).optional(),
  detectedBy: DetectedBy.optional(),
});
export type LogEventInput = z.output<typeof LogEventInput>;

export const LoggedEvent = z
  .object({
    id: z.string(),
    title: z.string(),
    summary: z.string().nullable(),
    components: z.array(ComponentImpact),
    detectedBy: DetectedBy,
    loggedAt: z.string(),
    loggedBy: UserRef.nullable(),
  })
  .meta({ id: "LoggedEvent" });
export type LoggedEvent = z.infer<typeof LoggedEvent>;

export async function logEvent(ctx: Ctx, input: LogEventInput): Promise<LoggedEvent> {
  const { plan } = ctx.plans.current();
  const issues = componentIssues(plan, input.components ?? []);
  if (issues.length) throw invalid("The event cannot be logged as given.", issues);
  const row = {
    id: newId(),
    title: input.title,
    summary: input.summary ?? null,
    components: writeJson(input.components ?? []),
    detected_by: input.detectedBy ?? ("employee" as const),
    logged_at: ctx.clock.now().toISOString(),
    logged_by: actorUserId(ctx.actor),
  };
  await ctx.store.transaction((tx) => tx.insertInto("event_log").values(row).execute());
  const by =
    ctx.actor.kind === "user"
      ? { id: ctx.actor.user.id, email: ctx.actor.user.email, name: ctx.actor.user.name }
      : null;
  return {
    id: row.id,
    title: row.title,
    summary: row.summary,
    components: input.components ?? [],
    detectedBy: row.detected_by,
    loggedAt: row.logged_at,
    loggedBy: by,
  };
}

export async function listLoggedEvents(
  ctx: Ctx,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: LoggedEvent[]; nextCursor?: string }> {
  let q = ctx.store.db
    .selectFrom("event_log")
    .leftJoin("users", "users.id", "event_log.logged_by")
    .selectAll("event_log")
    .select(["users.email", "users.name"])
    .orderBy("event_log.logged_at", "desc")
    .orderBy("event_log.id", "desc")
    .limit(page.limit + 1);
  if (page.cursor) {
    const after = decodeCursor(page.cursor);
    q = q.where((eb) =>
      eb.or([
        eb("event_log.logged_at", "<", after.createdAt),
        eb.and([eb("event_log.logged_at", "=", after.createdAt), eb("event_log.id", "<", after.id)]),
      ]),
    );
  }
  const rows = await q.execute();
  const items = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    title: r.title,
    summary: r.summary,
    components: readJson<LoggedEvent["components"]>(r.components),
    detectedBy: r.detected_by,
    loggedAt: r.logged_at,
    loggedBy: r.logged_by && r.email && r.name ? { id: r.logged_by, email: r.email, name: r.name } : null,
  }));
  const last = items.at(-1);
  return rows.length > page.limit && last
    ? { items, nextCursor: encodeCursor(last.loggedAt, last.id) }
    : { items };
}
