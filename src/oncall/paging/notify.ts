import type { Ctx } from "../../context.ts";
import { insertEntry } from "../../incidents/repository.ts";
import type { Job } from "../../jobs/queue.ts";
import { GiveUp, type RetryPolicy } from "../../jobs/retry.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import type { Db } from "../../store/open.ts";
import { readBool } from "../../store/values.ts";
import { sendChatWebhook } from "../providers/chat-webhook.ts";
import { pagingProviders } from "../providers/config.ts";
import { sendPageEmail } from "../providers/email.ts";
import { sendNtfy } from "../providers/ntfy.ts";
import { twilioClient } from "../providers/twilio.ts";
import type { ProviderContext, Sent } from "../providers/types.ts";
import { sendPageWebhook } from "../providers/webhook.ts";
import { ackLink, ackLinkKey } from "./ack-link.ts";
import { NOTIFY_JOB, stagesOf } from "./escalate.ts";
import { composePage, pageTwiml } from "./message.ts";

/**
 * Sends one notification of a page, when its rule says. Idempotent: one that
 * went out, or was cancelled by an acknowledgement, is not sent again, and its
 * id is the idempotency key providers see (the email's Message-ID, the
 * webhook's `webhook-id`). Every attempt, sent or failed, is on the timeline.
 */

/** Pages are urgent: a few quick tries, then give up and say so. */
export const PAGE_RETRIES: RetryPolicy = {
  delaysMs: [10_000, 30_000, 60_000, 2 * 60_000, 5 * 60_000],
  jitter: 0.2,
};

type NotifyDeps = Omit<Ctx, "actor">;
type Payload = { notificationId: string };

function notificationQuery(db: Db, id: string) {
  return db
    .selectFrom("page_notifications as n")
    .innerJoin("pages as p", "p.id", "n.page_id")
    .innerJoin("escalations as e", "e.id", "p.escalation_id")
    .innerJoin("incidents as i", "i.id", "p.incident_id")
    .innerJoin("users as u", "u.id", "p.user_id")
    .leftJoin("contact_methods as m", "m.id", "n.contact_method_id")
    .leftJoin("incident_roles as r", (join) =>
      join.onRef("r.incident_id", "=", "p.incident_id").onRef("r.role_id", "=", "e.role_id"),
    )
    .select([
      "n.id",
      "n.kind",
      "n.state",
      "n.address",
      "p.id as page_id",
      "p.status as page_status",
      "p.stage",
      "p.created_at as page_created_at",
      "e.steps",
      "e.role_id",
      "r.name as role_name",
      "i.id as incident_id",
      "i.reference",
      "i.title",
      "i.severity",
      "i.private",
      "i.drill",
      "u.name as user_name",
      "u.email as user_email",
      "m.signing_secret",
    ])
    .where("n.id", "=", id);
}

export function notifyHandler(deps: NotifyDeps): JobHandler<Payload> {
  const providers = pagingProviders(deps.comms.env);
  const twilio = providers.twilio ? twilioClient(providers.twilio) : null;
  const incidentOf = new Map<string, string>();

  /** Writes an outcome and its timeline entry, only while the notification is still pending. */
  const record =
    (
      job: Job<Payload>,
      changes: Record<string, unknown>,
      body: (who: string) => string,
      data: Record<string, unknown>,
    ) =>
    async (tx: Db) => {
      const updated = await tx
        .updateTable("page_notifications")
        .set({ attempts: job.attempts, ...changes })
        .where("id", "=", job.payload.notificationId)
        .where("state", "in", ["queued", "failed"])
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return;
      const row = await notificationQuery(tx, job.payload.notificationId).executeTakeFirst();
      if (!row) return;
      await insertEntry(tx, {
        incidentId: row.incident_id,
        kind: changes.state === "sent" ? "page_sent" : "page_failed",
        body: body(`${row.user_name} by ${row.kind.replace("_", " ")}`),
        authorId: null,
        at: deps.clock.now().toISOString(),
        data: { notificationId: row.id, pageId: row.page_id, kind: row.kind, attempt: job.attempts, ...data },
      });
    };

  return {
    kind: NOTIFY_JOB,
    retry: PAGE_RETRIES,
    async run(job) {
      const row = await notificationQuery(deps.store.db, job.payload.notificationId).executeTakeFirst();
      if (!row || (row.state !== "queued" && row.state !== "failed")) return;
      incidentOf.set(job.id, row.incident_id);
      if (row.page_status === "acknowledged" || row.page_status === "cancelled") {
        return async (tx) => {
          await tx
            .updateTable("page_notifications")
            .set({ state: "cancelled" })
            .where("id", "=", row.id)
            .where("state", "in", ["queued", "failed"])
            .execute();
        };
      }
      const { plan } = deps.plans.current();
      const base = deps.publicUrl.replace(/\/$/, "");
      const link = ackLink(base, await ackLinkKey(deps), row.page_id, row.page_created_at);
      const facts = {
        organizationName: plan.organization.name,
        reference: row.reference,
        title: readBool(row.private) ? null : row.title,
        severityName: plan.severities.find((s) => s.id === row.severity)?.name ?? row.severity,
        roleName: row.role_name ?? row.role_id,
        stageLabel: stagesOf(row)[Number(row.stage)]?.label ?? `stage ${row.stage}`,
        drill: readBool(row.drill),
        incidentUrl: `${base}/app/incidents/${row.reference}`,
        ackUrl: link.url,
        ackExpiresAt: link.expiresAt,
        pageId: row.page_id,
      };
      const message = composePage(facts);
      const ctx: ProviderContext = { fetch: deps.comms.fetch, now: () => deps.clock.now() };
      const address = row.address ?? row.user_email;
      let sent: Sent;
      switch (row.kind) {
        case "email":
          sent = await sendPageEmail(deps, plan, address, message, row.id);
          break;
        case "chat_webhook":
          sent = await sendChatWebhook(ctx, address, message.text);
          break;
        case "ntfy":
          sent = await sendNtfy(ctx, address, {
            title: message.subject,
            body: message.text,
            click: link.url,
            ackUrl: link.url,
            incidentUrl: facts.incidentUrl,
          });
          break;
        case "webhook":
          if (!row.signing_secret) throw new GiveUp("The webhook contact method has no signing secret.");
          sent = await sendPageWebhook(ctx, address, row.signing_secret, {
            notificationId: row.id,
            timestamp: deps.clock.now().toISOString(),
            data: {
              page: { id: row.page_id, stage: Number(row.stage), stageLabel: facts.stageLabel },
              incident: {
                id: row.incident_id,
                reference: row.reference,
                title: facts.title,
                severity: row.severity,
                severityName: facts.severityName,
                drill: facts.drill,
                url: facts.incidentUrl,
              },
              role: { id: row.role_id, name: facts.roleName },
              user: { name: row.user_name, email: row.user_email },
              ackUrl: link.url,
              ackExpiresAt: link.expiresAt,
            },
          });
          break;
        case "sms":
        case "voice":
          if (!twilio) {
            throw new GiveUp(
              "No SMS and voice provider is configured: set RUNSHEET_TWILIO_ACCOUNT_SID, RUNSHEET_TWILIO_AUTH_TOKEN and RUNSHEET_TWILIO_FROM.",
            );
          }
          sent =
            row.kind === "sms"
              ? await twilio.sendSms(ctx, address, message.sms)
              : await twilio.call(ctx, address, pageTwiml(message.speech));
          break;
        default:
          throw new GiveUp(`Runsheet cannot send a ${row.kind} notification.`);
      }
      return record(
        job,
        {
          state: "sent",
          sent_at: deps.clock.now().toISOString(),
          last_error: null,
          provider_message_id: sent.providerMessageId ?? null,
        },
        (who) => `Page sent to ${who}${sent.providerMessageId ? ` (${sent.providerMessageId})` : ""}.`,
        { providerMessageId: sent.providerMessageId ?? null },
      );
    },
    async onRetry(job, error, nextAt, tx) {
      await record(
        job,
        { state: "failed", last_error: error },
        (who) =>
          `Paging ${who} failed (attempt ${job.attempts}): ${error}. Trying again at ${nextAt.toISOString()}.`,
        { error, nextAt: nextAt.toISOString() },
      )(tx);
    },
    async onDead(job, error, tx) {
      await record(
        job,
        { state: "dead", last_error: error },
        (who) =>
          `Paging ${who} failed for good after ${job.attempts} attempt${job.attempts === 1 ? "" : "s"}: ${error}.`,
        { error, final: true },
      )(tx);
    },
    afterOutcome(job) {
      const incidentId = incidentOf.get(job.id);
      incidentOf.delete(job.id);
      if (!incidentId) return;
      void deps.store.db
        .selectFrom("incidents")
        .select(["id", "reference", "version", "private"])
        .where("id", "=", incidentId)
        .executeTakeFirst()
        .then((row) => {
          if (row) {
            deps.events.publish({
              incidentId: row.id,
              reference: row.reference,
              version: row.version,
              private: readBool(row.private),
              kind: "page",
            });
          }
        })
        .catch(() => {});
    },
  };
}
