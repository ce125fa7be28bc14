import { figuresOf, weeklyFiguresOf } from "./figures.ts";
import type { ValuesReport } from "./model.ts";

export const CSV_HEADER = [
  "value",
  "figure",
  "number",
  "unit",
  "week_start",
  "from",
  "to",
  "severity",
  "service",
  "team",
];

/**
 * The report as one RFC 4180 table (CRLF line ends, a header row), so a
 * spreadsheet or `csv.reader` reads it without sections to split:
 * - columns: value (all, detect, respond, recover, learn, improve), figure
 *   (e.g. `time_to_ack_p90`), number (empty when there is no data), unit
 *   (count, ratio, seconds), week_start, then the range and its filters
 *   (from, to, severity joined with `;`, service, team), repeated on every row
 *   so each row stands alone when filtered or pivoted;
 * - first one row per figure for the whole range (week_start empty), then the
 *   weekly trend: per week (oldest first) its seven figures, week_start set.
 * A field holding a comma, a double quote, CR or LF is quoted, its quotes
 * doubled. Text that a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or CR) gets a leading `'` (OWASP's CSV injection advice).
 */
export function valuesCsv(report: ValuesReport): string {
  const context = [
    report.from,
    report.to,
    text(report.filters.severity?.join(";") ?? ""),
    text(report.filters.service ?? ""),
    text(report.filters.team ?? ""),
  ];
  const rows: string[][] = [CSV_HEADER];
  for (const f of figuresOf(report)) {
    rows.push([f.value, f.figure, num(f.number), f.unit, "", ...context]);
  }
  for (const week of report.weekly) {
    for (const f of weeklyFiguresOf(week)) {
      rows.push([f.value, f.figure, num(f.number), f.unit, week.weekStart, ...context]);
    }
  }
  return rows.map((row) => `${row.map(field).join(",")}\r\n`).join("");
}

function num(n: number | null): string {
  return n === null ? "" : String(n);
}

function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
