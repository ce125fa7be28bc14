import { describe, expect, it } from "vitest";
import { paramValue, reviewInvite } from "./invite.ts";
import { parseIcs, unescapeIcsText } from "./test-fixtures.ts";

const base = {
  method: "REQUEST" as const,
  reviewId: "0190b5c2-0000-7000-8000-000000000001",
  sequence: 0,
  start: new Date("2026-12-04T14:00:00.000Z"),
  minutes: 60,
  summary: "Post-incident review: INC-7 Card payments failing",
  description: "INC-7: Card payments failing\nhttp://runsheet.test/app/incidents/INC-7",
  meetingUrl: "https://meet.example.com/incident-review",
  organizer: { name: "Quillmark Status", email: "status@example.com" },
  attendees: [
    { name: "Marta Silva", email: "marta.silva@example.com" },
    { name: "Priya Nair", email: "priya.nair@example.com" },
  ],
  now: new Date("2026-11-27T03:00:12.345Z"),
};

const octets = (text: string) => Buffer.byteLength(text, "utf8");

function parse(ics: string) {
  expect(ics.endsWith("\r\n")).toBe(true);
  expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  return parseIcs(ics);
}

const prop = (ics: string, name: string) => parse(ics).filter((p) => p.name === name);

describe("reviewInvite", () => {
  it("is a REQUEST with one event: UID, DTSTAMP, SEQUENCE, UTC times, organizer and attendees", () => {
    const ics = reviewInvite(base);
    const lines = parse(ics);
    expect(lines.map((l) => l.name)).toEqual([
      "BEGIN",
      "VERSION",
      "PRODID",
      "CALSCALE",
      "METHOD",
      "BEGIN",
      "UID",
      "DTSTAMP",
      "SEQUENCE",
      "DTSTART",
      "DTEND",
      "SUMMARY",
      "DESCRIPTION",
      "LOCATION",
      "URL",
      "ORGANIZER",
      "ATTENDEE",
      "ATTENDEE",
      "STATUS",
      "TRANSP",
      "END",
      "END",
    ]);
    expect(prop(ics, "METHOD")[0]!.value).toBe("REQUEST");
    expect(prop(ics, "UID")[0]!.value).toBe(`review-${base.reviewId}@runsheet`);
    expect(prop(ics, "DTSTAMP")[0]!.value).toBe("20261127T030012Z");
    expect(prop(ics, "SEQUENCE")[0]!.value).toBe("0");
    expect(prop(ics, "DTSTART")[0]!.value).toBe("20261204T140000Z");
    expect(prop(ics, "DTEND")[0]!.value).toBe("20261204T150000Z");
    expect(prop(ics, "STATUS")[0]!.value).toBe("CONFIRMED");
    expect(prop(ics, "LOCATION")[0]!.value).toBe("https://meet.example.com/incident-review");
    expect(prop(ics, "URL")[0]!.value).toBe("https://meet.example.com/incident-review");
    expect(prop(ics, "ORGANIZER")[0]).toEqual({
      name: "ORGANIZER",
      params: ['CN="Quillmark Status"'],
      value: "mailto:status@example.com",
    });
    expect(prop(ics, "ATTENDEE")).toEqual(
      base.attendees.map((a) => ({
        name: "ATTENDEE",
        params: [`CN="${a.name}"`, "ROLE=REQ-PARTICIPANT", "PARTSTAT=NEEDS-ACTION", "RSVP=TRUE"],
        value: `mailto:${a.email}`,
      })),
    );
    expect(unescapeIcsText(prop(ics, "DESCRIPTION")[0]!.value)).toBe(base.description);
  });

  it("keeps the UID when the meeting moves, with the higher SEQUENCE", () => {
    const moved = reviewInvite({ ...base, sequence: 1, start: new Date("2026-12-03T10:30:00.000Z") });
    expect(prop(moved, "UID")[0]!.value).toBe(prop(reviewInvite(base), "UID")[0]!.value);
    expect(prop(moved, "SEQUENCE")[0]!.value).toBe("1");
    expect(prop(moved, "DTSTART")[0]!.value).toBe("20261203T103000Z");
    expect(prop(moved, "DTEND")[0]!.value).toBe("20261203T113000Z");
  });

  it("cancels with METHOD:CANCEL and STATUS:CANCELLED", () => {
    const ics = reviewInvite({ ...base, method: "CANCEL", sequence: 2 });
    expect(prop(ics, "METHOD")[0]!.value).toBe("CANCEL");
    expect(prop(ics, "STATUS")[0]!.value).toBe("CANCELLED");
  });

  it("leaves LOCATION and URL out without a meeting link, and CN out without a name", () => {
    const ics = reviewInvite({
      ...base,
      meetingUrl: null,
      attendees: [{ email: "ops@example.com" }],
    });
    expect(prop(ics, "LOCATION")).toEqual([]);
    expect(prop(ics, "URL")).toEqual([]);
    expect(prop(ics, "ATTENDEE")[0]!.params[0]).toBe("ROLE=REQ-PARTICIPANT");
  });

  it("escapes text values and quotes names, so commas, semicolons, colons and newlines stay inside", () => {
    const ics = reviewInvite({
      ...base,
      summary: "Review: INC-7 Payments; cards, \\ wallets",
      description: "Line one\r\nLine two, with; punctuation\u0007",
      attendees: [{ name: 'Silva, Marta; "MIM": ops', email: "marta.silva@example.com" }],
    });
    expect(prop(ics, "SUMMARY")[0]!.value).toBe("Review: INC-7 Payments\\; cards\\, \\\\ wallets");
    expect(unescapeIcsText(prop(ics, "SUMMARY")[0]!.value)).toBe("Review: INC-7 Payments; cards, \\ wallets");
    expect(prop(ics, "DESCRIPTION")[0]!.value).toBe("Line one\\nLine two\\, with\\; punctuation");
    const attendee = prop(ics, "ATTENDEE")[0]!;
    expect(attendee.params[0]).toBe(`CN="Silva, Marta; 'MIM': ops"`);
    expect(attendee.value).toBe("mailto:marta.silva@example.com");
    expect(paramValue("a\nb")).toBe('"a b"');
  });

  it("folds long lines at 75 octets without splitting a character", () => {
    const title = "Пошкоджені платежі 🚨 картки — 夜勤 — ".repeat(6);
    const ics = reviewInvite({
      ...base,
      summary: title,
      attendees: Array.from({ length: 3 }, (_, i) => ({
        name: `Участник номер ${i} с очень длинным именем`,
        email: `p${i}@example.com`,
      })),
    });
    const raw = ics.split("\r\n").slice(0, -1);
    expect(raw.filter((l) => l.startsWith(" ")).length).toBeGreaterThan(5);
    for (const line of raw) {
      expect(octets(line)).toBeLessThanOrEqual(75);
      expect(Buffer.from(line, "utf8").toString("utf8")).toBe(line);
    }
    expect(prop(ics, "SUMMARY")[0]!.value).toBe(title);
    expect(prop(ics, "ATTENDEE")).toHaveLength(3);
  });
});
