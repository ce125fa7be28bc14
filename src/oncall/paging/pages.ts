import type { z } from "zod";
import { actorUserId, hasRole, isAdmin } from "../../auth/model.ts";
import type { Ctx } from "../../context.ts";
import { canSee, visibleIncidentRow } from "../../incidents/access.ts";
import { findIncidentRow } from "../../incidents/repository.ts";
import { forbidden, notFound } from "../../shared/errors.ts";
import type { Db } from "../../store/open.ts";
import { readBool } from "../../store/values.ts";
import { stagesOf } from "./escalate.ts";
import type { Escalation, ListPagesQuery, Page, PageNotification } from "./model.ts";

/**
 * Reading pages and escalations. A page shows where its notifications went
 * only to the person paged and to admins: phone numbers and webhook URLs are
 * theirs. Pages of private incidents are shown to those who may see the
 * incident, and always to the person paged.
 */

function pageQuery(db: Db) {
  return db
    .selectFrom("pages as p")
    .innerJoin("escalations as e", "e.id", "p.escalation_id")
    .innerJoin("incidents as i", "i.id", "p.incident_id")
    .innerJoin("users as u", "u.id", "p.user_id")
    .leftJoin("incident_roles as r", (join) =>
      join.onRef("r.incident_id", "=", "p.incident_id").onRef("r.role_id", "=", "e.role_id"),
    )
    .select([
      "p.id",
      "p.escalation_id",
      "p.user_id",
      "p.stage",
      "p.status",
      "p.created_at",
      "p.acknowledged_at",
      "p.acknowledged_via",
      "e.role_id",
      "e.steps",
      "r.name as role_name",
      "i.id as incident_id",
      "i.reference",
      "i.title",
      "i.severity",
      "i.status as incident_status",
      "i.private",
      "u.email",
      "u.name",
    ]);
}

type PageRow = Awaited<ReturnType<ReturnType<typeof pageQuery>["execute"]>>[number];

async function assemble(ctx: Ctx, db: Db, rows: PageRow[]): Promise<Page[]> {
  if (rows.length === 0) return [];
  const notifications = await db
    .selectFrom("page_notifications")
    .selectAll()
    .where(
      "page_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("due_at")
    .orderBy("id")
    .execute();
  const byPage = new Map<string, PageNotification[]>();
  const viewer = actorUserId(ctx.actor);
  const owners = new Map(rows.map((r) => [r.id, r.user_id]));
  for (const n of notifications) {
    const mayKnow = isAdmin(ctx.actor) || owners.get(n.page_id) === viewer;
    const list = byPage.get(n.page_id) ?? [];
    list.push({
      id: n.id,
      kind: n.kind,
      address: mayKnow ? n.address : null,
      state: n.state,
      dueAt: n.due_at,
      sentAt: n.sent_at,
      attempts: Number(n.attempts),
      lastError: n.last_error,
      providerMessageId: n.provider_message_id,
    });
    byPage.set(n.page_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    escalationId: r.escalation_id,
    incident: {
      id: r.incident_id,
      reference: r.reference,
      title: r.title,
      severity: r.severity,
      status: r.incident_status,
      private: readBool(r.private),
    },
    roleId: r.role_id,
    roleName: r.role_name ?? r.role_id,
    stage: Number(r.stage),
    stageLabel: stagesOf(r)[Number(r.stage)]?.label ?? `stage ${r.stage}`,
    user: { id: r.user_id, email: r.email, name: r.name },
    status: r.status,
    createdAt: r.created_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedVia: r.acknowledged_via,
    notifications: byPage.get(r.id) ?? [],
  }));
}

/** Someone's own pages, or an incident they may see. */
async function mayRead(ctx: Ctx, db: Db, row: PageRow): Promise<boolean> {
  if (row.user_id === actorUserId(ctx.actor) || !readBool(row.private)) return true;
  return canSee(ctx, db, await findIncidentRow(db, row.incident_id));
}

export async function getPage(ctx: Ctx, pageId: string): Promise<Page> {
  const db = ctx.store.db;
  const row = await pageQuery(db).where("p.id", "=", pageId).executeTakeFirst();
  if (!row || !(await mayRead(ctx, db, row))) throw notFound(`Page ${pageId}`);
  const [page] = await assemble(ctx, db, [row]);
  return page!;
}

const OPEN = ["triggered", "superseded"] as const;

/** Newest first: mine, or (responders) everyone's. */
export async function listPages(
  ctx: Ctx,
  query: z.output<typeof ListPagesQuery>,
): Promise<{ items: Page[] }> {
  const everyone = query.all === "true";
  if (everyone && !hasRole(ctx.actor, "responder")) {
    throw forbidden("Only responders and admins can list everyone's pages; leave out all=true for yours.");
  }
  const me = actorUserId(ctx.actor);
  if (!everyone && me === null) return { items: [] };
  const db = ctx.store.db;
  let q = pageQuery(db).orderBy("p.created_at", "desc").orderBy("p.id", "desc").limit(query.limit);
  if (!everyone) q = q.where("p.user_id", "=", me!);
  if (query.status === "open") q = q.where("p.status", "in", [...OPEN]);
  if (query.status === "acknowledged") q = q.where("p.status", "=", "acknowledged");
  const rows = await q.execute();
  const visible: PageRow[] = [];
  for (const row of rows) if (await mayRead(ctx, db, row)) visible.push(row);
  return { items: await assemble(ctx, db, visible) };
}

/** An incident's escalations, one per paged role, in the plan's role order, each with its pages. */
export async function listEscalations(ctx: Ctx, idOrReference: string): Promise<{ items: Escalation[] }> {
  const db = ctx.store.db;
  const incident = await visibleIncidentRow(ctx, db, idOrReference);
  const rows = await db
    .selectFrom("escalations as e")
    .leftJoin("incident_roles as r", (join) =>
      join.onRef("r.incident_id", "=", "e.incident_id").onRef("r.role_id", "=", "e.role_id"),
    )
    .leftJoin("users as a", "a.id", "e.acknowledged_by")
    .selectAll("e")
    .select(["r.name as role_name", "r.position", "a.email as ack_email", "a.name as ack_name"])
    .where("e.incident_id", "=", incident.id)
    .orderBy("r.position")
    .orderBy("e.started_at")
    .orderBy("e.id")
    .execute();
  const pageRows = await pageQuery(db)
    .where("p.incident_id", "=", incident.id)
    .orderBy("p.stage")
    .orderBy("p.created_at")
    .orderBy("p.id")
    .execute();
  const pages = await assemble(ctx, db, pageRows);
  return {
    items: rows.map((e) => ({
      id: e.id,
      incidentId: e.incident_id,
      roleId: e.role_id,
      roleName: e.role_name ?? e.role_id,
      status: e.status,
      stage: Number(e.stage),
      stages: stagesOf(e).map((s) => ({
        label: s.label,
        targets: s.targets.map((t) => (typeof t === "string" ? t : `schedule:${t.schedule}`)),
        waitMinutes: s.waitMs / 60_000,
      })),
      startedAt: e.started_at,
      nextAt: e.next_at,
      acknowledgedAt: e.acknowledged_at,
      acknowledgedBy:
        e.acknowledged_by && e.ack_email && e.ack_name
          ? { id: e.acknowledged_by, email: e.ack_email, name: e.ack_name }
          : null,
      pages: pages.filter((p) => p.escalationId === e.id),
    })),
  };
}
