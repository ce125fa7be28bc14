import { sql } from "kysely";
import type { z } from "zod";
import type { Ctx } from "../context.ts";
import { getIncident, type Incident, visibleIncidentRefs } from "../incidents/index.ts";
import { insertEntry } from "../incidents/repository.ts";
import { AppError, conflict, invalid, notFound } from "../shared/errors.ts";
import { ATTACHED_KIND } from "./attached.ts";
import { inIntakeTransaction } from "./effects.ts";
import { toRef } from "./integrations.ts";
import type { Alert, AlertDetail, ListAlertsQuery } from "./model.ts";
import { declareFromAlerts, lockCriteria, openIncidentsOf } from "./promote.ts";
import { type AlertRow, findAlert, fromDb, toAlert, toAlertDetail } from "./repository.ts";

/** What people do with alerts: list and read them, acknowledge, resolve, and decide on proposals. */

function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!at || !id || Number.isNaN(Date.parse(at))) {
    throw new AppError("bad_request", "The cursor is not one this server gave out.", [
      {
        path: "cursor",
        message: "unreadable cursor",
        hint: "pass the nextCursor of the previous page as it was",
      },
    ]);
  }
  return { at, id };
}

/** The incidents these alerts joined that the caller may see, looked up together (one query). */
async function incidentsOf(ctx: Ctx, rows: AlertRow[]): Promise<(row: AlertRow) => Alert["incident"]> {
  const ids = rows.flatMap((row) => (row.incident_id ? [row.incident_id] : []));
  const found = await visibleIncidentRefs(ctx, ctx.store.db, ids);
  return (row) => (row.incident_id ? (found.get(row.incident_id) ?? null) : null);
}

async function present(ctx: Ctx, rows: AlertRow[]): Promise<Alert[]> {
  const incident = await incidentsOf(ctx, rows);
  return rows.map((row) => toAlert(row, incident(row)));
}

async function presentDetail(ctx: Ctx, row: AlertRow): Promise<AlertDetail> {
  const incident = await incidentsOf(ctx, [row]);
  return toAlertDetail(row, incident(row));
}

/** Alerts, newest first seen first. */
export async function listAlerts(
  ctx: Ctx,
  query: z.output<typeof ListAlertsQuery>,
): Promise<{ items: Alert[]; nextCursor?: string }> {
  let q = ctx.store.db
    .selectFrom("alerts")
    .selectAll()
    .orderBy("first_seen_at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit + 1);
  if (query.status === "open") q = q.where(sql<boolean>`status <> 'resolved'`);
  if (query.status === "resolved") q = q.where("status", "=", "resolved");
  if (query.integration) q = q.where("integration_id", "=", query.integration);
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    q = q.where((eb) =>
      eb.or([
        eb("first_seen_at", "<", after.at),
        eb.and([eb("first_seen_at", "=", after.at), eb("id", "<", after.id)]),
      ]),
    );
  }
  const rows = await q.execute();
  const page = await present(
    ctx,
    rows.slice(0, query.limit).map((row) => fromDb(row)),
  );
  const last = page[page.length - 1];
  return rows.length > query.limit && last
    ? { items: page, nextCursor: encodeCursor(last.firstSeenAt, last.id) }
    : { items: page };
}

export async function getAlert(ctx: Ctx, id: string): Promise<AlertDetail> {
  const row = await findAlert(ctx.store.db, id);
  if (!row) throw notFound(`Alert ${id}`);
  return presentDetail(ctx, row);
}

/** Someone is on it. Acknowledging again changes nothing; a resolved alert cannot be acknowledged. */
export async function acknowledgeAlert(ctx: Ctx, id: string): Promise<AlertDetail> {
  const at = ctx.clock.now().toISOString();
  const row = await ctx.store.transaction(async (tx) => {
    await tx
      .updateTable("alerts")
      .set({ status: "acknowledged", acknowledged_at: at, updated_at: at })
      .where("id", "=", id)
      .where("status", "=", "triggered")
      .execute();
    return findAlert(tx, id);
  });
  if (!row) throw notFound(`Alert ${id}`);
  if (row.status === "resolved") throw conflict("The alert is resolved; there is nothing to acknowledge.");
  return presentDetail(ctx, row);
}

/** Resolves the alert by hand; resolving again changes nothing. */
export async function resolveAlert(ctx: Ctx, id: string): Promise<AlertDetail> {
  const at = ctx.clock.now().toISOString();
  const row = await ctx.store.transaction(async (tx) => {
    await tx
      .updateTable("alerts")
      .set({ status: "resolved", resolved_at: at, updated_at: at })
      .where("id", "=", id)
      .where("status", "!=", "resolved")
      .execute();
    return findAlert(tx, id);
  });
  if (!row) throw notFound(`Alert ${id}`);
  return presentDetail(ctx, row);
}

function notPending(proposal: string | null): AppError {
  return conflict(
    proposal === null
      ? "The alert has no proposal to decide on."
      : `The proposal was already ${proposal}; there is nothing left to decide.`,
  );
}

/**
 * Accepts a proposed incident: the alert joins the open incident its
 * criterion declared, or declares one (by the person accepting), as an alert
 * matching a declare criterion would.
 */
export async function acceptProposal(
  ctx: Ctx,
  id: string,
): Promise<{ alert: AlertDetail; incident: Incident }> {
  const at = ctx.clock.now().toISOString();
  const { plan } = ctx.plans.current();
  const incidentId = await inIntakeTransaction(ctx, async (tx, effects) => {
    const row = await findAlert(tx, id);
    if (!row) throw notFound(`Alert ${id}`);
    if (row.proposal !== "pending") throw notPending(row.proposal);
    const criterion = plan.definition.criteria.find((c) => c.id === row.criterion_id);
    if (!criterion) {
      throw invalid(`The plan no longer has the criterion "${row.criterion_id}" this alert matched.`, [
        {
          path: "criterion",
          message: "not in the current plan",
          hint: "dismiss the proposal, or declare by hand",
        },
      ]);
    }
    await lockCriteria(tx, [criterion.id]);
    const open = (await openIncidentsOf(tx, [criterion.id])).get(criterion.id);
    if (open) {
      const linked = await tx
        .updateTable("alerts")
        .set({
          proposal: "accepted",
          incident_id: open.id,
          attached_at: at,
          attach_noted_at: at,
          updated_at: at,
        })
        .where("id", "=", id)
        .where("proposal", "=", "pending")
        .executeTakeFirst();
      if (Number(linked.numUpdatedRows) !== 1) throw notPending("decided");
      await insertEntry(tx, {
        incidentId: open.id,
        kind: ATTACHED_KIND,
        body: `Alert "${row.summary}" attached${ctx.actor.kind === "user" ? ` by ${ctx.actor.user.name}` : ""}.`,
        authorId: ctx.actor.kind === "user" ? ctx.actor.user.id : null,
        at,
        data: { count: 1, alertIds: [id], criterion: criterion.id },
      });
      effects.hub.publish({
        incidentId: open.id,
        reference: open.reference,
        version: open.version,
        private: open.private,
        kind: ATTACHED_KIND,
      });
      return open.id;
    }
    const integration = await tx
      .selectFrom("integrations")
      .selectAll()
      .where("id", "=", row.integration_id)
      .executeTakeFirstOrThrow();
    const incident = await declareFromAlerts(ctx, tx, effects, {
      criterion,
      rows: [row],
      integrations: new Map([[integration.id, toRef(integration)]]),
      actor: ctx.actor,
      at,
      onlyPending: true,
    });
    return incident.id;
  });
  return { alert: await getAlert(ctx, id), incident: await getIncident(ctx, incidentId) };
}

/** Decides a proposed incident is not one; the alert stays as it is otherwise. */
export async function dismissProposal(ctx: Ctx, id: string): Promise<AlertDetail> {
  const at = ctx.clock.now().toISOString();
  const row = await ctx.store.transaction(async (tx) => {
    const result = await tx
      .updateTable("alerts")
      .set({ proposal: "dismissed", updated_at: at })
      .where("id", "=", id)
      .where("proposal", "=", "pending")
      .executeTakeFirst();
    const found = await findAlert(tx, id);
    return { found, changed: Number(result.numUpdatedRows) === 1 };
  });
  if (!row.found) throw notFound(`Alert ${id}`);
  if (!row.changed) throw notPending(row.found.proposal);
  return presentDetail(ctx, row.found);
}
