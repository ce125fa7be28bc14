import { describe, expect, it } from "vitest";
import { computeValues } from "./compute.ts";
import { CSV_HEADER, valuesCsv } from "./csv.ts";
import { buildAction, buildIncident } from "./test-fixtures.ts";

/** An RFC 4180 reader, written for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"' && field === "") {
      quoted = true;
      i++;
    } else if (ch === ",") {
      row.push(field);
      field = "";
      i++;
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 2;
    } else {
      if (ch === '"' || ch === "\n" || ch === "\r") throw new Error(`stray ${JSON.stringify(ch)} at ${i}`);
      field += ch;
      i++;
    }
  }
  if (field !== "" || row.length > 0) throw new Error("the last record has no CRLF");
  return rows;
}

const RANGE = { from: "2026-11-02T00:00:00Z", to: "2026-11-16T00:00:00Z", now: "2026-11-20T00:00:00Z" };
const TEAM = 'Ops, "core"\nnights';

function report(team = TEAM) {
  const incidents = [
    buildIncident({
      team,
      severity: "SEV1",
      components: ["api"],
      detectedBy: "monitoring",
      impactStartedAt: "2026-11-03T09:58:00Z",
      declaredAt: "2026-11-03T10:00:00Z",
      firstPageAt: "2026-11-03T10:00:00Z",
      firstAckAt: "2026-11-03T10:05:00Z",
    }),
    buildIncident({ team, severity: "SEV1", components: ["api"], declaredAt: "2026-11-10T10:00:00Z" }),
  ];
  const actions = [
    buildAction(incidents[0]!, { dueAt: "2026-11-04T00:00:00Z", closedAt: "2026-11-05T00:00:00Z" }),
  ];
  return computeValues(incidents, actions, { ...RANGE, severity: ["SEV1", "SEV2"], service: "api", team });
}

describe("valuesCsv", () => {
  it("quotes fields with commas, quotes and line breaks, doubling the quotes", () => {
    const csv = valuesCsv(report());
    expect(csv).toContain(',"Ops, ""core""\nnights"\r\n');
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(CSV_HEADER);
    for (const row of rows) expect(row).toHaveLength(CSV_HEADER.length);
    for (const row of rows.slice(1)) {
      expect(row.slice(5)).toEqual([
        "2026-11-02T00:00:00.000Z",
        "2026-11-16T00:00:00.000Z",
        "SEV1;SEV2",
        "api",
        TEAM,
      ]);
    }
  });

  it("writes one row per range figure, then seven per week, null as an empty cell", () => {
    const rows = parseCsv(valuesCsv(report())).slice(1);
    const range = rows.filter((r) => r[4] === "");
    const weekly = rows.filter((r) => r[4] !== "");
    expect(range.map((r) => `${r[0]}.${r[1]}`)).toEqual([
      "all.incidents",
      ...["monitoring", "customer", "employee", "monitoring_share", "customer_share"].map(
        (f) => `detect.${f}`,
      ),
      ...["count", "p50", "p90"].map((q) => `detect.time_to_detect_${q}`),
      "respond.paged",
      "respond.acknowledged",
      ...["count", "p50", "p90"].map((q) => `respond.time_to_ack_${q}`),
      ...["count", "p50", "p90"].map((q) => `respond.time_to_first_update_${q}`),
      "respond.cadence_updates",
      "respond.on_cadence",
      "respond.cadence_share",
      ...["count", "p50", "p90"].map((q) => `recover.time_to_mitigate_${q}`),
      ...["count", "p50", "p90"].map((q) => `recover.time_to_resolve_${q}`),
      "recover.unresolved",
      ...["reviews_required", "reviews_on_time", "reviews_late", "reviews_pending"].map((f) => `learn.${f}`),
      ...["review_on_time_share", "postmortems_published", "postmortem_share"].map((f) => `learn.${f}`),
      ...["actions_due", "actions_on_time", "actions_late", "actions_open_past_due"].map(
        (f) => `improve.${f}`,
      ),
      ...["actions_on_time_share", "repeats", "repeat_share"].map((f) => `improve.${f}`),
    ]);
    expect(weekly).toHaveLength(2 * 7);
    expect(rows.indexOf(weekly[0]!)).toBe(range.length); // the weekly rows come after
    const cell = (value: string, figure: string, week = "") =>
      rows.filter((r) => r[0] === value && r[1] === figure && r[4] === week).map((r) => [r[2], r[3]]);
    expect(cell("all", "incidents")).toEqual([["2", "count"]]);
    expect(cell("detect", "monitoring_share")).toEqual([["0.5", "ratio"]]);
    expect(cell("detect", "time_to_detect_p90")).toEqual([["120", "seconds"]]);
    expect(cell("respond", "time_to_ack_p50")).toEqual([["300", "seconds"]]);
    expect(cell("respond", "cadence_share")).toEqual([["", "ratio"]]);
    expect(cell("improve", "actions_late")).toEqual([["1", "count"]]);
    expect(cell("improve", "actions_on_time_share")).toEqual([["0", "ratio"]]);
    expect(cell("respond", "time_to_ack_p50", "2026-11-02T00:00:00.000Z")).toEqual([["300", "seconds"]]);
    expect(cell("respond", "time_to_ack_p50", "2026-11-09T00:00:00.000Z")).toEqual([["", "seconds"]]);
    expect(cell("all", "incidents", "2026-11-09T00:00:00.000Z")).toEqual([["1", "count"]]);
    expect(new Set(rows.map((r) => r[0]))).toEqual(
      new Set(["all", "detect", "respond", "recover", "learn", "improve"]),
    );
    expect(new Set(rows.map((r) => r[3]))).toEqual(new Set(["count", "ratio", "seconds"]));
  });

  it("ends every record with CRLF and leaves plain fields unquoted", () => {
    const csv = valuesCsv(report("core"));
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.split("\r\n")[0]).toBe("value,figure,number,unit,week_start,from,to,severity,service,team");
    expect(csv).not.toMatch(/[^\r]\n/);
    expect(csv).not.toContain('"');
  });

  it("quotes a field whose only special character is a line break", () => {
    const csv = valuesCsv(report("ops\nnights"));
    expect(csv).toContain(',"ops\nnights"\r\n');
    expect(parseCsv(csv)[1]![9]).toBe("ops\nnights");
  });

  it("defuses text a spreadsheet would run as a formula", () => {
    const rows = parseCsv(valuesCsv(report('=HYPERLINK("http://x.example","y")')));
    expect(rows[1]![9]).toBe(`'=HYPERLINK("http://x.example","y")`);
    expect(parseCsv(valuesCsv(report("@ops")))[1]![9]).toBe("'@ops");
    expect(parseCsv(valuesCsv(report("ops-east")))[1]![9]).toBe("ops-east");
  });
});
