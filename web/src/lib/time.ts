/**
 * Times are stored in UTC and shown in the viewer's time zone; the UTC time is
 * on hover. Durations are in words, at most two units: "2 hours 5 minutes".
 */
const UNITS = [
  { name: "day", ms: 86_400_000 },
  { name: "hour", ms: 3_600_000 },
  { name: "minute", ms: 60_000 },
  { name: "second", ms: 1_000 },
] as const;

export function durationInWords(ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 1000) * 1000);
  const parts: string[] = [];
  for (const unit of UNITS) {
    const count = Math.floor(rest / unit.ms);
    if (count > 0 || parts.length > 0) {
      if (count > 0) parts.push(`${count} ${unit.name}${count === 1 ? "" : "s"}`);
      rest -= count * unit.ms;
      if (parts.length === 2 || (parts.length === 1 && count === 0)) break;
    }
  }
  // A duration past a minute drops its seconds: nobody needs "3 minutes 12 seconds" at 3 a.m.
  if (parts.length === 2 && parts[1]?.endsWith("seconds") && ms >= 120_000) parts.pop();
  return parts.length === 0 ? "less than a second" : parts.join(" ");
}

export function between(fromIso: string, to: Date | string): number {
  const end = typeof to === "string" ? Date.parse(to) : to.getTime();
  return end - Date.parse(fromIso);
}

export function formatLocal(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}

/** The same day as `now` shows the time only. */
export function formatShort(iso: string, now: Date, timeZone?: string): string {
  const date = new Date(iso);
  const day = (d: Date) =>
    new Intl.DateTimeFormat("en-CA", { dateStyle: "short", ...(timeZone ? { timeZone } : {}) }).format(d);
  const options: Intl.DateTimeFormatOptions =
    day(date) === day(now) ? { timeStyle: "short" } : { dateStyle: "medium", timeStyle: "short" };
  return new Intl.DateTimeFormat(undefined, { ...options, ...(timeZone ? { timeZone } : {}) }).format(date);
}

export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** A `datetime-local` value (the viewer's wall-clock time) as a UTC ISO string; "" stays undefined. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A UTC ISO string as a `datetime-local` value in the viewer's time zone. */
export function isoToLocalInput(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const PLAN_UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A plan duration ("20m", "1h30m", "2d") in words; the text itself when it is not one. */
export function planDurationInWords(text: string): string {
  if (!/^(?:\d+[smhd])+$/.test(text)) return text;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhd])/g))
    ms += Number(amount) * (PLAN_UNIT_MS[unit ?? "s"] ?? 0);
  return durationInWords(ms);
}
