import { CompiledQuery, PostgresAdapter, type Selectable } from "kysely";
import type { Db } from "../store/open.ts";
import type { AlertsTable } from "../store/schema.ts";
import { readBool, readJson, writeJson } from "../store/values.ts";
import type { Alert, AlertDetail, AlertSeverity } from "./model.ts";

/** Reading and writing alert rows. Only this file and intake's transactions touch the table. */

/** An alert row as intake changes it in memory: labels and details parsed, silenced a boolean. */
export type AlertRow = Omit<Selectable<AlertsTable>, "labels" | "details" | "silenced"> & {
  labels: Record<string, string>;
  details: Record<string, unknown>;
  silenced: boolean;
};

export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** The JSON text a parsed value was read from, so an unchanged value is not written out again. */
const jsonText = new WeakMap<object, string>();

function parsed<T extends object>(value: unknown): T {
  if (typeof value !== "string") return value as T;
  const result = readJson<T>(value) ?? ({} as T);
  jsonText.set(result, value);
  return result;
}

/** Every column named, in one order, so rows share one shape (rows read in part included). */
export function fromDb(row: Selectable<AlertsTable>): AlertRow {
  return {
    id: row.id,
    integration_id: row.integration_id,
    dedup_key: row.dedup_key,
    status: row.status,
    summary: row.summary,
    source: row.source,
    severity: row.severity,
    component: row.component,
    alert_group: row.alert_group,
    alert_class: row.alert_class,
    labels: parsed<Record<string, string>>(row.labels),
    details: parsed<Record<string, unknown>>(row.details),
    criterion_id: row.criterion_id,
    incident_id: row.incident_id,
    proposal: row.proposal,
    silenced: readBool(row.silenced),
    event_count: row.event_count,
    first_seen_at: row.first_seen_at,
    last_seen_at: row.last_seen_at,
    acknowledged_at: row.acknowledged_at,
    resolved_at: row.resolved_at,
    updated_at: row.updated_at,
    attached_at: row.attached_at,
    attach_noted_at: row.attach_noted_at,
  };
}

/** Alerts as they were read, by row: only the columns that changed are written back. */
const asRead = new WeakMap<AlertRow, Param[]>();

/** JSON text without NUL characters (`\u0000` escapes), which PostgreSQL's jsonb refuses. */
function storableJson(value: object): string;
function storableJson(value: object | undefined): string | undefined;
function storableJson(value: object | undefined): string | undefined {
  if (value === undefined) return undefined;
  const known = jsonText.get(value);
  if (known !== undefined) return known;
  const text = writeJson(value);
  return text.includes("\\u0000") ? text.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1") : text;
}

/** One (integration, dedup key) as a map key. */
export const keyOf = (integrationId: string, dedupKey: string) => `${integrationId}\n${dedupKey}`;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/*
 * The statements intake runs on every batch are written out here and sent as
 * they are, rather than built through the query builder each time: at
 * thousands of events a second, building and compiling a query per alert cost
 * more than running it. Each text depends only on the dialect and the number
 * of rows, so the SQLite store's prepared statements are reused.
 */
type Param = string | number | boolean | null;

/** Every column, in the order the statements below list them, with its PostgreSQL type. */
const COLUMNS = [
  ["id", "text"],
  ["integration_id", "text"],
  ["dedup_key", "text"],
  ["status", "text"],
  ["summary", "text"],
  ["source", "text"],
  ["severity", "text"],
  ["component", "text"],
  ["alert_group", "text"],
  ["alert_class", "text"],
  ["labels", "jsonb"],
  ["details", "jsonb"],
  ["criterion_id", "text"],
  ["incident_id", "text"],
  ["proposal", "text"],
  ["silenced", "boolean"],
  ["event_count", "integer"],
  ["first_seen_at", "timestamptz"],
  ["last_seen_at", "timestamptz"],
  ["acknowledged_at", "timestamptz"],
  ["resolved_at", "timestamptz"],
  ["updated_at", "timestamptz"],
  ["attached_at", "timestamptz"],
  ["attach_noted_at", "timestamptz"],
] as const satisfies ReadonlyArray<readonly [keyof AlertsTable, string]>;
type Column = (typeof COLUMNS)[number][0];

/** The columns a later event can change (not the key, nor when it was first seen). */
const FIXED = new Set<Column>(["id", "integration_id", "dedup_key", "first_seen_at"]);
const CHANGING = COLUMNS.filter(([name]) => !FIXED.has(name));

function paramsOf(row: AlertRow, columns: ReadonlyArray<readonly [Column, string]>): Param[] {
  const values = row as unknown as Record<Column, Param>;
  return columns.map(([name]) =>
    name === "labels"
      ? storableJson(row.labels)
      : name === "details"
        ? storableJson(row.details)
        : values[name],
  );
}

const texts = new Map<string, string>();

/** A statement's text for a dialect and row count, made once. */
function text(key: string, make: () => string): string {
  let found = texts.get(key);
  if (found === undefined) {
    found = make();
    texts.set(key, found);
  }
  return found;
}

/** Placeholders for `count` rows of `width` values: (?, ?), … or ($1, $2), … */
function tuples(pg: boolean, count: number, types: ReadonlyArray<string | null>): string {
  let n = 0;
  const tuple = () => `(${types.map((type) => (pg ? `$${++n}${type ? `::${type}` : ""}` : "?")).join(", ")})`;
  return Array.from({ length: count }, tuple).join(", ");
}

async function run<R>(tx: Db, statement: string, params: Param[]): Promise<R[]> {
  return (await tx.executeQuery<R>(CompiledQuery.raw(statement, params))).rows;
}

/** The columns intake reads of an open alert: what decides what an event does to it. */
const READ: Column[] = [
  "id",
  "integration_id",
  "dedup_key",
  "status",
  "summary",
  "severity",
  "component",
  "criterion_id",
  "incident_id",
  "proposal",
  "silenced",
  "event_count",
];

/**
 * The open alerts for these keys, in one query per few hundred keys. On
 * PostgreSQL they are locked (in id order, so two processes cannot deadlock
 * on them) until the transaction ends: another process applying events to the
 * same alerts waits and then reads what this one wrote.
 *
 * Only the columns in READ are read (times and JSON cost the most to read and
 * a repeat replaces them anyway); the others stay undefined on the row, and a
 * column intake does not set is not written back.
 */
export async function loadOpenAlerts(
  tx: Db,
  wanted: Array<{ integrationId: string; dedupKey: string }>,
): Promise<Map<string, AlertRow>> {
  const open = new Map<string, AlertRow>();
  const pairs = new Map<string, { integrationId: string; dedupKey: string }>();
  for (const w of wanted) pairs.set(keyOf(w.integrationId, w.dedupKey), w);
  const pg = isPostgres(tx);
  for (const chunk of chunks([...pairs.values()], 400)) {
    // The exact pairs: IN lists of integrations and of keys would probe every combination.
    const statement = text(`open:${pg}:${chunk.length}`, () =>
      [
        `select ${READ.join(", ")} from alerts`,
        `where (integration_id, dedup_key) in (values ${tuples(pg, chunk.length, ["text", "text"])})`,
        // A literal, so both planners see that the partial index alerts_open_key applies.
        "and status <> 'resolved'",
        pg ? "order by id for update" : "",
      ].join(" "),
    );
    const rows = await run<Selectable<AlertsTable>>(
      tx,
      statement,
      chunk.flatMap((w) => [w.integrationId, w.dedupKey]),
    );
    for (const row of rows) {
      const alert = fromDb(row);
      asRead.set(alert, paramsOf(alert, CHANGING));
      open.set(keyOf(row.integration_id, row.dedup_key), alert);
    }
  }
  return open;
}

export async function insertAlerts(tx: Db, rows: AlertRow[]): Promise<void> {
  const pg = isPostgres(tx);
  const names = COLUMNS.map(([name]) => name).join(", ");
  for (const chunk of chunks(rows, 200)) {
    const statement = text(
      `insert:${pg}:${chunk.length}`,
      () =>
        `insert into alerts (${names}) values ${tuples(
          pg,
          chunk.length,
          COLUMNS.map(() => null),
        )}`,
    );
    await run(
      tx,
      statement,
      chunk.flatMap((row) => paramsOf(row, COLUMNS)),
    );
  }
}

/**
 * Writes the changed columns of alerts read by loadOpenAlerts back, in one
 * statement or a few per batch (UPDATE … FROM VALUES). Only what changed is
 * set. On SQLite, alerts that changed the same columns share a statement: an
 * UPDATE that names an indexed column rewrites its index entry even when the
 * value is the same. On PostgreSQL, where each statement is a round trip, one
 * statement sets them all, each row saying which of its columns changed
 * (PostgreSQL compares values, so an unchanged column costs nothing).
 */
export async function updateAlerts(tx: Db, rows: AlertRow[]): Promise<void> {
  const changes: Array<{ row: AlertRow; params: Param[]; changed: number[] }> = [];
  for (const row of rows) {
    const params = paramsOf(row, CHANGING);
    const before = asRead.get(row);
    const changed = CHANGING.flatMap((_, i) => (before && before[i] === params[i] ? [] : [i]));
    if (changed.length === 0) continue;
    changes.push({ row, params, changed });
    asRead.set(row, params);
  }
  if (changes.length === 0) return;
  if (isPostgres(tx)) {
    await updateAllAtOnce(tx, changes);
    return;
  }
  const groups = new Map<string, Array<{ id: string; params: Param[] }>>();
  for (const { row, params, changed } of changes) {
    const signature = changed.join(",");
    const group = groups.get(signature) ?? [];
    group.push({ id: row.id, params: changed.map((i) => params[i]!) });
    groups.set(signature, group);
  }
  for (const [signature, group] of groups) {
    const names = signature.split(",").map((i) => CHANGING[Number(i)]![0]);
    for (const chunk of chunks(group, 200)) {
      // SQLite names a VALUES list's columns column1, column2, …
      const statement = text(`update:sqlite:${signature}:${chunk.length}`, () =>
        [
          `update alerts set ${names.map((name, i) => `${name} = v.column${i + 2}`).join(", ")}`,
          `from (values ${tuples(false, chunk.length, [null, ...names.map(() => null)])}) as v`,
          "where alerts.id = v.column1",
        ].join(" "),
      );
      await run(
        tx,
        statement,
        chunk.flatMap((row) => [row.id, ...row.params]),
      );
    }
  }
}

/** PostgreSQL: every changed alert in one statement; a bit mask per row says which columns to take. */
async function updateAllAtOnce(
  tx: Db,
  changes: Array<{ row: AlertRow; params: Param[]; changed: number[] }>,
): Promise<void> {
  const names = CHANGING.map(([name]) => name);
  for (const chunk of chunks(changes, 200)) {
    const statement = text(`update:pg:${chunk.length}`, () =>
      [
        `update alerts set ${names
          .map(
            (name, i) =>
              `${name} = case when (v.changed & ${2 ** i}) <> 0 then v.${name} else alerts.${name} end`,
          )
          .join(", ")}`,
        `from (values ${tuples(true, chunk.length, ["text", "integer", ...CHANGING.map(([, type]) => type)])})`,
        `as v (id, changed, ${names.join(", ")}) where alerts.id = v.id`,
      ].join(" "),
    );
    await run(
      tx,
      statement,
      chunk.flatMap(({ row, params, changed }) => [
        row.id,
        changed.reduce((mask, i) => mask | (1 << i), 0),
        ...params.map((value, i) => (changed.includes(i) ? value : null)),
      ]),
    );
  }
}

/** The API's alert; `incident` is the one it joined, if the caller may see it. */
export function toAlert(row: AlertRow, incident: Alert["incident"]): Alert {
  return {
    id: row.id,
    dedupKey: row.dedup_key,
    status: row.status,
    summary: row.summary,
    source: row.source,
    severity: row.severity as AlertSeverity,
    component: row.component,
    labels: row.labels,
    integrationId: row.integration_id,
    incidentId: row.incident_id,
    incident,
    criterionId: row.criterion_id,
    proposal: row.proposal,
    silenced: row.silenced,
    eventCount: row.event_count,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    acknowledgedAt: row.acknowledged_at,
    resolvedAt: row.resolved_at,
  };
}

export function toAlertDetail(row: AlertRow, incident: Alert["incident"]): AlertDetail {
  return { ...toAlert(row, incident), group: row.alert_group, class: row.alert_class, details: row.details };
}

export async function findAlert(db: Db, id: string): Promise<AlertRow | null> {
  const row = await db.selectFrom("alerts").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? fromDb(row) : null;
}
