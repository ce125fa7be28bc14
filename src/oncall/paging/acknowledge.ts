import { actorUserId, hasRole } from "../../auth/model.ts";
import type { Ctx } from "../../context.ts";
import { canSee } from "../../incidents/access.ts";
import { announce } from "../../incidents/announce.ts";
import { insertEntries, type NewEntry } from "../../incidents/repository.ts";
import { cancelByKey } from "../../jobs/queue.ts";
import { conflict, forbidden, notFound } from "../../shared/errors.ts";
import { ACK_LINK_TTL_MS, ackLinkKey, checkAckLink } from "./ack-link.ts";
import { roleName, stagesOf } from "./escalate.ts";
import type { AckVia, Page } from "./model.ts";
import { getPage } from "./pages.ts";
import { acknowledgeEscalation, cancelOpenNotifications, fillRole, timerKey } from "./repository.ts";

/**
 * Acknowledging a page acknowledges its escalation: no further stage is paged,
 * every notification not sent yet is cancelled (their jobs too, by key), the
 * other open pages are closed, and the acknowledging person takes the role if
 * nobody holds it. The paged person may acknowledge, and so may any responder.
 * Acknowledging twice is harmless; after someone else did, or after the
 * incident was resolved, it is a conflict that says so.
 */
export async function acknowledgePage(ctx: Ctx, pageId: string, via: AckVia): Promise<Page> {
  const userId = actorUserId(ctx.actor);
  const now = ctx.clock.now().toISOString();
  const outcome = await ctx.store.transaction(async (tx) => {
    const page = await tx.selectFrom("pages").selectAll().where("id", "=", pageId).executeTakeFirst();
    if (!page) throw notFound(`Page ${pageId}`);
    const incident = await tx
      .selectFrom("incidents")
      .selectAll()
      .where("id", "=", page.incident_id)
      .executeTakeFirstOrThrow();
    const own = userId !== null && page.user_id === userId;
    if (!own) {
      if (!(await canSee(ctx, tx, incident))) throw notFound(`Page ${pageId}`);
      if (!hasRole(ctx.actor, "responder")) {
        throw forbidden("Only the person paged, or a responder, can acknowledge a page.");
      }
    }
    if (page.status === "acknowledged") return { changed: false, incident };
    const escalation = await tx
      .selectFrom("escalations")
      .selectAll()
      .where("id", "=", page.escalation_id)
      .executeTakeFirstOrThrow();
    if (escalation.status === "acknowledged") {
      const by = escalation.acknowledged_by
        ? await tx
            .selectFrom("users")
            .select("name")
            .where("id", "=", escalation.acknowledged_by)
            .executeTakeFirst()
        : undefined;
      throw conflict(
        `${by?.name ?? "Someone"} already acknowledged this escalation at ${escalation.acknowledged_at}.`,
      );
    }
    if (escalation.status === "cancelled" || page.status === "cancelled") {
      throw conflict(
        `Paging for ${incident.reference} has stopped (${incident.status}): nothing to acknowledge.`,
      );
    }
    // Exhausted escalations can still be acknowledged: someone answering late is still an answer.
    const acked = await acknowledgeEscalation(tx, escalation.id, userId, now);
    if (!acked) throw conflict("The escalation changed at the same moment: try again.");
    await cancelByKey(tx, timerKey(escalation.id, acked.stage), now);
    await tx
      .updateTable("pages")
      .set({ status: "acknowledged", acknowledged_at: now, acknowledged_via: via })
      .where("id", "=", page.id)
      .execute();
    const others = await tx
      .updateTable("pages")
      .set({ status: "cancelled" })
      .where("escalation_id", "=", escalation.id)
      .where("id", "!=", page.id)
      .where("status", "in", ["triggered", "superseded"])
      .returning("id")
      .execute();
    await cancelOpenNotifications(tx, [page.id, ...others.map((p) => p.id)], now);

    const { plan } = ctx.plans.current();
    const role = roleName(plan, escalation.role_id);
    const stage = stagesOf(escalation)[page.stage];
    const paged = await tx
      .selectFrom("users")
      .select(["id", "name"])
      .where("id", "=", page.user_id)
      .executeTakeFirstOrThrow();
    const actorName = ctx.actor.kind === "user" ? ctx.actor.user.name : "Runsheet";
    const entries: NewEntry[] = [
      {
        incidentId: incident.id,
        kind: "page_acknowledged",
        body: own
          ? `${paged.name} acknowledged the page for ${role} (${stage?.label ?? `stage ${page.stage}`}, ${VIA_WORDS[via]}).`
          : `${actorName} acknowledged the page to ${paged.name} for ${role} (${VIA_WORDS[via]}).`,
        authorId: userId,
        at: now,
        data: { escalationId: escalation.id, pageId: page.id, roleId: escalation.role_id, via },
      },
    ];
    if (userId && ctx.actor.kind === "user" && ctx.actor.user.role !== "viewer") {
      const took = await fillRole(tx, incident.id, escalation.role_id, userId, now);
      if (took) {
        entries.push({
          incidentId: incident.id,
          kind: "role_assigned",
          body: `${role} was unfilled: ${actorName} holds it now, having acknowledged the page.`,
          authorId: userId,
          at: now,
          data: { roleId: escalation.role_id, from: null, to: userId, via: "acknowledgement" },
        });
      }
    }
    await insertEntries(tx, entries);
    const fresh = await tx
      .selectFrom("incidents")
      .selectAll()
      .where("id", "=", incident.id)
      .executeTakeFirstOrThrow();
    return { changed: true, incident: fresh };
  });
  if (outcome.changed) announce(ctx, outcome.incident, "page_acknowledged");
  return getPage(ctx, pageId);
}

const VIA_WORDS: Record<AckVia, string> = {
  web: "in the web app",
  api: "through the API",
  link: "with the link in the page",
};

/** The page a signed link names, checked but not changed (link scanners follow links). */
export async function pageByLink(ctx: Ctx, pageId: string, exp: string, sig: string): Promise<Page> {
  const { actorCtx } = await linkActor(ctx, pageId, exp, sig);
  return getPage(actorCtx, pageId);
}

/** Acknowledges as the person paged, on the strength of the signed link they were sent. */
export async function acknowledgeByLink(ctx: Ctx, pageId: string, exp: string, sig: string): Promise<Page> {
  const { actorCtx } = await linkActor(ctx, pageId, exp, sig);
  return acknowledgePage(actorCtx, pageId, "link");
}

async function linkActor(ctx: Ctx, pageId: string, exp: string, sig: string): Promise<{ actorCtx: Ctx }> {
  const verdict = checkAckLink(await ackLinkKey(ctx), pageId, exp, sig, ctx.clock.now());
  if (verdict === "invalid") {
    throw forbidden("This acknowledgement link is not valid: it may have been cut short or changed.");
  }
  if (verdict === "expired") {
    throw forbidden(
      `This acknowledgement link has expired (links work for ${ACK_LINK_TTL_MS / 3_600_000} hours): acknowledge in Runsheet, or with: runsheet page ack ${pageId}`,
    );
  }
  const user = await ctx.store.db
    .selectFrom("pages")
    .innerJoin("users", "users.id", "pages.user_id")
    .select(["users.id", "users.email", "users.name", "users.role", "users.disabled_at"])
    .where("pages.id", "=", pageId)
    .executeTakeFirst();
  if (!user) throw notFound(`Page ${pageId}`);
  if (user.disabled_at !== null) throw forbidden("The account this page went to is disabled.");
  return {
    actorCtx: {
      ...ctx,
      actor: {
        kind: "user",
        user: { id: user.id, email: user.email, name: user.name, role: user.role },
        via: "session",
      },
    },
  };
}
