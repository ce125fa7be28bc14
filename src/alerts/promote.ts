import { sql } from "kysely";
import type { Actor } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { declareIncident, type Incident } from "../incidents/index.ts";
import { insertEntry } from "../incidents/repository.ts";
import type { Criterion, Plan } from "../plan/schema.ts";
import type { Db } from "../store/open.ts";
import { readBool } from "../store/values.ts";
import { ATTACHED_KIND, type OpenIncident } from "./attached.ts";
import type { Effects } from "./effects.ts";
import { declareSeverity, impactOf, matchingCriterion, titleOf } from "./match.ts";
import type { AlertSeverity, IntegrationRef } from "./model.ts";
import { type AlertRow, isPostgres } from "./repository.ts";

/**
 * Promotion: an alert that meets one of the plan's criteria joins the open
 * incident that criterion declared; without one, a `declare` criterion
 * declares it and a `propose` criterion asks a person (proposal: pending).
 *
 * At most one open incident per criterion, even when its first alerts arrive
 * together or through several processes: the check and the declaration happen
 * in one write transaction, and that transaction first takes a lock per
 * criterion. SQLite has a single writer, so its transactions are one after the
 * other anyway; on PostgreSQL the lock is a transaction-level advisory lock,
 * held until commit, so a second process waits and then sees the incident the
 * first declared.
 */
const LOCK_NAMESPACE = 0x52534131; // "RSA1": Runsheet alert criteria

export async function lockCriteria(tx: Db, criterionIds: string[]): Promise<void> {
  if (!isPostgres(tx)) return;
  // Always in the same order, so two transactions cannot wait on each other.
  for (const id of [...new Set(criterionIds)].sort()) {
    await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, hashtext(${id}))`.execute(tx);
  }
}

/** The newest open incident each criterion declared. */
export async function openIncidentsOf(tx: Db, criterionIds: string[]): Promise<Map<string, OpenIncident>> {
  const found = new Map<string, OpenIncident>();
  if (criterionIds.length === 0) return found;
  const rows = await tx
    .selectFrom("incidents")
    .select(["id", "reference", "version", "private", "alert_criterion"])
    .where("alert_criterion", "in", criterionIds)
    .where("status", "!=", "resolved")
    .orderBy("declared_at", "desc")
    .execute();
  for (const row of rows) {
    if (row.alert_criterion && !found.has(row.alert_criterion)) {
      found.set(row.alert_criterion, {
        id: row.id,
        reference: row.reference,
        version: row.version,
        private: readBool(row.private),
      });
    }
  }
  return found;
}

export interface PromotionPlan {
  /** Criteria with no open incident whose action is declare, with their alerts (first one declares). */
  declare: Array<{ criterion: Criterion; rows: AlertRow[] }>;
  /** Open incidents that alerts joined in this transaction. */
  attached: OpenIncident[];
}

/**
 * Decides what becomes of the alerts this transaction opened or changed that
 * no criterion has claimed yet: matched, locked per criterion, then attached,
 * proposed, or queued for declaration. Changes the rows in memory.
 */
export async function planPromotion(
  plan: Plan,
  tx: Db,
  rows: AlertRow[],
  at: string,
): Promise<PromotionPlan> {
  const groups = new Map<string, { criterion: Criterion; rows: AlertRow[] }>();
  for (const row of rows) {
    if (row.status === "resolved" || row.silenced || row.criterion_id !== null) continue;
    const criterion = matchingCriterion(plan, {
      source: row.source,
      severity: row.severity as AlertSeverity,
      labels: row.labels,
    });
    if (!criterion) continue;
    row.criterion_id = criterion.id;
    row.updated_at = at;
    const group = groups.get(criterion.id) ?? { criterion, rows: [] };
    group.rows.push(row);
    groups.set(criterion.id, group);
  }
  const result: PromotionPlan = { declare: [], attached: [] };
  if (groups.size === 0) return result;
  await lockCriteria(tx, [...groups.keys()]);
  const open = await openIncidentsOf(tx, [...groups.keys()]);
  for (const [criterionId, group] of groups) {
    const incident = open.get(criterionId);
    if (incident) {
      for (const row of group.rows) {
        row.incident_id = incident.id;
        row.attached_at = at;
      }
      if (!result.attached.some((i) => i.id === incident.id)) result.attached.push(incident);
    } else if (group.criterion.action === "declare") {
      result.declare.push(group);
    } else {
      for (const row of group.rows) row.proposal = "pending";
    }
  }
  return result;
}

/** The plan component an alert names, else the one its integration watches, if the plan has it. */
function componentOf(plan: Plan, row: AlertRow, integration: IntegrationRef | undefined): string | null {
  const known = new Set(plan.components.map((c) => c.id));
  if (row.component && known.has(row.component)) return row.component;
  if (integration?.service && known.has(integration.service)) return integration.service;
  return null;
}

/**
 * Declares an incident from alerts already written in this transaction: the
 * first one gives title, component and impact; all of them are linked in the
 * declaration's transaction with one timeline note.
 */
export async function declareFromAlerts(
  ctx: Ctx,
  tx: Db,
  effects: Effects,
  options: {
    criterion: Criterion;
    rows: AlertRow[];
    integrations: Map<string, IntegrationRef>;
    actor: Actor;
    at: string;
    /** Accepting a proposal: the alert must still be pending when it is linked. */
    onlyPending?: boolean;
  },
): Promise<Incident> {
  const { criterion, rows, at } = options;
  const { plan } = ctx.plans.current();
  const first = rows[0]!;
  const integration = options.integrations.get(first.integration_id);
  const component = componentOf(plan, first, integration);
  const ids = rows.map((r) => r.id);
  const incident = await declareIncident(
    effects.ctxFor(ctx, tx, options.actor),
    {
      title: titleOf(first.summary, `Alert from ${integration?.name ?? "monitoring"}`),
      severity: declareSeverity(plan, criterion),
      criteria: [criterion.id],
      components: component ? [{ id: component, impact: impactOf(first.severity as AlertSeverity) }] : [],
      detectedBy: "monitoring",
    },
    {
      alertCriterion: criterion.id,
      inTransaction: async (itx, declared) => {
        let query = itx
          .updateTable("alerts")
          .set({
            incident_id: declared.id,
            attached_at: at,
            attach_noted_at: at,
            updated_at: at,
            ...(options.onlyPending ? { proposal: "accepted" as const } : {}),
          })
          .where("id", "in", ids)
          .where("incident_id", "is", null);
        if (options.onlyPending) query = query.where("proposal", "=", "pending");
        const linked = Number((await query.executeTakeFirst()).numUpdatedRows);
        if (linked !== ids.length) {
          throw Object.assign(new Error("An alert was promoted at the same moment; try again."), {
            code: "40001",
          });
        }
        const more = rows.length - 1;
        await insertEntry(itx, {
          incidentId: declared.id,
          kind: ATTACHED_KIND,
          body: `Declared from the alert "${first.summary}" (${integration?.name ?? "monitoring"})${more > 0 ? `; ${more} more alert${more === 1 ? "" : "s"} attached` : ""}.`,
          authorId: options.actor.kind === "user" ? options.actor.user.id : null,
          at,
          data: { count: rows.length, alertIds: ids.slice(0, 50), criterion: criterion.id },
        });
      },
    },
  );
  for (const row of rows) {
    row.incident_id = incident.id;
    row.attached_at = at;
    row.attach_noted_at = at;
    if (options.onlyPending) row.proposal = "accepted";
  }
  return incident;
}
