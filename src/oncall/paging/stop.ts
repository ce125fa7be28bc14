import { insertEntries } from "../../incidents/repository.ts";
import { cancelByKey } from "../../jobs/queue.ts";
import type { Db } from "../../store/open.ts";
import { cancelOpenNotifications, timerKey } from "./repository.ts";

/**
 * Resolving an incident stops its paging, in the resolution's transaction:
 * active escalations are cancelled with their timers, open pages closed, and
 * notifications not sent yet cancelled with their jobs. Returns whether
 * anything was stopped.
 */
export async function stopPaging(
  tx: Db,
  incidentId: string,
  now: string,
  authorId: string | null,
): Promise<boolean> {
  const escalations = await tx
    .updateTable("escalations")
    .set({ status: "cancelled", next_at: null, updated_at: now })
    .where("incident_id", "=", incidentId)
    .where("status", "=", "active")
    .returning(["id", "stage"])
    .execute();
  for (const e of escalations) await cancelByKey(tx, timerKey(e.id, e.stage), now);
  const pages = await tx
    .updateTable("pages")
    .set({ status: "cancelled" })
    .where("incident_id", "=", incidentId)
    .where("status", "in", ["triggered", "superseded"])
    .returning("id")
    .execute();
  const notifications = await cancelOpenNotifications(
    tx,
    pages.map((p) => p.id),
    now,
  );
  if (escalations.length === 0 && pages.length === 0) return false;
  const parts = [
    escalations.length > 0
      ? `${escalations.length} escalation${escalations.length === 1 ? "" : "s"} cancelled`
      : "",
    pages.length > 0 ? `${pages.length} open page${pages.length === 1 ? "" : "s"} closed` : "",
    notifications > 0 ? `${notifications} notification${notifications === 1 ? "" : "s"} not sent` : "",
  ].filter(Boolean);
  await insertEntries(tx, [
    {
      incidentId,
      kind: "paging_stopped",
      body: `Paging stopped, the incident is resolved: ${parts.join(", ")}.`,
      authorId,
      at: now,
      data: { escalations: escalations.map((e) => e.id), pages: pages.length, notifications },
    },
  ]);
  return true;
}
