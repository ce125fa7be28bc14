import { type SelectQueryBuilder, sql } from "kysely";
import { entryRows } from "../../incidents/repository.ts";
import { insertAll } from "../../store/insert-all.ts";
import type { Db } from "../../store/open.ts";
import type { Database } from "../../store/schema.ts";
import { writeJson } from "../../store/values.ts";
import { type Candidate, type Ranked, REPEAT_THRESHOLD, rankSimilar } from "./score.ts";

/** Past incidents looked at per shared component, per declaration. */
const PER_COMPONENT = 50;
/** Components looked up by (the rest still count in the score). */
const MAX_COMPONENT_LOOKUPS = 20;
/** The most recent incidents, compared by title whatever they affect. */
const LATEST = 100;
/** Past incidents looked at that share an alert key. */
const PER_ALERT_KEYS = 50;

const OPEN_ITEM_STATUSES = ["open", "in_progress"] as const;

export interface NewIncident {
  id: string;
  reference: string;
  title: string;
  components: string[];
  drill: boolean;
  /** Declared from alerts: their keys are read from the alerts linked to it. */
  fromAlerts: boolean;
  at: string;
}

export interface SimilarFound {
  similar: Ranked[];
  repeatOf: { id: string; reference: string; openActionItems: number } | null;
}

/**
 * Finds the past incidents most like one being declared and records them, in
 * the declaration's transaction (after its alerts are linked). The work is
 * bounded whatever the history's size: index range scans for the newest
 * incidents sharing each component (ids are time-ordered UUIDv7), those
 * sharing an alert key, and the latest incidents for the title; then one read
 * of those candidates. Drills and private incidents are never candidates: a
 * drill did not happen, and a private incident's existence must not show on
 * another's timeline. The new incident is a repeat when a similar one at or
 * above REPEAT_THRESHOLD still has open action items (the most similar such
 * one); a drill lists similar incidents but is never a repeat.
 */
export async function findSimilar(tx: Db, incident: NewIncident): Promise<SimilarFound> {
  const alertKeys = incident.fromAlerts
    ? [
        ...new Set(
          (
            await tx
              .selectFrom("alerts")
              .select("dedup_key")
              .where("incident_id", "=", incident.id)
              .limit(100)
              .execute()
          ).map((r) => r.dedup_key),
        ),
      ]
    : [];

  const candidates = await readCandidates(tx, incident, alertKeys);
  const similar = rankSimilar(
    { components: incident.components, alertKeys, title: incident.title },
    candidates,
  );
  if (similar.length === 0) return { similar, repeatOf: null };

  const open = await openItemCounts(
    tx,
    similar.map((s) => s.id),
  );
  const references = new Map(candidates.map((c) => [c.id, c.reference]));
  const repeat = incident.drill
    ? undefined
    : similar.find((s) => s.score >= REPEAT_THRESHOLD && (open.get(s.id) ?? 0) > 0);
  const repeatOf = repeat
    ? { id: repeat.id, reference: references.get(repeat.id)!, openActionItems: open.get(repeat.id)! }
    : null;

  await insertAll(tx, [
    {
      table: "similar_incidents",
      rows: similar.map((s) => ({
        incident_id: incident.id,
        similar_id: s.id,
        score: s.score,
        reasons: writeJson(s.reasons),
        found_at: incident.at,
      })),
    },
    ...(repeatOf
      ? [
          {
            table: "timeline_entries" as const,
            rows: entryRows([
              {
                incidentId: incident.id,
                kind: "repeat",
                body: `Repeat of ${repeatOf.reference}: ${repeatOf.openActionItems} action item${repeatOf.openActionItems === 1 ? "" : "s"} still open.`,
                authorId: null,
                at: incident.at,
                data: {
                  repeatOf: repeatOf.id,
                  reference: repeatOf.reference,
                  openActionItems: repeatOf.openActionItems,
                  score: repeat!.score,
                },
              },
            ]),
          },
        ]
      : []),
  ]);
  if (repeatOf) {
    await tx.updateTable("incidents").set({ repeat_of: repeatOf.id }).where("id", "=", incident.id).execute();
  }
  return { similar, repeatOf };
}

type CandidateRow = { incident_id: string; dedup_key: string | null };

async function readCandidates(
  tx: Db,
  incident: NewIncident,
  alertKeys: string[],
): Promise<Array<Candidate & { reference: string }>> {
  const nullKey = sql<string | null>`cast(null as text)`.as("dedup_key");
  const arms = [
    ...incident.components
      .slice(0, MAX_COMPONENT_LOOKUPS)
      .map((component, i) =>
        tx
          .selectFrom((db) =>
            db
              .selectFrom("incident_components")
              .select(["incident_id", nullKey])
              .where("component_id", "=", component)
              .where("incident_id", "!=", incident.id)
              .orderBy("incident_id", "desc")
              .limit(PER_COMPONENT)
              .as(`c${i}`),
          )
          .selectAll(),
      ),
    tx
      .selectFrom((db) =>
        db
          .selectFrom("incidents")
          .select([sql<string>`id`.as("incident_id"), nullKey])
          .where("id", "!=", incident.id)
          .where("drill", "=", false)
          .where("private", "=", false)
          .orderBy("declared_at", "desc")
          .orderBy("id", "desc")
          .limit(LATEST)
          .as("latest"),
      )
      .selectAll(),
    ...(alertKeys.length > 0
      ? [
          tx
            .selectFrom((db) =>
              db
                .selectFrom("alerts")
                .select(["incident_id", "dedup_key"])
                .where("dedup_key", "in", alertKeys)
                .where("incident_id", "is not", null)
                .where("incident_id", "!=", incident.id)
                .orderBy("incident_id", "desc")
                .limit(PER_ALERT_KEYS)
                .as("keyed"),
            )
            .selectAll(),
        ]
      : []),
  ];
  // The arms differ only in their derived tables' names; each yields CandidateRow.
  const [first, ...rest] = arms as unknown as Array<SelectQueryBuilder<Database, "incidents", CandidateRow>>;
  let query = first!;
  for (const arm of rest) query = query.unionAll(arm);
  const found = await query.execute();

  const keysOf = new Map<string, Set<string>>();
  for (const row of found) {
    const keys = keysOf.get(row.incident_id) ?? new Set<string>();
    if (row.dedup_key !== null) keys.add(row.dedup_key);
    keysOf.set(row.incident_id, keys);
  }
  if (keysOf.size === 0) return [];

  const rows = await tx
    .selectFrom("incidents as i")
    .leftJoin("incident_components as ic", "ic.incident_id", "i.id")
    .select(["i.id", "i.reference", "i.title", "i.declared_at", "ic.component_id"])
    .where("i.id", "in", [...keysOf.keys()])
    .where("i.drill", "=", false)
    .where("i.private", "=", false)
    .execute();
  const byId = new Map<string, Candidate & { reference: string; components: string[] }>();
  for (const row of rows) {
    let candidate = byId.get(row.id);
    if (!candidate) {
      candidate = {
        id: row.id,
        reference: row.reference,
        title: row.title,
        declaredAt: row.declared_at,
        components: [],
        alertKeys: [...(keysOf.get(row.id) ?? [])],
      };
      byId.set(row.id, candidate);
    }
    if (row.component_id !== null) candidate.components.push(row.component_id);
  }
  return [...byId.values()];
}

/** Open (or in progress) action items per incident. */
export async function openItemCounts(db: Db, incidentIds: string[]): Promise<Map<string, number>> {
  if (incidentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("action_items")
    .select(["incident_id", (eb) => eb.fn.countAll<number>().as("open")])
    .where("incident_id", "in", incidentIds)
    .where("status", "in", OPEN_ITEM_STATUSES)
    .groupBy("incident_id")
    .execute();
  return new Map(rows.map((r) => [r.incident_id, Number(r.open)]));
}
