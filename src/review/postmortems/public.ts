import { actorUserId } from "../../auth/model.ts";
import { visibleIncidentRow } from "../../incidents/access.ts";
import { announce } from "../../incidents/announce.ts";
import { insertEntry } from "../../incidents/repository.ts";
import { enqueue } from "../../jobs/queue.ts";
import { conflict, type FieldIssue, invalid } from "../../shared/errors.ts";
import { readBool } from "../../store/values.ts";
import type { Postmortem, PublicVersionInput } from "./model.ts";
import { postmortemNoticeJobs } from "./notices.ts";
import {
  bumpPostmortem,
  checkPostmortemVersion,
  type PostmortemCtx,
  postmortemRowOf,
  presentPostmortem,
  publicDecision,
} from "./repository.ts";

/**
 * The customer-facing version: its own title and Markdown, written beside the
 * internal postmortem. Saving a published one corrects what the status page
 * shows at once (and says so on the timeline); subscribers are not told again.
 */
export async function savePublicVersion(
  ctx: PostmortemCtx,
  idOrReference: string,
  input: PublicVersionInput,
): Promise<Postmortem> {
  const now = ctx.clock.now().toISOString();
  const userId = actorUserId(ctx.actor);
  const { incident, row, live } = await ctx.store.transaction(async (tx) => {
    const incident = await visibleIncidentRow(ctx, tx, idOrReference);
    const current = await postmortemRowOf(tx, incident);
    checkPostmortemVersion(current, incident, input.version);
    const live = current.public_status === "published";
    const row = await bumpPostmortem(tx, current, incident, {
      public_title: input.title,
      public_body: input.body,
      public_status: live ? "published" : "draft",
      updated_at: now,
      updated_by: userId,
    });
    if (live) {
      await insertEntry(tx, {
        incidentId: incident.id,
        kind: "postmortem_public_edited",
        body: `Published public postmortem corrected: "${input.title}".`,
        authorId: userId,
        at: now,
        data: { postmortemId: current.id },
      });
    }
    return { incident, row, live };
  });
  announce(ctx, incident, live ? "postmortem_public_edited" : "postmortem_edited");
  if (live) ctx.events.pageChanged();
  return presentPostmortem(ctx, row, incident);
}

/**
 * Publishes the public version on the status page, under the incident, and
 * sends it to the page's subscribers of the incident's components (once each:
 * publication happens once, in the transaction that queues their jobs).
 *
 * Refused, with the reason, unless: the incident is resolved, public (not
 * private, not a drill), its internal postmortem is at least in review, the
 * public version has been written, and the review did not decide against a
 * public postmortem.
 */
export async function publishPublicVersion(
  ctx: PostmortemCtx,
  idOrReference: string,
  expectedVersion?: number,
): Promise<Postmortem> {
  const now = ctx.clock.now().toISOString();
  const userId = actorUserId(ctx.actor);
  const { incident, row, jobs } = await ctx.store.transaction(async (tx) => {
    const incident = await visibleIncidentRow(ctx, tx, idOrReference);
    const current = await postmortemRowOf(tx, incident);
    checkPostmortemVersion(current, incident, expectedVersion);
    if (current.public_status === "published") {
      throw conflict(`The public postmortem of ${incident.reference} is already published.`);
    }
    const refusal = (message: string, issue: FieldIssue) => invalid(message, [issue]);
    const decision = await publicDecision(tx, incident.id);
    if (decision?.publicPostmortem === false) {
      throw refusal(
        `The review of ${incident.reference} decided against a public postmortem${decision.reason ? ` (“${decision.reason}”)` : ""}, so it is not published.`,
        {
          path: "decision",
          message: "the review's public-postmortem decision is no",
          hint: "the incident manager can change the decision in the review first",
        },
      );
    }
    if (current.public_status === "none" || !current.public_title || !current.public_body?.trim()) {
      throw refusal(`Write the public version of ${incident.reference}'s postmortem before publishing it.`, {
        path: "public",
        message: "no public version yet",
        hint: "save a title and body with PUT …/postmortem/public",
      });
    }
    if (current.status === "draft") {
      throw refusal(
        `The postmortem of ${incident.reference} is still a draft: its public version is published once the postmortem is in review or published.`,
        {
          path: "status",
          message: "the postmortem is a draft",
          hint: "move the postmortem to in_review first",
        },
      );
    }
    if (incident.status !== "resolved") {
      throw refusal(
        `${incident.reference} is not resolved: a public postmortem comes after the resolution.`,
        {
          path: "incident.status",
          message: `the incident is ${incident.status}`,
          hint: "resolve the incident first",
        },
      );
    }
    if (readBool(incident.private) || readBool(incident.drill)) {
      const what = readBool(incident.private) ? "private" : "a drill";
      throw refusal(`${incident.reference} is ${what}: it is never shown on the public status page.`, {
        path: readBool(incident.private) ? "incident.private" : "incident.drill",
        message: `the incident is ${what}`,
        hint: "keep this postmortem internal",
      });
    }
    const row = await bumpPostmortem(tx, current, incident, {
      public_status: "published",
      public_published_at: now,
      updated_at: now,
      updated_by: userId,
    });
    await insertEntry(tx, {
      incidentId: incident.id,
      kind: "postmortem_public_published",
      body: `Public postmortem published on the status page: "${current.public_title}".`,
      authorId: userId,
      at: now,
      data: { postmortemId: current.id },
    });
    const jobs = await postmortemNoticeJobs(ctx, tx, current.id, incident.id, now);
    await enqueue(tx, jobs, now);
    return { incident, row, jobs };
  });
  announce(ctx, incident, "postmortem_public_published");
  ctx.events.pageChanged();
  if (jobs.length > 0) ctx.comms.poke();
  return presentPostmortem(ctx, row, incident);
}
