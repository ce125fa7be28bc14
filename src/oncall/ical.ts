import { createHash } from "node:crypto";
import type { Schedule, Shift } from "./schedule.ts";

/**
 * iCalendar feeds (RFC 5545) of on-call shifts, for calendar apps to
 * subscribe to: one per schedule (who is on call) and one per user (when am I
 * on call, across schedules). Times are written in UTC, so no VTIMEZONE is
 * needed. Gaps nobody covers are not events.
 */

export interface ScheduleIcsInput {
  schedule: Pick<Schedule, "id" | "name"> & { layers?: ReadonlyArray<{ id: string; name: string }> };
  /** Usually `coverage()` over the feed's window. */
  shifts: readonly Shift[];
  /** Display names by user id; a user without one is shown by id. */
  userNames: ReadonlyMap<string, string>;
  /** e.g. "-//Runsheet//On-call 0.1//EN". */
  prodId: string;
  /** The schedule's page, linked from the calendar and every event. */
  url?: string;
  /** The feed's generation time (DTSTAMP), from the caller's clock. */
  now: Date;
}

export interface UserIcsEntry {
  schedule: { id: string; name: string };
  shift: Shift;
}

export interface UserIcsInput {
  userId: string;
  userName: string;
  /** Shifts of this user, e.g. `userShifts()` of each schedule they are in. */
  entries: readonly UserIcsEntry[];
  prodId: string;
  now: Date;
}

/** The schedule's feed: one event per shift somebody holds, titled with who is on call. */
export function scheduleIcs(input: ScheduleIcsInput): string {
  const { schedule } = input;
  const layerNames = new Map((schedule.layers ?? []).map((layer) => [layer.id, layer.name]));
  const events: string[][] = [];
  for (const shift of input.shifts) {
    if (shift.userId === null) continue;
    const name = input.userNames.get(shift.userId) ?? shift.userId;
    const via =
      shift.source.kind === "override"
        ? "override"
        : shift.source.kind === "layer"
          ? `layer ${layerNames.get(shift.source.layerId) ?? shift.source.layerId}`
          : undefined;
    const event = vevent({
      uid: uid("schedule", schedule.id, shift),
      now: input.now,
      shift,
      summary: `On call: ${name}`,
      description: via ? `${schedule.name} (${via})` : schedule.name,
      url: input.url,
    });
    if (event) events.push(event);
  }
  return vcalendar({
    prodId: input.prodId,
    name: `${schedule.name} on call`,
    url: input.url,
    events,
  });
}

/** A user's feed: one event per shift of theirs, titled with the schedule. */
export function userIcs(input: UserIcsInput): string {
  const events: string[][] = [];
  for (const { schedule, shift } of input.entries) {
    if (shift.userId === null) continue;
    const event = vevent({
      uid: uid("user", schedule.id, shift),
      now: input.now,
      shift,
      summary: `On call for ${schedule.name}`,
      description: shift.source.kind === "override" ? `${input.userName} (override)` : input.userName,
    });
    if (event) events.push(event);
  }
  return vcalendar({ prodId: input.prodId, name: `${input.userName} on call`, events });
}

function vcalendar(input: {
  prodId: string;
  name: string;
  url?: string | undefined;
  events: string[][];
}): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${escapeText(input.prodId)}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(input.name)}`,
    // Calendar apps poll subscriptions at their own pace unless told; on-call changes matter within the hour.
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    "X-PUBLISHED-TTL:PT1H",
    ...(input.url ? [`URL:${input.url}`] : []),
    ...input.events.flat(),
    "END:VCALENDAR",
  ];
  return lines.map((line) => `${fold(line)}\r\n`).join("");
}

function vevent(input: {
  uid: string;
  now: Date;
  shift: Shift;
  summary: string;
  description: string;
  url?: string | undefined;
}): string[] | undefined {
  const start = utcStamp(Date.parse(input.shift.start));
  const end = utcStamp(Date.parse(input.shift.end));
  // A sub-second stretch rounds to nothing; an event may not end where it starts.
  if (end <= start) return undefined;
  return [
    "BEGIN:VEVENT",
    `UID:${input.uid}`,
    `DTSTAMP:${utcStamp(input.now.getTime())}`,
    `DTSTART:${start}`,
    `DTEND:${end}`,
    `SUMMARY:${escapeText(input.summary)}`,
    `DESCRIPTION:${escapeText(input.description)}`,
    ...(input.url ? [`URL:${input.url}`] : []),
    // Being on call is not being busy: keep free/busy lookups free.
    "TRANSP:TRANSPARENT",
    "END:VEVENT",
  ];
}

/**
 * Stable for the same shift in the same feed: the schedule, the user and the
 * start, but not the end, so a shift shortened by a new override updates the
 * event in calendar apps instead of adding another.
 */
function uid(feed: "schedule" | "user", scheduleId: string, shift: Shift): string {
  const hash = createHash("sha256")
    .update(JSON.stringify([feed, scheduleId, shift.userId, Date.parse(shift.start)]))
    .digest("hex");
  return `${hash.slice(0, 32)}@runsheet`;
}

/** 20261127T090000Z */
export function utcStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

/** TEXT values: backslash, semicolon, comma and newlines escaped; other control characters dropped. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(/(?!\t)\p{Cc}/gu, "");
}

/** Lines longer than 75 octets continue on lines that start with a space, never splitting a character. */
export function fold(line: string): string {
  const parts: string[] = [];
  let current = "";
  let size = 0;
  let limit = 75;
  for (const char of line) {
    const octets = utf8Length(char.codePointAt(0)!);
    if (size + octets > limit) {
      parts.push(current);
      current = "";
      size = 0;
      limit = 74; // the leading space counts
    }
    current += char;
    size += octets;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}
