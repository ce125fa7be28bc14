/**
 * How reviews' times read in timeline entries and emails: in the
 * organization's zone, named, in plain ASCII words ("Friday 4 December 2026,
 * 14:00 to 15:00 (Europe/Lisbon)"). Calendar apps show the invite itself in
 * each person's own zone.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formats.set(timeZone, format);
  }
  return format;
}

function partsOf(iso: string, timeZone: string) {
  const parts = formatFor(timeZone).formatToParts(new Date(iso));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    day: `${get("weekday")} ${get("day")} ${get("month")} ${get("year")}`,
    time: `${get("hour")}:${get("minute")}`,
  };
}

/** "Friday 4 December 2026" */
export function dayInWords(iso: string, timeZone: string): string {
  return partsOf(iso, timeZone).day;
}

/** "Friday 4 December 2026, 14:00 to 15:00 (Europe/Lisbon)" */
export function meetingInWords(iso: string, minutes: number, timeZone: string): string {
  const start = partsOf(iso, timeZone);
  const end = partsOf(new Date(Date.parse(iso) + minutes * 60_000).toISOString(), timeZone);
  const until = end.day === start.day ? end.time : `${end.day}, ${end.time}`;
  return `${start.day}, ${start.time} to ${until} (${timeZone})`;
}

/** "by the end of Friday 4 December 2026 (Europe/Lisbon)" */
export function dueInWords(iso: string, timeZone: string): string {
  return `by the end of ${dayInWords(iso, timeZone)} (${timeZone})`;
}
