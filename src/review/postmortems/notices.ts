import type { Rendering } from "../../comms/adapters/types.ts";
import { codePointCount, shorten, utf8Length } from "../../comms/measure.ts";
import { confirmedSubscriber, interestedSubscribers, sendNotice } from "../../comms/subscriber-notices.ts";
import type { Ctx } from "../../context.ts";
import type { NewJob } from "../../jobs/queue.ts";
import { STANDARD_WEBHOOKS_RETRIES } from "../../jobs/retry.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import { escapeHtml, safeHref } from "../../shared/html.ts";
import type { Db } from "../../store/open.ts";
import { readBool, readTime } from "../../store/values.ts";
import { renderPostmortemMarkdown } from "./render.ts";
import { incidentPageUrl } from "./repository.ts";

/**
 * Sends a published public postmortem to the status page's subscribers: one
 * durable job per subscriber, by email through the plan's subscriber email
 * channel, or as a Standard Webhooks event (`incident.postmortem`) signed with
 * the subscriber's own secret. Subscribers who chose components hear about it
 * only when the incident touched one of them. The job's key is the postmortem
 * and the subscriber, and the jobs are queued in the one transaction that
 * publishes, so each subscriber is sent it once.
 */
export const POSTMORTEM_NOTICE_JOB = "postmortemNotice";

/** Standard Webhooks advises events under ~20 KB: a longer postmortem is cut, with its link. */
const WEBHOOK_BODY_BYTES = 15_000;

interface NoticePayload {
  postmortemId: string;
  subscriberId: string;
}

export async function postmortemNoticeJobs(
  ctx: Pick<Ctx, "plans">,
  tx: Db,
  postmortemId: string,
  incidentId: string,
  now: string,
): Promise<NewJob[]> {
  const components = new Set(
    (
      await tx
        .selectFrom("incident_components")
        .select("component_id")
        .where("incident_id", "=", incidentId)
        .execute()
    ).map((row) => row.component_id),
  );
  return (await interestedSubscribers(ctx, tx, components)).map((subscriberId) => ({
    kind: POSTMORTEM_NOTICE_JOB,
    payload: { postmortemId, subscriberId } satisfies NoticePayload,
    runAt: now,
    uniqueKey: `${POSTMORTEM_NOTICE_JOB}:${postmortemId}:${subscriberId}`,
  }));
}

export function postmortemNoticeHandler(
  deps: Pick<Ctx, "store" | "plans" | "clock" | "comms" | "publicUrl">,
  pageUrl: string,
): JobHandler<NoticePayload> {
  return {
    kind: POSTMORTEM_NOTICE_JOB,
    retry: STANDARD_WEBHOOKS_RETRIES,
    async run(job) {
      const db = deps.store.db;
      const subscriber = await confirmedSubscriber(db, job.payload.subscriberId);
      if (!subscriber) return;
      const found = await db
        .selectFrom("postmortems as p")
        .innerJoin("incidents as i", "i.id", "p.incident_id")
        .select([
          "p.id",
          "p.public_status",
          "p.public_title",
          "p.public_body",
          "p.public_published_at",
          "i.id as incident_id",
          "i.title",
          "i.private",
          "i.drill",
        ])
        .where("p.id", "=", job.payload.postmortemId)
        .executeTakeFirst();
      // Made private since, or gone: nothing public to tell.
      if (
        found?.public_status !== "published" ||
        !found.public_title ||
        found.public_body === null ||
        readBool(found.private) ||
        readBool(found.drill)
      )
        return;
      const { plan } = deps.plans.current();
      const names = new Map(plan.components.map((c) => [c.id, c.name]));
      const components = (
        await db
          .selectFrom("incident_components")
          .select(["component_id", "impact"])
          .where("incident_id", "=", found.incident_id)
          .orderBy("component_id")
          .execute()
      ).map((row) => ({ name: names.get(row.component_id) ?? row.component_id, impact: row.impact }));
      const url = `${incidentPageUrl(pageUrl, found.incident_id)}#postmortem`;
      const publishedAt = readTime(found.public_published_at) ?? deps.clock.now().toISOString();
      const title = found.public_title;
      const body = found.public_body;
      const shortBody = shorten(body, WEBHOOK_BODY_BYTES, utf8Length, url);

      await sendNotice(deps, job, subscriber, {
        email: () =>
          emailRendering({
            html: renderPostmortemMarkdown(body),
            organization: plan.organization.name,
            incidentTitle: found.title,
            title,
            body,
            url,
          }),
        webhook: () => ({
          payload: {
            type: "incident.postmortem",
            id: found.id,
            timestamp: publishedAt,
            data: {
              incident: {
                id: found.incident_id,
                title: found.title,
                url: incidentPageUrl(pageUrl, found.incident_id),
                components,
              },
              postmortem: { title, body: shortBody, url, publishedAt },
              organization: { name: plan.organization.name },
            },
          },
          shortened: shortBody !== body,
        }),
      });
    },
  };
}

/** The email: the Markdown as its text part, the sanitized rendering as its HTML part, the page's link in both. */
function emailRendering(p: {
  html: string;
  organization: string;
  incidentTitle: string;
  title: string;
  body: string;
  url: string;
}): Rendering {
  const subject = shorten(`[Postmortem] ${p.title}`, 200, codePointCount);
  const text = `${p.body.trim()}\n\n--\n${p.organization} · postmortem of "${p.incidentTitle}"\n${p.url}`;
  const link = safeHref(p.url);
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:640px">',
    `<h1 style="font-size:1.25rem">${escapeHtml(p.title)}</h1>`,
    p.html,
    "<hr>",
    `<p style="color:#555;font-size:90%">${escapeHtml(p.organization)} · postmortem of “${escapeHtml(p.incidentTitle)}”<br>${
      link ? `<a href="${escapeHtml(link)}">${escapeHtml(p.url)}</a>` : escapeHtml(p.url)
    }</p>`,
    "</body></html>",
  ].join("\n");
  return {
    text,
    subject,
    html,
    payload: { subject, text, html },
    length: codePointCount(text),
    fullLength: codePointCount(text),
    limit: { max: Math.max(codePointCount(text), 1), unit: "characters" },
    shortened: false,
  };
}
