import type { Ctx } from "../context.ts";
import { enqueue } from "../jobs/queue.ts";
import { SHORT_RETRIES } from "../jobs/retry.ts";
import type { JobHandler } from "../jobs/worker.ts";
import type { Db } from "../store/open.ts";
import { applyEvents } from "./apply.ts";
import { inIntakeTransaction } from "./effects.ts";
import { toRef } from "./integrations.ts";
import type { IntakeEvent, IntegrationRef } from "./model.ts";
import { isPostgres } from "./repository.ts";

/**
 * Heartbeats (a dead man's switch): a job that should run every so often
 * pings its integration's URL. A check, due one interval after the last ping,
 * raises "Heartbeat missed: <name>" when none came; the next ping resolves it.
 * Each check queues the next one in the transaction that finishes it, so there
 * is always exactly one queued per heartbeat integration until it is disabled.
 */
export const CHECK_HEARTBEAT_JOB = "checkHeartbeat";

export const heartbeatDedupKey = (integrationId: string) => `heartbeat:${integrationId}`;

export function heartbeatCheckJob(tx: Db, integrationId: string, runAt: Date, now: string) {
  const at = runAt.toISOString();
  return enqueue(
    tx,
    [
      {
        kind: CHECK_HEARTBEAT_JOB,
        payload: { integrationId },
        runAt: at,
        uniqueKey: `heartbeat:${integrationId}:${at}`,
      },
    ],
    now,
  );
}

function heartbeatEvent(
  integration: IntegrationRef,
  action: "trigger" | "resolve",
  lastAt: string | null,
): IntakeEvent {
  return {
    action,
    dedupKey: heartbeatDedupKey(integration.id),
    summary: `Heartbeat missed: ${integration.name}`,
    source: "runsheet",
    severity: "critical",
    component: integration.service,
    group: null,
    class: "heartbeat",
    labels: { integration: integration.name, kind: "heartbeat" },
    details: { lastHeartbeatAt: lastAt, expectedEverySeconds: integration.heartbeatSeconds },
  };
}

/** Records a ping and resolves the missed-heartbeat alert, if one is open. */
export async function recordHeartbeat(
  ctx: Ctx,
  integration: IntegrationRef,
): Promise<{ receivedAt: string }> {
  const receivedAt = ctx.clock.now().toISOString();
  await inIntakeTransaction(ctx, async (tx, effects) => {
    await tx
      .updateTable("integrations")
      .set({ last_heartbeat_at: receivedAt })
      .where("id", "=", integration.id)
      .execute();
    await applyEvents(
      ctx,
      tx,
      [{ integration, event: heartbeatEvent(integration, "resolve", receivedAt) }],
      effects,
    );
  });
  return { receivedAt };
}

/** Checks one heartbeat integration; idempotent (a missed heartbeat already raised is not raised again). */
export function checkHeartbeatHandler(deps: Omit<Ctx, "actor">): JobHandler<{ integrationId: string }> {
  const ctx: Ctx = { ...deps, actor: { kind: "system" } };
  return {
    kind: CHECK_HEARTBEAT_JOB,
    retry: SHORT_RETRIES,
    async run(job) {
      const now = ctx.clock.now();
      const next = await inIntakeTransaction(ctx, async (tx, effects) => {
        let query = tx.selectFrom("integrations").selectAll().where("id", "=", job.payload.integrationId);
        // A ping arriving now waits for this check, and the check sees it.
        if (isPostgres(tx)) query = query.forUpdate();
        const row = await query.executeTakeFirst();
        if (!row || row.disabled_at !== null || row.type !== "heartbeat" || !row.heartbeat_seconds)
          return null;
        const everyMs = row.heartbeat_seconds * 1000;
        const deadline = Date.parse(row.last_heartbeat_at ?? row.created_at) + everyMs;
        if (now.getTime() < deadline) return new Date(deadline);
        const open = await tx
          .selectFrom("alerts")
          .select("id")
          .where("integration_id", "=", row.id)
          .where("dedup_key", "=", heartbeatDedupKey(row.id))
          .where("status", "!=", "resolved")
          .executeTakeFirst();
        if (!open) {
          const integration = toRef(row);
          await applyEvents(
            ctx,
            tx,
            [{ integration, event: heartbeatEvent(integration, "trigger", row.last_heartbeat_at) }],
            effects,
          );
        }
        return new Date(now.getTime() + everyMs);
      });
      if (!next) return;
      return async (tx) => {
        await heartbeatCheckJob(tx, job.payload.integrationId, next, now.toISOString());
      };
    },
  };
}
