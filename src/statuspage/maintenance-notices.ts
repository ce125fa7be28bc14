import { adapterFor } from "../comms/adapters/index.ts";
import type { MessageFacts } from "../comms/adapters/types.ts";
import { confirmedSubscriber, interestedSubscribers, sendNotice } from "../comms/subscriber-notices.ts";
import type { Ctx } from "../context.ts";
import type { NewJob } from "../jobs/queue.ts";
import { STANDARD_WEBHOOKS_RETRIES } from "../jobs/retry.ts";
import type { JobHandler } from "../jobs/worker.ts";
import type { Db } from "../store/open.ts";
import { readTime } from "../store/values.ts";

/**
 * Tells the status page's subscribers about a maintenance step: one durable
 * job per subscriber, by email through the plan's subscriber email channel, or
 * as a Standard Webhooks event (`maintenance.update`) signed with the
 * subscriber's own secret. Subscribers who chose components hear only about
 * maintenances that touch one of them.
 */
export const MAINTENANCE_NOTICE_JOB = "maintenanceNotice";

const STATUS_WORDS: Record<string, string> = {
  scheduled: "Scheduled",
  in_progress: "In progress",
  verifying: "Verifying",
  completed: "Completed",
};

export async function noticeJobs(
  ctx: Pick<Ctx, "plans">,
  tx: Db,
  maintenanceId: string,
  updateId: string,
  now: string,
): Promise<NewJob[]> {
  const components = new Set(
    (
      await tx
        .selectFrom("maintenance_components")
        .select("component_id")
        .where("maintenance_id", "=", maintenanceId)
        .execute()
    ).map((row) => row.component_id),
  );
  return (await interestedSubscribers(ctx, tx, components)).map((subscriberId) => ({
    kind: MAINTENANCE_NOTICE_JOB,
    payload: { updateId, subscriberId },
    runAt: now,
  }));
}

export function maintenanceNoticeHandler(
  deps: Pick<Ctx, "store" | "plans" | "clock" | "comms" | "publicUrl">,
  pageUrl: string,
): JobHandler<{ updateId: string; subscriberId: string }> {
  return {
    kind: MAINTENANCE_NOTICE_JOB,
    retry: STANDARD_WEBHOOKS_RETRIES,
    async run(job) {
      const db = deps.store.db;
      const subscriber = await confirmedSubscriber(db, job.payload.subscriberId);
      if (!subscriber) return;
      const update = await db
        .selectFrom("maintenance_updates as u")
        .innerJoin("maintenances as m", "m.id", "u.maintenance_id")
        .select([
          "u.id",
          "u.status",
          "u.body",
          "u.created_at",
          "m.id as maintenance_id",
          "m.title",
          "m.scheduled_for",
          "m.scheduled_until",
        ])
        .where("u.id", "=", job.payload.updateId)
        .executeTakeFirst();
      if (!update) return;
      const { plan } = deps.plans.current();
      const names = new Map(plan.components.map((c) => [c.id, c.name]));
      const components = (
        await db
          .selectFrom("maintenance_components")
          .select("component_id")
          .where("maintenance_id", "=", update.maintenance_id)
          .execute()
      ).map((row) => ({
        name: names.get(row.component_id) ?? row.component_id,
        impact: "under_maintenance",
      }));
      const url = `${pageUrl}/incidents/${update.maintenance_id}`;
      const window = `${readTime(update.scheduled_for)} to ${readTime(update.scheduled_until)}`;
      const status = STATUS_WORDS[update.status] ?? update.status;

      await sendNotice(deps, job, subscriber, {
        email(settings) {
          const facts: MessageFacts = {
            phase: "investigating",
            subject: `[Maintenance ${status.toLowerCase()}] ${update.title}`,
            body: `${update.body}\n\nScheduled: ${window} (UTC)`,
            incident: {
              id: update.maintenance_id,
              reference: "Maintenance",
              title: update.title,
              url,
              status: update.status,
              severityName: status,
              components,
              drill: false,
            },
            organizationName: plan.organization.name,
            updateId: update.id,
          };
          return adapterFor("email").render(facts, settings);
        },
        webhook: () => ({
          payload: {
            type: "maintenance.update",
            id: update.id,
            timestamp: readTime(update.created_at),
            data: {
              maintenance: {
                id: update.maintenance_id,
                title: update.title,
                url,
                status: update.status,
                scheduledFor: readTime(update.scheduled_for),
                scheduledUntil: readTime(update.scheduled_until),
                components,
              },
              update: { id: update.id, status: update.status, body: update.body },
              organization: { name: plan.organization.name },
            },
          },
        }),
      });
    },
  };
}
