import type { Ctx } from "../context.ts";
import { insertEntry } from "../incidents/repository.ts";
import { enqueue } from "../jobs/queue.ts";
import { SHORT_RETRIES } from "../jobs/retry.ts";
import type { JobHandler } from "../jobs/worker.ts";
import { durationInWords, parseDuration } from "../plan/duration.ts";
import type { Plan } from "../plan/schema.ts";
import { newId } from "../shared/ids.ts";
import type { Db } from "../store/open.ts";
import type { IncidentsTable } from "../store/schema.ts";
import { readBool } from "../store/values.ts";
import { adapterFor } from "./adapters/index.ts";
import { channelSettings } from "./compose.ts";

/**
 * "Send comms early and often": each severity's `update_every` sets when the
 * next external update is due, counted from the last one (or from the
 * declaration). The holder of the plan's reminder role (the communications
 * manager by default) is emailed `reminders.before` the due time and again
 * when the update is overdue. A watcher looks at the open incidents every half
 * minute; each reminder is recorded once per incident, due time and stage (so
 * several processes send it once), and reminders stop when the incident is
 * resolved.
 */
export const REMIND_JOB = "remindUpdate";

export function updateEveryMs(plan: Plan, severity: string): number | null {
  const level = plan.severities.find((s) => s.id === severity);
  return level ? parseDuration(level.update_every) : null;
}

/** When the next external update of an open incident is due. */
export async function cadenceDueAt(db: Db, plan: Plan, incident: IncidentsTable): Promise<string | null> {
  const every = updateEveryMs(plan, incident.severity);
  if (every === null || incident.status === "resolved") return null;
  const last = await db
    .selectFrom("status_updates")
    .select("created_at")
    .where("incident_id", "=", incident.id)
    .where("audience", "=", "external")
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  return new Date(Date.parse(last?.created_at ?? incident.declared_at) + every).toISOString();
}

function reminderRole(plan: Plan): string | undefined {
  return (
    plan.reminders.role ??
    plan.roles.find((r) => r.id === "comms-manager")?.id ??
    plan.roles.find((r) => r.lead)?.id
  );
}

/** Queues the reminders that are due now; safe to run anywhere, any number of times. */
export async function checkCadence(ctx: Pick<Ctx, "store" | "plans" | "clock">): Promise<number> {
  const { plan } = ctx.plans.current();
  const now = ctx.clock.now();
  const at = now.toISOString();
  const open = await ctx.store.db
    .selectFrom("incidents")
    .selectAll()
    .where("status", "!=", "resolved")
    .execute();
  let queued = 0;
  for (const incident of open) {
    const every = updateEveryMs(plan, incident.severity);
    const dueAt = await cadenceDueAt(ctx.store.db, plan, incident);
    if (every === null || dueAt === null) continue;
    const due = Date.parse(dueAt);
    const before = Math.min(parseDuration(plan.reminders.before), every / 2);
    const stage = now.getTime() >= due ? "overdue" : now.getTime() >= due - before ? "soon" : null;
    if (!stage) continue;
    const sent = await ctx.store.transaction(async (tx) => {
      const inserted = await tx
        .insertInto("reminders_sent")
        .values({ incident_id: incident.id, due_at: dueAt, stage, sent_at: at })
        .onConflict((oc) => oc.columns(["incident_id", "due_at", "stage"]).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
      await enqueue(
        tx,
        [{ kind: REMIND_JOB, payload: { incidentId: incident.id, dueAt, stage }, runAt: at }],
        at,
      );
      return true;
    });
    if (sent) queued += 1;
  }
  return queued;
}

interface ReminderPayload {
  incidentId: string;
  dueAt: string;
  stage: "soon" | "overdue";
}

type ReminderDeps = Pick<Ctx, "store" | "plans" | "clock" | "comms" | "publicUrl">;

export function reminderHandler(deps: ReminderDeps): JobHandler<ReminderPayload> {
  return {
    kind: REMIND_JOB,
    retry: SHORT_RETRIES,
    async run(job) {
      const { incidentId, dueAt, stage } = job.payload;
      const db = deps.store.db;
      const incident = await db
        .selectFrom("incidents")
        .selectAll()
        .where("id", "=", incidentId)
        .executeTakeFirst();
      if (!incident || incident.status === "resolved") return;
      const { plan } = deps.plans.current();
      // An update posted since moved the due time: nothing to remind any more.
      if ((await cadenceDueAt(db, plan, incident)) !== dueAt) return;
      const roleId = reminderRole(plan);
      const holder = roleId
        ? await db
            .selectFrom("incident_roles")
            .innerJoin("users", "users.id", "incident_roles.holder_id")
            .select(["users.email", "users.name"])
            .where("incident_roles.incident_id", "=", incidentId)
            .where("incident_roles.role_id", "=", roleId)
            .executeTakeFirst()
        : undefined;
      const left = Date.parse(dueAt) - deps.clock.now().getTime();
      const text =
        stage === "overdue"
          ? `The next update on ${incident.reference} was due at ${dueAt} and is overdue${left < 0 ? ` by ${durationInWords(-left)}` : ""}: post one now.`
          : `The next update on ${incident.reference} is due in ${durationInWords(left)}, at ${dueAt}.`;
      const how = holder
        ? await emailHolder(deps, plan, incident, holder.email, stage, text)
        : "nobody holds the role to remind";
      await deps.store.transaction((tx) =>
        insertEntry(tx, {
          incidentId,
          kind: "reminder",
          body: `${text} (${how})`,
          authorId: null,
          at: deps.clock.now().toISOString(),
          data: { dueAt, stage, roleId: roleId ?? null, to: holder?.email ?? null },
        }),
      );
    },
  };
}

async function emailHolder(
  deps: ReminderDeps,
  plan: Plan,
  incident: IncidentsTable,
  to: string,
  stage: "soon" | "overdue",
  text: string,
): Promise<string> {
  const channel =
    plan.channels.find((c) => c.id === plan.reminders.channel) ??
    plan.channels.find((c) => c.type === "email");
  if (!channel) return "no email channel in the plan to send reminders through";
  const adapter = adapterFor(channel.type);
  const { settings, problems } = await channelSettings(deps, channel, adapter);
  if (!settings) throw new Error(`Cannot send the reminder through ${channel.name}: ${problems.join("; ")}`);
  const url = `${deps.publicUrl.replace(/\/$/, "")}/app/incidents/${incident.reference}`;
  const rendering = adapter.render(
    {
      phase: "investigating",
      subject: `${stage === "overdue" ? "Update overdue" : "Update due soon"}: ${incident.reference} ${incident.title}`,
      body: text,
      incident: {
        id: incident.id,
        reference: incident.reference,
        title: incident.title,
        url,
        status: incident.status,
        severityName: plan.severities.find((s) => s.id === incident.severity)?.name ?? incident.severity,
        components: [],
        drill: readBool(incident.drill),
      },
      organizationName: plan.organization.name,
      updateId: newId(),
    },
    settings,
  );
  // Internal settings (`to`) do not apply: a reminder goes to the role holder alone.
  await adapter.deliver(
    { fetch: deps.comms.fetch, now: () => deps.clock.now() },
    { deliveryId: newId(), attempt: 1, rendering, target: { key: to, address: to } },
    settings,
  );
  return `emailed ${to}`;
}
