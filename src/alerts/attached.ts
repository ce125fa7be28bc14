import type { Ctx } from "../context.ts";
import { insertEntry } from "../incidents/repository.ts";
import { enqueue } from "../jobs/queue.ts";
import { SHORT_RETRIES } from "../jobs/retry.ts";
import type { JobHandler } from "../jobs/worker.ts";
import type { EventHub } from "../shared/events.ts";
import type { Db } from "../store/open.ts";
import { readBool } from "../store/values.ts";

/**
 * Alerts that join an open incident are noted on its timeline, but not one
 * entry per alert: during a storm that would bury everything people wrote. The
 * first joins are noted at once; after that, at most one note about every
 * minute says how many more joined ("12 more alerts attached"), written by a
 * job when the minute is up.
 */
export const ATTACHED_KIND = "alerts_attached";
export const NOTE_EVERY_MS = 60_000;
export const REPORT_ATTACHED_JOB = "reportAttachedAlerts";

export interface OpenIncident {
  id: string;
  reference: string;
  version: number;
  private: boolean;
}

async function lastNoteAt(tx: Db, incidentId: string): Promise<string | null> {
  const row = await tx
    .selectFrom("timeline_entries")
    .select("created_at")
    .where("incident_id", "=", incidentId)
    .where("kind", "=", ATTACHED_KIND)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.created_at ?? null;
}

/**
 * Counts the incident's attached alerts that no note has counted yet (marking
 * them counted) and writes one note about them. Returns whether it wrote one.
 */
export async function writeAttachedNote(tx: Db, incidentId: string, at: string): Promise<boolean> {
  const marked = await tx
    .updateTable("alerts")
    .set({ attach_noted_at: at })
    .where("incident_id", "=", incidentId)
    .where("attached_at", "is not", null)
    .where("attach_noted_at", "is", null)
    .executeTakeFirst();
  const count = Number(marked.numUpdatedRows);
  if (count === 0) return false;
  const latest = await tx
    .selectFrom("alerts")
    .select(["id", "summary"])
    .where("incident_id", "=", incidentId)
    .orderBy("attached_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  await insertEntry(tx, {
    incidentId,
    kind: ATTACHED_KIND,
    body: `${count} more alert${count === 1 ? "" : "s"} attached (latest: ${latest.summary}).`,
    authorId: null,
    at,
    data: { count, latestAlertId: latest.id },
  });
  return true;
}

/** After alerts joined an open incident in this transaction: note them now, or queue the note for when the minute is up. */
export async function noteAttachments(
  tx: Db,
  incident: OpenIncident,
  at: string,
  effects: { hub: EventHub; poke(): void },
): Promise<void> {
  const last = await lastNoteAt(tx, incident.id);
  if (last !== null && Date.parse(at) - Date.parse(last) < NOTE_EVERY_MS) {
    await enqueue(
      tx,
      [
        {
          kind: REPORT_ATTACHED_JOB,
          payload: { incidentId: incident.id },
          runAt: new Date(Date.parse(last) + NOTE_EVERY_MS).toISOString(),
          uniqueKey: `alerts-attached:${incident.id}`,
        },
      ],
      at,
    );
    effects.poke();
    return;
  }
  if (await writeAttachedNote(tx, incident.id, at)) {
    effects.hub.publish({ ...announced(incident), kind: ATTACHED_KIND });
  }
}

function announced(incident: OpenIncident) {
  return {
    incidentId: incident.id,
    reference: incident.reference,
    version: incident.version,
    private: incident.private,
  };
}

/** Writes the note that was held back while notes were a minute apart. Idempotent: nothing left to count, nothing written. */
export function reportAttachedHandler(deps: Omit<Ctx, "actor">): JobHandler<{ incidentId: string }> {
  return {
    kind: REPORT_ATTACHED_JOB,
    retry: SHORT_RETRIES,
    async run(job) {
      const at = deps.clock.now().toISOString();
      const incident = await deps.store.transaction(async (tx) => {
        const wrote = await writeAttachedNote(tx, job.payload.incidentId, at);
        if (!wrote) return null;
        return tx
          .selectFrom("incidents")
          .select(["id", "reference", "version", "private"])
          .where("id", "=", job.payload.incidentId)
          .executeTakeFirst();
      });
      if (incident) {
        deps.events.publish({
          ...announced({ ...incident, private: readBool(incident.private) }),
          kind: ATTACHED_KIND,
        });
      }
    },
  };
}
