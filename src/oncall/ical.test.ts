import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeText, fold } from "./ical.ts";
import { coverage, type Shift, scheduleIcs, userIcs } from "./index.ts";
import { buildLayer, buildSchedule } from "./test-fixtures.ts";

const PROD_ID = "-//Runsheet//On-call//EN";
const NOW = new Date("2026-11-20T12:34:56.789Z");

const schedule = buildSchedule({
  name: "Payments primary",
  layers: [
    buildLayer({
      id: "business",
      name: "Business hours",
      members: ["ana", "ben"],
      restrictions: [{ type: "daily", start: "09:00", end: "17:00" }],
    }),
  ],
});
const shifts = coverage(schedule, new Date("2026-11-26T23:00:00Z"), new Date("2026-11-28T23:00:00Z"));
const names = new Map([
  ["ana", "Ana Lima"],
  ["ben", "Ben Okafor"],
]);

const octets = (text: string) => Buffer.byteLength(text, "utf8");
const unfold = (ics: string) => ics.replace(/\r\n /g, "");
const events = (ics: string) => ics.split("BEGIN:VEVENT").length - 1;
const values = (ics: string, name: string) =>
  unfold(ics)
    .split("\r\n")
    .filter((line) => line.startsWith(`${name}:`))
    .map((line) => line.slice(name.length + 1));

describe("scheduleIcs", () => {
  const ics = scheduleIcs({
    schedule,
    shifts,
    userNames: names,
    prodId: PROD_ID,
    url: "https://runsheet.example.com/oncall/payments",
    now: NOW,
  });

  it("is a published Gregorian VCALENDAR with a name", () => {
    const lines = ics.split("\r\n");
    expect(lines.slice(0, 6)).toEqual([
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      `PRODID:${PROD_ID}`,
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:Payments primary on call",
    ]);
    expect(lines.at(-2)).toBe("END:VCALENDAR");
  });

  it("ends every line with CRLF and has no bare LF or CR", () => {
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("has one event per shift somebody holds, none for the gaps, in UTC", () => {
    expect(shifts.some((s) => s.userId === null)).toBe(true);
    expect(events(ics)).toBe(shifts.filter((s) => s.userId !== null).length);
    expect(events(ics)).toBe(2);
    // Business hours 09:00-17:00 CET on 2026-11-27 and 2026-11-28.
    expect(values(ics, "DTSTART")).toEqual(["20261127T080000Z", "20261128T080000Z"]);
    expect(values(ics, "DTEND")).toEqual(["20261127T160000Z", "20261128T160000Z"]);
    expect(values(ics, "DTSTAMP")).toEqual(["20261120T123456Z", "20261120T123456Z"]);
    // 2026-11-27 is shift 326 from 2026-01-05: ana's (326 mod 2 = 0).
    expect(values(ics, "SUMMARY")).toEqual(["On call: Ana Lima", "On call: Ben Okafor"]);
    expect(values(ics, "DESCRIPTION")[0]).toBe("Payments primary (layer Business hours)");
    expect(values(ics, "URL")).toHaveLength(3);
  });

  it("shows a user without a name by id", () => {
    const other = scheduleIcs({ schedule, shifts, userNames: new Map(), prodId: PROD_ID, now: NOW });
    expect(values(other, "SUMMARY")).toEqual(["On call: ana", "On call: ben"]);
    expect(values(other, "URL")).toEqual([]);
  });

  it("keeps an event's UID when the feed is rendered again later, over another window, or the shift ends earlier", () => {
    const later = scheduleIcs({
      schedule,
      shifts: coverage(schedule, new Date("2026-11-27T06:00:00Z"), new Date("2026-11-27T12:00:00Z")).map(
        (s) => s,
      ),
      userNames: names,
      prodId: PROD_ID,
      now: new Date("2026-11-27T06:00:00Z"),
    });
    const uids = values(ics, "UID");
    expect(uids).toHaveLength(2);
    expect(new Set(uids).size).toBe(2);
    expect(values(later, "UID")).toEqual([uids[0]]);
    expect(uids[0]).toMatch(/^[0-9a-f]{32}@runsheet$/);
  });

  it("gives another UID to another user, start or schedule", () => {
    const shift: Shift = {
      userId: "ana",
      start: "2026-11-27T08:00:00.000Z",
      end: "2026-11-27T16:00:00.000Z",
      source: { kind: "layer", layerId: "business" },
    };
    const uidOf = (s: Shift, id = schedule.id) =>
      values(
        scheduleIcs({
          schedule: { ...schedule, id },
          shifts: [s],
          userNames: names,
          prodId: PROD_ID,
          now: NOW,
        }),
        "UID",
      )[0];
    const base = uidOf(shift);
    expect(uidOf({ ...shift })).toBe(base);
    expect(uidOf({ ...shift, end: "2026-11-27T12:00:00.000Z" })).toBe(base);
    expect(uidOf({ ...shift, userId: "ben" })).not.toBe(base);
    expect(uidOf({ ...shift, start: "2026-11-27T09:00:00.000Z" })).not.toBe(base);
    expect(uidOf(shift, "other")).not.toBe(base);
  });
});

describe("userIcs", () => {
  it("titles each shift with its schedule and skips gaps", () => {
    const ics = userIcs({
      userId: "ana",
      userName: "Ana Lima",
      entries: [
        ...shifts.map((shift) => ({ schedule: { id: schedule.id, name: schedule.name }, shift })),
        {
          schedule: { id: "db", name: "Database, secondary" },
          shift: {
            userId: "ana",
            start: "2026-12-01T00:00:00.000Z",
            end: "2026-12-02T00:00:00.000Z",
            source: { kind: "override", overrideId: "o1" },
          },
        },
      ],
      prodId: PROD_ID,
      now: NOW,
    });
    expect(values(ics, "X-WR-CALNAME")).toEqual(["Ana Lima on call"]);
    expect(events(ics)).toBe(3);
    expect(values(ics, "SUMMARY")).toEqual([
      "On call for Payments primary",
      "On call for Payments primary",
      "On call for Database\\, secondary",
    ]);
    expect(values(ics, "DESCRIPTION")[2]).toBe("Ana Lima (override)");
  });

  it("does not share UIDs with the schedule's feed", () => {
    const entries = shifts.map((shift) => ({ schedule: { id: schedule.id, name: schedule.name }, shift }));
    const mine = values(
      userIcs({ userId: "ana", userName: "Ana", entries, prodId: PROD_ID, now: NOW }),
      "UID",
    );
    const theirs = values(
      scheduleIcs({ schedule, shifts, userNames: names, prodId: PROD_ID, now: NOW }),
      "UID",
    );
    expect(mine.filter((uid) => theirs.includes(uid))).toEqual([]);
  });
});

describe("text and lines", () => {
  it("escapes backslash, semicolon, comma and newlines, and drops other control characters", () => {
    expect(escapeText('Ana; "Lima", \\ ops\nteam\r\nnight\rshift\u0007\tok')).toBe(
      'Ana\\; "Lima"\\, \\\\ ops\\nteam\\nnight\\nshift\tok',
    );
    const ics = scheduleIcs({
      schedule: { id: "x", name: "Pay;ments, EU" },
      shifts: [shifts.find((s) => s.userId)!],
      userNames: new Map([[shifts.find((s) => s.userId)!.userId!, "Ana\\Lima\nTeam"]]),
      prodId: PROD_ID,
      now: NOW,
    });
    expect(values(ics, "SUMMARY")).toEqual(["On call: Ana\\\\Lima\\nTeam"]);
    expect(values(ics, "X-WR-CALNAME")).toEqual(["Pay\\;ments\\, EU on call"]);
  });

  it("folds a long multibyte name at 75 octets without splitting a character", () => {
    const name = "Анастасия Лима-Соколова 🚨 ночная смена — 夜勤 — 𝒜𝓃𝒶 ".repeat(3);
    const ics = scheduleIcs({
      schedule,
      shifts,
      userNames: new Map([
        ["ana", name],
        ["ben", name],
      ]),
      prodId: PROD_ID,
      now: NOW,
    });
    const lines = ics.split("\r\n").slice(0, -1);
    const continued = lines.filter((line) => line.startsWith(" "));
    expect(continued.length).toBeGreaterThan(4);
    for (const line of lines) {
      expect(octets(line)).toBeLessThanOrEqual(75);
      // A split surrogate pair would not survive a round trip through UTF-8.
      expect(Buffer.from(line, "utf8").toString("utf8")).toBe(line);
    }
    // Lines are filled: a folded line is cut only when the next character would not fit.
    const summaryStart = lines.findIndex((line) => line.startsWith("SUMMARY:"));
    expect(octets(lines[summaryStart]!)).toBeGreaterThan(71);
    expect(values(ics, "SUMMARY")[0]).toBe(`On call: ${escapeText(name)}`);
  });

  it("fills folded ASCII lines to exactly 75 octets, the leading space included", () => {
    const folded = fold(`SUMMARY:${"x".repeat(200)}`).split("\r\n");
    expect(folded.map(octets)).toEqual([75, 75, 60]);
    expect(folded.slice(1).every((line) => line.startsWith(" x"))).toBe(true);
    expect(fold("SUMMARY:short")).toBe("SUMMARY:short");
  });

  it("folds any text so that unfolding gives it back, lines at most 75 octets", () => {
    // 1- to 4-octet characters, and characters that escaping doubles.
    const unit = fc.constantFrom("a", "Z", " ", "é", "ж", "€", "夜", "🚨", "𝒜", ",", ";", "\\", "\n");
    const texts = fc.oneof(
      fc.string({ unit: "binary", maxLength: 400, size: "max" }),
      fc.string({ unit, maxLength: 400, size: "max" }),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const line = `SUMMARY:${escapeText(text)}`;
        const folded = fold(line);
        const parts = folded.split("\r\n");
        for (const [i, part] of parts.entries()) {
          expect(octets(part)).toBeLessThanOrEqual(75);
          if (i > 0) expect(part.startsWith(" ")).toBe(true);
          if (i > 0) expect(part.length).toBeGreaterThan(1);
        }
        expect(folded.replace(/\r\n /g, "")).toBe(line);
      }),
      { numRuns: 300 },
    );
  });
});
