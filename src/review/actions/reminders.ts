import { adapterFor } from "../../comms/adapters/index.ts";
import { channelSettings } from "../../comms/compose.ts";
import type { Ctx } from "../../context.ts";
import { enqueue } from "../../jobs/queue.ts";
import { SHORT_RETRIES } from "../../jobs/retry.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import { durationInWords, parseDuration } from "../../plan/duration.ts";
import { newId } from "../../shared/ids.ts";
import { readBool } from "../../store/values.ts";
import { OPEN_STATUSES } from "./model.ts";
import { priorityName } from "./repository.ts";

/**
 * Owners of open action items are emailed `action_items.remind_before` ahead
 * of the due date, and once a week while the item is overdue (when it falls
 * due, then a week later, and so on). A periodic check queues the reminders
 * that are due; each is recorded once in `reminders_sent` — keyed by the
 * item's incident, its due date and a stage naming the item and the week —
 * in the transaction that queues its job, so several processes checking at
 * once send it once, and moving the due date starts afresh. Closed items,
 * items without an owner or a due date, are not reminded.
 */
export const ACTION_REMIND_JOB = "remindActionItem";

const WEEK_MS = 7 * 86_400_000;
const CHUNK = 400;

type Stage = "before" | `overdue-${number}`;

interface ReminderPayload {
  itemId: string;
  dueAt: string;
  stage: Stage;
}

/** The reminder an open item with this due date is owed at `now`, if any. */
export function reminderStage(dueAt: string, now: Date, remindBeforeMs: number): Stage | null {
  const due = Date.parse(dueAt);
  const t = now.getTime();
  if (t >= due) return `overdue-${Math.floor((t - due) / WEEK_MS)}`;
  if (t >= due - remindBeforeMs) return "before";
  return null;
}

const stageKey = (itemId: string, stage: Stage) => `action:${itemId}:${stage}`;

/** Queues the action item reminders due now; safe to run anywhere, any number of times. */
export async function checkActionItems(ctx: Pick<Ctx, "store" | "plans" | "clock">): Promise<number> {
  const { plan } = ctx.plans.current();
  const now = ctx.clock.now();
  const at = now.toISOString();
  const before = parseDuration(plan.action_items.remind_before);
  const db = ctx.store.db;
  // Open items due within the reminder window or already past due: the (status, due_at) index.
  const items = await db
    .selectFrom("action_items")
    .select(["id", "incident_id", "due_at"])
    .where("status", "in", OPEN_STATUSES)
    .where("due_at", "is not", null)
    .where("due_at", "<=", new Date(now.getTime() + before).toISOString())
    .where("owner_id", "is not", null)
    .execute();
  const owed = items.flatMap((item) => {
    const stage = reminderStage(item.due_at!, now, before);
    return stage ? [{ ...item, dueAt: item.due_at!, stage, key: stageKey(item.id, stage) }] : [];
  });
  // Skip those already sent without a write transaction each: overdue items stay candidates for weeks.
  const sent = new Set<string>();
  for (let i = 0; i < owed.length; i += CHUNK) {
    const chunk = owed.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom("reminders_sent")
      .select(["stage", "due_at"])
      .where("incident_id", "in", [...new Set(chunk.map((o) => o.incident_id))])
      .where(
        "stage",
        "in",
        chunk.map((o) => o.key),
      )
      .execute();
    for (const row of rows) sent.add(`${row.stage}@${Date.parse(row.due_at)}`);
  }
  let queued = 0;
  for (const item of owed) {
    if (sent.has(`${item.key}@${Date.parse(item.dueAt)}`)) continue;
    const claimed = await ctx.store.transaction(async (tx) => {
      const inserted = await tx
        .insertInto("reminders_sent")
        .values({ incident_id: item.incident_id, due_at: item.dueAt, stage: item.key, sent_at: at })
        .onConflict((oc) => oc.columns(["incident_id", "due_at", "stage"]).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
      const payload: ReminderPayload = { itemId: item.id, dueAt: item.dueAt, stage: item.stage };
      await enqueue(tx, [{ kind: ACTION_REMIND_JOB, payload, runAt: at }], at);
      return true;
    });
    if (claimed) queued += 1;
  }
  return queued;
}

type ReminderDeps = Pick<Ctx, "store" | "plans" | "clock" | "comms" | "publicUrl">;

/** Emails one reminder to the item's owner, unless the item was closed, moved or handed to nobody since. */
export function actionReminderHandler(deps: ReminderDeps): JobHandler<ReminderPayload> {
  return {
    kind: ACTION_REMIND_JOB,
    retry: SHORT_RETRIES,
    async run(job) {
      const { itemId, dueAt, stage } = job.payload;
      const item = await deps.store.db
        .selectFrom("action_items as a")
        .innerJoin("incidents as i", "i.id", "a.incident_id")
        .innerJoin("users as u", "u.id", "a.owner_id")
        .select([
          "a.title",
          "a.status",
          "a.due_at",
          "a.priority",
          "a.url",
          "i.id as incident_id",
          "i.reference",
          "i.title as incident_title",
          "i.status as incident_status",
          "i.severity",
          "i.drill",
          "u.email",
          "u.name",
        ])
        .where("a.id", "=", itemId)
        .where("u.disabled_at", "is", null)
        .executeTakeFirst();
      if (!item || !OPEN_STATUSES.includes(item.status) || item.due_at === null) return;
      if (Date.parse(item.due_at) !== Date.parse(dueAt)) return;

      const { plan } = deps.plans.current();
      const channel = plan.channels.find((c) => c.type === "email");
      if (!channel) return;
      const adapter = adapterFor(channel.type);
      const { settings, problems } = await channelSettings(deps, channel, adapter);
      if (!settings)
        throw new Error(`Cannot send the reminder through ${channel.name}: ${problems.join("; ")}`);

      const left = Date.parse(dueAt) - deps.clock.now().getTime();
      const url = `${deps.publicUrl.replace(/\/$/, "")}/app/incidents/${item.reference}`;
      const subject =
        stage === "before"
          ? `Action item due in ${durationInWords(left)}: ${item.title}`
          : `Action item overdue: ${item.title}`;
      const body = [
        stage === "before"
          ? `${item.name}, the action item "${item.title}" from ${item.reference} (${item.incident_title}) is due on ${dueAt}, in ${durationInWords(left)}.`
          : `${item.name}, the action item "${item.title}" from ${item.reference} (${item.incident_title}) was due on ${dueAt} and is still open${left < 0 ? `, ${durationInWords(-left)} late` : ""}.`,
        `Priority: ${priorityName(plan, item.priority)}.${item.url ? ` Tracked at ${item.url}` : ""}`,
        "Never have the same incident twice: close it when it is done, or mark it won't do with the incident team.",
      ].join("\n\n");
      const rendering = adapter.render(
        {
          phase: item.incident_status === "resolved" ? "resolved" : "investigating",
          subject,
          body,
          incident: {
            id: item.incident_id,
            reference: item.reference,
            title: item.incident_title,
            url,
            status: item.incident_status,
            severityName: plan.severities.find((s) => s.id === item.severity)?.name ?? item.severity,
            components: [],
            drill: readBool(item.drill),
          },
          organizationName: plan.organization.name,
          updateId: newId(),
        },
        settings,
      );
      // The channel's own recipients (`to`) do not apply: a reminder goes to the owner alone.
      await adapter.deliver(
        { fetch: deps.comms.fetch, now: () => deps.clock.now() },
        {
          deliveryId: `${itemId}:${stage}`,
          attempt: job.attempts,
          rendering,
          target: { key: item.email, address: item.email },
        },
        settings,
      );
    },
  };
}
