import { escapeText, fold, utcStamp } from "../../oncall/ical.ts";

/**
 * The review meeting as an iCalendar scheduling message (RFC 5545, with the
 * iTIP methods of RFC 5546): REQUEST invites the attendees (again, with a
 * higher SEQUENCE, when the meeting moves), CANCEL takes it out of their
 * calendars. The UID is the review's own, so every message updates the same
 * event. Times are UTC, so no VTIMEZONE is needed. Folding and text escaping
 * are the on-call feeds' (oncall/ical.ts).
 */
export interface InviteInput {
  method: "REQUEST" | "CANCEL";
  reviewId: string;
  /** Raised each time the meeting moves or is cancelled. */
  sequence: number;
  start: Date;
  minutes: number;
  summary: string;
  description: string;
  /** The meeting's link (video call or room). */
  meetingUrl?: string | null | undefined;
  organizer: Person;
  attendees: readonly Person[];
  /** When the message was made (DTSTAMP), from the caller's clock. */
  now: Date;
}

export interface Person {
  name?: string | null | undefined;
  email: string;
}

export const INVITE_PROD_ID = "-//Runsheet//Post-incident review//EN";

export function reviewUid(reviewId: string): string {
  return `review-${reviewId}@runsheet`;
}

export function reviewInvite(input: InviteInput): string {
  const start = input.start.getTime();
  const cancelled = input.method === "CANCEL";
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${INVITE_PROD_ID}`,
    "CALSCALE:GREGORIAN",
    `METHOD:${input.method}`,
    "BEGIN:VEVENT",
    `UID:${reviewUid(input.reviewId)}`,
    `DTSTAMP:${utcStamp(input.now.getTime())}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTART:${utcStamp(start)}`,
    `DTEND:${utcStamp(start + input.minutes * 60_000)}`,
    `SUMMARY:${escapeText(input.summary)}`,
    `DESCRIPTION:${escapeText(input.description)}`,
    ...(input.meetingUrl
      ? [`LOCATION:${escapeText(input.meetingUrl)}`, `URL:${uriValue(input.meetingUrl)}`]
      : []),
    `ORGANIZER${cn(input.organizer)}:${mailto(input.organizer.email)}`,
    ...input.attendees.map(
      (a) => `ATTENDEE${cn(a)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:${mailto(a.email)}`,
    ),
    `STATUS:${cancelled ? "CANCELLED" : "CONFIRMED"}`,
    "TRANSP:OPAQUE",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map((line) => `${fold(line)}\r\n`).join("");
}

/**
 * A parameter value (CN) is always quoted: a quoted-string may hold ; : and ,
 * but no DQUOTE or control character, so those are dropped.
 */
export function paramValue(text: string): string {
  return `"${text.replace(/"/g, "'").replace(/\p{Cc}/gu, " ")}"`;
}

function cn(person: Person): string {
  const name = person.name?.trim();
  return name ? `;CN=${paramValue(name)}` : "";
}

/** CAL-ADDRESS and URI values are not TEXT: no escaping, but nothing that would break the line. */
function uriValue(text: string): string {
  return text.replace(/[\p{Cc}\s]/gu, "");
}

function mailto(email: string): string {
  return `mailto:${uriValue(email)}`;
}
