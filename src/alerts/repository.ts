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
  if (typeof value !== "string") return (value ?? {}) as T;
  const result = readJson<T>(value) ?? ({} as T);
  jsonText.set(result, value);
  return result;
}

export function fromDb(row: Selectable<AlertsTable>): AlertRow {
  return {
    ...row,
    labels: parsed<Record<string, string>>(row.labels),
    details: parsed<Record<string, unknown>>(row.details),
    silenced: readBool(row.silenced),
  };
}

/** Alerts as they were read, by row: only the columns that changed are written back. */
const asRead = new WeakMap<AlertRow, Param[]>();

/** JSON text without NUL characters (`\u0000` escapes), which PostgreSQL's jsonb refuses. */
function storableJson(value: object): string {
  const known = jsonText.get(value);
  if (known !== undefined) return known;
  const text = writeJson(value);
  return text.includes("\\u0000") ? text.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1") : text;
}

function toDb(row: AlertRow): Selectable<AlertsTable> {
  return { ...row, labels: storableJson(row.labels), details: storableJson(row.details) };
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
  const stored = toDb(row) as unknown as Record<Column, Param>;
  return columns.map(([name]) => stored[name]);
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

function list(pg: boolean, from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => (pg ? `$${from + i + 1}` : "?")).join(", ");
}

async function run<R>(tx: Db, statement: string, params: Param[]): Promise<R[]> {
  return (await tx.executeQuery<R>(CompiledQuery.raw(statement, params))).rows;
}

/**
 * The open alerts for these keys, in one query per few hundred keys. On
 * PostgreSQL they are locked (in id order, so two processes cannot deadlock
 * on them) until the transaction ends: another process applying events to the
 * same alerts waits and then reads what this one wrote.
 */
export async function loadOpenAlerts(
  tx: Db,
  wanted: Array<{ integrationId: string; dedupKey: string }>,
): Promise<Map<string, AlertRow>> {
  const open = new Map<string, AlertRow>();
  if (wanted.length === 0) return open;
  const pairs = new Set(wanted.map((w) => keyOf(w.integrationId, w.dedupKey)));
  const integrationIds = [...new Set(wanted.map((w) => w.integrationId))];
  const pg = isPostgres(tx);
  for (const keys of chunks([...new Set(wanted.map((w) => w.dedupKey))], 500)) {
    const statement = text(`open:${pg}:${integrationIds.length}:${keys.length}`, () =>
      [
        `select * from alerts where integration_id in (${list(pg, 0, integrationIds.length)})`,
        `and dedup_key in (${list(pg, integrationIds.length, keys.length)})`,
        // A literal, so both planners see that the partial index alerts_open_key applies.
        "and status <> 'resolved'",
        pg ? "order by id for update" : "",
      ].join(" "),
    );
    const rows = await run<Selectable<AlertsTable>>(tx, statement, [...integrationIds, ...keys]);
    for (const row of rows) {
      const key = keyOf(row.integration_id, row.dedup_key);
      if (!pairs.has(key)) continue;
      const alert = fromDb(row);
      asRead.set(alert, paramsOf(alert, CHANGING));
      open.set(key, alert);
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
 * Writes the changed columns of alerts read by loadOpenAlerts back. Only what
 * changed is set: an UPDATE that sets an indexed column rewrites that index
 * entry even when the value is the same, and a repeat trigger changes few.
 * Alerts that changed the same columns share one statement (UPDATE … FROM
 * VALUES), so a batch costs a statement or two, and on PostgreSQL a round
 * trip or two.
 */
export async function updateAlerts(tx: Db, rows: AlertRow[]): Promise<void> {
  const pg = isPostgres(tx);
  const groups = new Map<
    string,
    { columns: typeof CHANGING; rows: Array<{ id: string; params: Param[] }> }
  >();
  for (const row of rows) {
    const params = paramsOf(row, CHANGING);
    const before = asRead.get(row);
    const changed = CHANGING.flatMap((column, i) =>
      before && before[i] === params[i] ? [] : [{ column, value: params[i]! }],
    );
    if (changed.length === 0) continue;
    const signature = changed.map((c) => c.column[0]).join(",");
    const group = groups.get(signature) ?? { columns: changed.map((c) => c.column), rows: [] };
    group.rows.push({ id: row.id, params: changed.map((c) => c.value) });
    groups.set(signature, group);
    asRead.set(row, params);
  }
  for (const [signature, group] of groups) {
    const names = group.columns.map(([name]) => name);
    for (const chunk of chunks(group.rows, 200)) {
      // SQLite names a VALUES list's columns column1, column2, …; PostgreSQL takes names.
      const source = pg
        ? (i: number) => `v.${i === 0 ? "id" : names[i - 1]}`
        : (i: number) => `v.column${i + 1}`;
      const statement = text(`update:${pg}:${signature}:${chunk.length}`, () =>
        [
          `update alerts set ${names.map((name, i) => `${name} = ${source(i + 1)}`).join(", ")}`,
          `from (values ${tuples(pg, chunk.length, ["text", ...group.columns.map(([, type]) => type)])})`,
          pg ? `as v (id, ${names.join(", ")})` : "as v",
          `where alerts.id = ${source(0)}`,
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

export function toAlert(row: AlertRow): Alert {
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

export function toAlertDetail(row: AlertRow): AlertDetail {
  return { ...toAlert(row), group: row.alert_group, class: row.alert_class, details: row.details };
}

export async function findAlert(db: Db, id: string): Promise<AlertRow | null> {
  const row = await db.selectFrom("alerts").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? fromDb(row) : null;
}
