import type { Phase } from "../../plan/schema.ts";
import { escapeHtml } from "../../shared/html.ts";
import type { ComponentStatus, IncidentImpact, Indicator, MaintenanceStatus } from "../model.ts";

/**
 * Words, times and small text helpers of the status page's HTML. Pages render
 * on every change and for every visitor of a served page, so anything built
 * from Intl is made once per time zone and reused; calendar days that the
 * snapshot already carries as YYYY-MM-DD (uptime bars) never go through Intl.
 */

export const e = escapeHtml;

export const STATUS_WORDS: Record<ComponentStatus, string> = {
  operational: "Operational",
  degraded_performance: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  under_maintenance: "Under maintenance",
};

export const PHASE_WORDS: Record<Phase, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};

export const MAINTENANCE_WORDS: Record<MaintenanceStatus, string> = {
  scheduled: "Scheduled",
  in_progress: "In progress",
  verifying: "Verifying",
  completed: "Completed",
};

export const IMPACT_WORDS: Record<IncidentImpact, string> = {
  none: "No impact",
  minor: "Minor impact",
  major: "Major impact",
  critical: "Critical impact",
};

/** Short CSS class of each status; the stylesheet gives each a colour and an icon. */
export type Tone = "ok" | "dg" | "po" | "mo" | "um" | "nd";

export const STATUS_TONE: Record<ComponentStatus, Tone> = {
  operational: "ok",
  degraded_performance: "dg",
  partial_outage: "po",
  major_outage: "mo",
  under_maintenance: "um",
};

export const INDICATOR_TONE: Record<Indicator, Tone> = {
  none: "ok",
  minor: "dg",
  major: "po",
  critical: "mo",
};

export const IMPACT_TONE: Record<IncidentImpact, Tone> = {
  none: "nd",
  minor: "dg",
  major: "po",
  critical: "mo",
};

/** Worst first: the order in which a day's time away from operational is listed. */
export const SEVERITY_ORDER: readonly ComponentStatus[] = [
  "major_outage",
  "partial_outage",
  "degraded_performance",
  "under_maintenance",
];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** User text as HTML paragraphs: blank lines separate paragraphs, single line breaks are kept. */
export function paragraphs(text: string): string {
  const parts = text
    .trim()
    .split(/(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)\s*/)
    .filter((part) => part !== "");
  return parts
    .map(
      (part) =>
        `<p>${part
          .split(/\r\n|\r|\n/)
          .map(e)
          .join("<br>")}</p>`,
    )
    .join("");
}

/** At most `max` characters (code points), with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const chars = Array.from(flat);
  return chars.length <= max
    ? chars.join("")
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}

interface Zone {
  /** Day, month, year, hour and minute, formatted as text: formatToParts and zone names cost several times more. */
  wall: Intl.DateTimeFormat;
  /** The zone's short name, by UTC offset in minutes: a zone has one or two, found once each. */
  names: Map<number, string>;
  timeZone: string;
}

const zones = new Map<string, Zone>();

function zoneOf(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    zone = makeZone(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}

function makeZone(timeZone: string): Zone {
  try {
    const wall = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    return { wall, names: new Map(), timeZone };
  } catch (error) {
    // An unknown zone must not take the public page down: times are then shown in UTC.
    if (timeZone === "UTC") throw error;
    return zoneOf("UTC");
  }
}

/** "WET", "GMT+9"; US English names US zones ("EST") where British English says "GMT-5". */
function zoneName(zone: Zone, instant: Date, offset: number): string {
  let name = zone.names.get(offset);
  if (name === undefined) {
    const nameIn = (locale: string) =>
      new Intl.DateTimeFormat(locale, { timeZone: zone.timeZone, timeZoneName: "short" })
        .formatToParts(instant)
        .find((p) => p.type === "timeZoneName")?.value ?? "";
    name = nameIn("en-GB");
    if (/^GMT[+-]/.test(name)) {
      const us = nameIn("en-US");
      if (us !== "" && !/^GMT/.test(us)) name = us;
    }
    zone.names.set(offset, name);
  }
  return name;
}

/** An instant as the page's time zone sees it. */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  time: string;
  /** "WET", "GMT+9" */
  zone: string;
}

const WALL = /^(\d{2})\D+(\d{2})\D+(\d{4})\D+(\d{2})\D+(\d{2})$/;

// Renders repeat the same instants (every visitor, every page of a snapshot): each is worked out once.
const MAX_REMEMBERED = 4096;
const remembered = new Map<string, LocalTime | null>();

export function localTime(iso: string, timeZone: string): LocalTime | null {
  const key = `${timeZone} ${iso}`;
  let local = remembered.get(key);
  if (local === undefined) {
    local = computeLocalTime(iso, timeZone);
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(key, local);
  }
  return local;
}

function computeLocalTime(iso: string, timeZone: string): LocalTime | null {
  const instant = new Date(iso);
  const ms = instant.getTime();
  if (Number.isNaN(ms)) return null;
  const zone = zoneOf(timeZone);
  const match = WALL.exec(zone.wall.format(instant));
  let day: string;
  let month: string;
  let year: string;
  let hour: string;
  let minute: string;
  if (match) {
    [, day, month, year, hour, minute] = match as unknown as [string, string, string, string, string, string];
  } else {
    const parts = Object.fromEntries(zone.wall.formatToParts(instant).map((p) => [p.type, p.value]));
    [day, month, year, hour, minute] = [parts.day, parts.month, parts.year, parts.hour, parts.minute].map(
      (v) => v ?? "00",
    ) as [string, string, string, string, string];
  }
  const wallMs = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
  const offset = Math.round((wallMs - (ms - (((ms % 60_000) + 60_000) % 60_000))) / 60_000);
  return {
    date: `${year}-${month}-${day}`,
    time: `${hour}:${minute}`,
    zone: zoneName(zone, instant, offset),
  };
}

/** The calendar day (YYYY-MM-DD) of an instant in the page's time zone, or "" when the time is not valid. */
export function localDate(iso: string, timeZone: string): string {
  return localTime(iso, timeZone)?.date ?? "";
}

/** "27 Nov 2026, 11:30 WET" */
export function formatTime(iso: string, timeZone: string): string {
  const local = localTime(iso, timeZone);
  return local === null ? iso : `${formatDate(local.date)}, ${local.time} ${local.zone}`;
}

/** A <time> element showing the instant in the page's time zone. */
export function timeTag(iso: string, timeZone: string): string {
  return `<time datetime="${e(iso)}">${e(formatTime(iso, timeZone))}</time>`;
}

/**
 * A maintenance window: "29 Nov 2026, 02:00 – 03:00 WET" when it starts and ends
 * on the same day in the same zone, both times in full otherwise.
 */
export function windowTags(from: string, until: string, timeZone: string): string {
  const start = localTime(from, timeZone);
  const end = localTime(until, timeZone);
  if (start === null || end === null) return `${timeTag(from, timeZone)} – ${timeTag(until, timeZone)}`;
  if (start.date === end.date && start.zone === end.zone) {
    return `<time datetime="${e(from)}">${formatDate(start.date)}, ${start.time}</time> – <time datetime="${e(until)}">${end.time} ${e(end.zone)}</time>`;
  }
  return `${timeTag(from, timeZone)} – ${timeTag(until, timeZone)}`;
}

/** "2026-11-27" → "27 Nov 2026", without Intl (it runs for every uptime bar). */
export function formatDate(date: string): string {
  let text = dates.get(date);
  if (text === undefined) {
    const month = MONTHS[Number(date.slice(5, 7)) - 1];
    text =
      month === undefined || date.length !== 10
        ? date
        : `${Number(date.slice(8, 10))} ${month} ${date.slice(0, 4)}`;
    if (dates.size >= MAX_REMEMBERED) dates.clear();
    dates.set(date, text);
  }
  return text;
}

const dates = new Map<string, string>();

/** "2026-11" → "November 2026" */
export function formatMonth(month: string): string {
  return `${LONG_MONTHS[Number(month.slice(5, 7)) - 1] ?? month.slice(5, 7)} ${month.slice(0, 4)}`;
}

/** A calendar day `days` days after `date` (negative: before). Plain calendar arithmetic, no zone involved. */
export function shiftDate(date: string, days: number): string {
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(ms + days * 86_400_000).toISOString().slice(0, 10);
}

/** A month as a single number (year × 12 + month index), so months can be counted and compared. */
export function monthIndex(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** The inverse of monthIndex: "YYYY-MM". */
export function monthOfIndex(index: number): string {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, "0")}-${String(index - year * 12 + 1).padStart(2, "0")}`;
}

/** "1 h 20 min", "35 min", "2 h"; anything above zero is at least "1 min". */
export function formatDuration(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  const hours = Math.floor(minutes / 60);
  const rest = minutes - hours * 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "99.93 % uptime": truncated, not rounded, so a day of outage never shows as 100. */
export function formatUptime(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return "No data";
  if (percent >= 100) return "100.0 % uptime";
  return `${(Math.floor(Math.max(0, percent) * 100) / 100).toFixed(2)} % uptime`;
}
