import type { Ctx } from "../context.ts";
import { newId } from "../shared/ids.ts";
import type { Db } from "../store/open.ts";
import { noteAttachments } from "./attached.ts";
import { type Effects, inIntakeTransaction } from "./effects.ts";
import type { IntakeEvent, IntegrationRef } from "./model.ts";
import { declareFromAlerts, planPromotion } from "./promote.ts";
import { type AlertRow, insertAlerts, keyOf, loadOpenAlerts, updateAlerts } from "./repository.ts";

/**
 * Applies a batch of events in one transaction: the events of many requests
 * that arrived together cost one read of the open alerts they name, one write
 * of the alerts they changed, and one commit. In order, per (integration,
 * dedup key): a trigger opens an alert or repeats the open one (count, last
 * seen, latest summary and labels); acknowledge and resolve change the open
 * one, or are dropped when there is none, as PagerDuty does. New alerts of an
 * integration whose service is under maintenance are silenced; the others are
 * promoted by the plan's criteria.
 */
export interface IntakeItem {
  integration: IntegrationRef;
  event: IntakeEvent;
}

export interface ItemOutcome {
  dedupKey: string;
  /** The alert the event applied to; null when an acknowledge or resolve named no open alert. */
  alertId: string | null;
}

const SYSTEM = { kind: "system" } as const;

export function processEvents(ctx: Ctx, items: IntakeItem[]): Promise<ItemOutcome[]> {
  return inIntakeTransaction(ctx, (tx, effects) => applyEvents(ctx, tx, items, effects));
}

// PostgreSQL text cannot hold NUL characters; senders can send them.
const stripNul = (text: string) => (text.includes("\0") ? text.replaceAll("\0", "") : text);
const stripNulOrNull = (text: string | null) => (text === null ? null : stripNul(text));

const hasNul = (text: string | null) => text?.includes("\0") === true;

/** The event as it can be stored: no NUL characters in its text (details are cleaned when written). */
function storable(event: IntakeEvent): IntakeEvent {
  const clean =
    !hasNul(event.dedupKey) &&
    !hasNul(event.summary) &&
    !hasNul(event.source) &&
    !hasNul(event.component) &&
    !hasNul(event.group) &&
    !hasNul(event.class) &&
    Object.entries(event.labels).every(([name, value]) => !hasNul(name) && !hasNul(value));
  if (clean) return event;
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.labels)) labels[stripNul(name)] = stripNul(value);
  return {
    ...event,
    dedupKey: stripNul(event.dedupKey),
    summary: stripNul(event.summary),
    source: stripNulOrNull(event.source),
    component: stripNulOrNull(event.component),
    group: stripNulOrNull(event.group),
    class: stripNulOrNull(event.class),
    labels,
  };
}

export async function applyEvents(
  ctx: Ctx,
  tx: Db,
  items: IntakeItem[],
  effects: Effects,
): Promise<ItemOutcome[]> {
  const at = ctx.clock.now().toISOString();
  const open = await loadOpenAlerts(
    tx,
    items.map((i) => ({ integrationId: i.integration.id, dedupKey: stripNul(i.event.dedupKey) })),
  );
  const created = new Map<string, AlertRow>();
  const changed = new Map<string, AlertRow>();
  // Alerts a trigger opened or repeated: only these can meet a criterion now.
  const triggered = new Map<string, AlertRow>();
  const integrations = new Map<string, IntegrationRef>();
  const touch = (row: AlertRow) => {
    row.updated_at = at;
    if (!created.has(row.id)) changed.set(row.id, row);
  };

  const outcomes = items.map(({ integration, event: given }): ItemOutcome => {
    const event = storable(given);
    integrations.set(integration.id, integration);
    const key = keyOf(integration.id, event.dedupKey);
    const row = open.get(key);
    if (event.action === "trigger") {
      if (row) {
        repeat(row, event, at);
        touch(row);
        triggered.set(row.id, row);
        return { dedupKey: event.dedupKey, alertId: row.id };
      }
      const fresh = newAlert(integration, event, at);
      open.set(key, fresh);
      created.set(fresh.id, fresh);
      triggered.set(fresh.id, fresh);
      return { dedupKey: event.dedupKey, alertId: fresh.id };
    }
    if (!row) return { dedupKey: event.dedupKey, alertId: null };
    if (event.action === "acknowledge") {
      if (row.status === "triggered") {
        row.status = "acknowledged";
        row.acknowledged_at = at;
        touch(row);
      }
    } else {
      row.status = "resolved";
      row.resolved_at = at;
      open.delete(key);
      touch(row);
    }
    return { dedupKey: event.dedupKey, alertId: row.id };
  });

  if (created.size > 0) await silenceUnderMaintenance(tx, [...created.values()], integrations);
  const { plan } = ctx.plans.current();
  const promotion = await planPromotion(plan, tx, [...triggered.values()], at);
  // Resolved ones first: a key resolved and triggered again in this batch opens a new alert.
  await updateAlerts(tx, [...changed.values()]);
  await insertAlerts(tx, [...created.values()]);
  for (const { criterion, rows } of promotion.declare) {
    await declareFromAlerts(ctx, tx, effects, { criterion, rows, integrations, actor: SYSTEM, at });
  }
  for (const incident of promotion.attached) await noteAttachments(tx, incident, at, effects);
  return outcomes;
}

function newAlert(integration: IntegrationRef, event: IntakeEvent, at: string): AlertRow {
  return {
    id: newId(),
    integration_id: integration.id,
    dedup_key: event.dedupKey,
    status: "triggered",
    summary: event.summary,
    source: event.source,
    severity: event.severity,
    component: event.component,
    alert_group: event.group,
    alert_class: event.class,
    labels: event.labels,
    details: event.details,
    criterion_id: null,
    incident_id: null,
    proposal: null,
    silenced: false,
    event_count: 1,
    first_seen_at: at,
    last_seen_at: at,
    acknowledged_at: null,
    resolved_at: null,
    updated_at: at,
    attached_at: null,
    attach_noted_at: null,
  };
}

/** A repeat trigger: the open alert now says what the latest event says. */
function repeat(row: AlertRow, event: IntakeEvent, at: string): void {
  row.summary = event.summary || row.summary;
  row.source = event.source;
  row.severity = event.severity;
  row.component = event.component;
  row.alert_group = event.group;
  row.alert_class = event.class;
  row.labels = event.labels;
  row.details = event.details;
  row.event_count += 1;
  row.last_seen_at = at;
}

/** New alerts of an integration whose service is in an active maintenance are kept, silenced, never promoted. */
async function silenceUnderMaintenance(
  tx: Db,
  rows: AlertRow[],
  integrations: Map<string, IntegrationRef>,
): Promise<void> {
  const services = [
    ...new Set(rows.flatMap((r) => integrations.get(r.integration_id)?.service ?? [])),
  ] as string[];
  if (services.length === 0) return;
  const active = await tx
    .selectFrom("maintenance_components")
    .innerJoin("maintenances", "maintenances.id", "maintenance_components.maintenance_id")
    .select("maintenance_components.component_id")
    .where("maintenances.status", "in", ["in_progress", "verifying"])
    .where("maintenance_components.component_id", "in", services)
    .execute();
  const down = new Set(active.map((r) => r.component_id));
  for (const row of rows) {
    const service = integrations.get(row.integration_id)?.service;
    if (service && down.has(service)) row.silenced = true;
  }
}
