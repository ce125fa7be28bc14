import type { Ctx } from "../context.ts";
import { visibleIncidentRow } from "../incidents/access.ts";
import { announce } from "../incidents/announce.ts";
import { requeue } from "../jobs/queue.ts";
import { invalid, notFound } from "../shared/errors.ts";
import type { Db } from "../store/open.ts";
import type { DeliveriesTable, StatusUpdatesTable } from "../store/schema.ts";
import { readBool } from "../store/values.ts";
import type { Delivery, StatusUpdate } from "./model.ts";

/** A delivery as the API shows it; "sending" is a queued delivery whose job a worker holds right now. */
export function deliveryView(row: DeliveriesTable, sending: boolean): Delivery {
  return {
    id: row.id,
    channelId: row.channel_id,
    target: row.target_key === "channel" ? "channel" : (row.target_address ?? row.target_key),
    state: row.state === "queued" && sending ? "sending" : row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.state === "delivered" || row.state === "dead" ? null : row.next_attempt_at,
    deliveredAt: row.delivered_at,
    providerMessageId: row.provider_message_id,
  };
}

async function deliveriesOf(db: Db, updateIds: string[]): Promise<Map<string, Delivery[]>> {
  const out = new Map<string, Delivery[]>();
  if (updateIds.length === 0) return out;
  const rows = await db
    .selectFrom("deliveries")
    .leftJoin("jobs", "jobs.id", "deliveries.job_id")
    .selectAll("deliveries")
    .select("jobs.state as job_state")
    .where("deliveries.update_id", "in", updateIds)
    .orderBy("deliveries.channel_id")
    .orderBy("deliveries.id")
    .execute();
  for (const row of rows) {
    const list = out.get(row.update_id) ?? [];
    list.push(deliveryView(row, row.job_state === "running"));
    out.set(row.update_id, list);
  }
  return out;
}

export async function listUpdates(ctx: Ctx, idOrReference: string): Promise<StatusUpdate[]> {
  const row = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  const rows = await ctx.store.db
    .selectFrom("status_updates")
    .leftJoin("users", "users.id", "status_updates.author_id")
    .selectAll("status_updates")
    .select(["users.email as author_email", "users.name as author_name"])
    .where("status_updates.incident_id", "=", row.id)
    .orderBy("status_updates.created_at")
    .orderBy("status_updates.id")
    .execute();
  const ids = rows.map((r) => r.id);
  const [deliveries, channels] = await Promise.all([
    deliveriesOf(ctx.store.db, ids),
    ids.length
      ? ctx.store.db
          .selectFrom("update_channels")
          .select(["update_id", "channel_id"])
          .where("update_id", "in", ids)
          .execute()
      : Promise.resolve([]),
  ]);
  return rows.map((r) =>
    toUpdate(
      r,
      deliveries.get(r.id) ?? [],
      channels.filter((c) => c.update_id === r.id).map((c) => c.channel_id),
    ),
  );
}

function toUpdate(
  r: StatusUpdatesTable & { author_email: string | null; author_name: string | null },
  deliveries: Delivery[],
  channels: string[],
): StatusUpdate {
  return {
    id: r.id,
    incidentId: r.incident_id,
    phase: r.phase as StatusUpdate["phase"],
    subject: r.subject,
    body: r.body,
    audience: r.audience,
    public: readBool(r.public),
    author:
      r.author_id && r.author_email && r.author_name
        ? { id: r.author_id, email: r.author_email, name: r.author_name }
        : null,
    createdAt: r.created_at,
    dueAt: r.due_at,
    channels,
    deliveries,
  };
}

/** Sends a failed or dead delivery again now. */
export async function retryDelivery(ctx: Ctx, idOrReference: string, deliveryId: string): Promise<Delivery> {
  const incident = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  const now = ctx.clock.now();
  const delivery = await ctx.store.transaction(async (tx) => {
    const row = await tx
      .selectFrom("deliveries")
      .selectAll()
      .where("id", "=", deliveryId)
      .where("incident_id", "=", incident.id)
      .executeTakeFirst();
    if (!row?.job_id) throw notFound(`Delivery ${deliveryId} of ${incident.reference}`);
    if (row.state === "delivered")
      throw invalid("This delivery already went out.", [
        { path: "deliveryId", message: "delivered", hint: "only failed or dead deliveries can be retried" },
      ]);
    const job = await tx.selectFrom("jobs").select(["state"]).where("id", "=", row.job_id).executeTakeFirst();
    if (job?.state === "running") throw invalid("This delivery is being sent right now.");
    if (job?.state === "dead") await requeue(tx, row.job_id, now);
    else
      await tx
        .updateTable("jobs")
        .set({ run_at: now.toISOString(), updated_at: now.toISOString() })
        .where("id", "=", row.job_id)
        .execute();
    const changes = { state: "queued" as const, next_attempt_at: now.toISOString() };
    await tx.updateTable("deliveries").set(changes).where("id", "=", row.id).execute();
    return { ...row, ...changes };
  });
  ctx.comms.poke();
  announce(ctx, incident, "delivery");
  return deliveryView(delivery, false);
}
