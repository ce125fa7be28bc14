import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reviewSchedule } from "./business-days.ts";

const WEEK = ["mon", "tue", "wed", "thu", "fri"] as const;
const rules = (overrides: Partial<Parameters<typeof reviewSchedule>[0]["rules"]> = {}) => ({
  within_business_days: 5,
  business_days: [...WEEK] as Array<(typeof WEEK)[number] | "sat" | "sun">,
  meeting_time: "14:00",
  meeting_length: "1h",
  ...overrides,
});

describe("reviewSchedule", () => {
  it("counts five business days over a weekend, ending at local midnight", () => {
    // Friday 03:00 in Lisbon (UTC+0 in winter).
    expect(
      reviewSchedule({ resolvedAt: "2026-11-27T03:00:00.000Z", rules: rules(), timezone: "Europe/Lisbon" }),
    ).toEqual({
      dueAt: "2026-12-04T23:59:59.999Z",
      meetingAt: "2026-12-04T14:00:00.000Z",
      meetingMinutes: 60,
    });
  });

  it("starts counting on Monday after a weekend resolution", () => {
    const s = reviewSchedule({
      resolvedAt: "2026-11-28T12:00:00.000Z",
      rules: rules({ within_business_days: 1, meeting_length: "1h30m" }),
      timezone: "Europe/Lisbon",
    });
    expect(s).toEqual({
      dueAt: "2026-11-30T23:59:59.999Z",
      meetingAt: "2026-11-30T14:00:00.000Z",
      meetingMinutes: 90,
    });
  });

  it("keeps local midnight and the local meeting time across the spring DST change", () => {
    // Lisbon moves from UTC+0 to UTC+1 on Sunday 2027-03-28.
    expect(
      reviewSchedule({
        resolvedAt: "2027-03-26T10:00:00.000Z",
        rules: rules(),
        timezone: "Europe/Lisbon",
      }),
    ).toMatchObject({ dueAt: "2027-04-02T22:59:59.999Z", meetingAt: "2027-04-02T13:00:00.000Z" });
    expect(
      reviewSchedule({
        resolvedAt: "2027-03-25T10:00:00.000Z",
        rules: rules({ within_business_days: 2 }),
        timezone: "Europe/Lisbon",
      }),
    ).toMatchObject({ dueAt: "2027-03-29T22:59:59.999Z", meetingAt: "2027-03-29T13:00:00.000Z" });
  });

  it("keeps them across the autumn DST change", () => {
    // Lisbon moves from UTC+1 back to UTC+0 on Sunday 2026-10-25; Friday 10:00 local.
    expect(
      reviewSchedule({
        resolvedAt: "2026-10-23T09:00:00.000Z",
        rules: rules({ within_business_days: 1 }),
        timezone: "Europe/Lisbon",
      }),
    ).toMatchObject({ dueAt: "2026-10-26T23:59:59.999Z", meetingAt: "2026-10-26T14:00:00.000Z" });
  });

  it("ends a 23-hour day an hour early and moves a meeting in the gap to the change", () => {
    const s = reviewSchedule({
      resolvedAt: "2027-03-27T12:00:00.000Z",
      rules: rules({
        within_business_days: 1,
        business_days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        meeting_time: "01:30",
      }),
      timezone: "Europe/Lisbon",
    });
    // 01:30 does not exist on 2027-03-28 in Lisbon: the clocks jump from 01:00 to 02:00 (01:00 UTC).
    expect(s).toMatchObject({ dueAt: "2027-03-28T22:59:59.999Z", meetingAt: "2027-03-28T01:00:00.000Z" });
  });

  it("counts the days of the organization's zone, not UTC's", () => {
    // 03:00 UTC on Friday is still Thursday evening in New York.
    expect(
      reviewSchedule({
        resolvedAt: "2026-11-27T03:00:00.000Z",
        rules: rules({ within_business_days: 1 }),
        timezone: "America/New_York",
      }),
    ).toMatchObject({ dueAt: "2026-11-28T04:59:59.999Z", meetingAt: "2026-11-27T19:00:00.000Z" });
  });

  it("follows the plan's business days (Sunday to Thursday)", () => {
    expect(
      reviewSchedule({
        resolvedAt: "2026-11-26T08:00:00.000Z", // Thursday
        rules: rules({ within_business_days: 1, business_days: ["sun", "mon", "tue", "wed", "thu"] }),
        timezone: "UTC",
      }),
    ).toMatchObject({ dueAt: "2026-11-29T23:59:59.999Z", meetingAt: "2026-11-29T14:00:00.000Z" });
  });

  it("with zero business days is due the same day, and meets on the next business day", () => {
    expect(
      reviewSchedule({
        resolvedAt: "2026-11-25T08:00:00.000Z", // Wednesday
        rules: rules({ within_business_days: 0 }),
        timezone: "UTC",
      }),
    ).toMatchObject({ dueAt: "2026-11-25T23:59:59.999Z", meetingAt: "2026-11-26T14:00:00.000Z" });
  });

  it("always gives a deadline N business days on, at the end of a local day, with the meeting at meeting_time", () => {
    const zones = ["Europe/Lisbon", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"];
    const weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    // Independently of the code under test: the local calendar date and time through Intl.
    const local = (ms: number, timeZone: string) => {
      const parts = new Intl.DateTimeFormat("en-CA", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      }).formatToParts(new Date(ms));
      const get = (t: string) => parts.find((p) => p.type === t)!.value;
      const date = `${get("year")}-${get("month")}-${get("day")}`;
      return { date, time: `${get("hour")}:${get("minute")}:${get("second")}` };
    };
    const dayName = (date: string) => weekdayNames[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
    const nextDate = (date: string) =>
      new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2028-12-31T00:00:00Z") }),
        fc.integer({ min: 0, max: 15 }),
        fc.constantFrom(...zones),
        fc.subarray(["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const, { minLength: 1 }),
        fc.constantFrom("09:00", "14:00", "17:30"),
        (resolvedAt, n, timezone, businessDays, meetingTime) => {
          const s = reviewSchedule({
            resolvedAt: new Date(resolvedAt),
            rules: rules({ within_business_days: n, business_days: businessDays, meeting_time: meetingTime }),
            timezone,
          });
          const due = Date.parse(s.dueAt);
          const meeting = Date.parse(s.meetingAt);
          const resolvedDate = local(resolvedAt, timezone).date;
          const dueLocal = local(due, timezone);
          expect(dueLocal.time).toBe("23:59:59");
          expect(local(due + 1, timezone).time).toBe("00:00:00");
          // Exactly n business days after the day of resolution, the last of them the due day.
          let count = 0;
          for (let d = nextDate(resolvedDate); d <= dueLocal.date; d = nextDate(d)) {
            if (businessDays.includes(dayName(d) as never)) count += 1;
          }
          expect(count).toBe(n);
          if (n > 0) expect(businessDays).toContain(dayName(dueLocal.date));
          // The meeting: on a business day after the day of resolution, at meeting_time.
          const meetingLocal = local(meeting, timezone);
          expect(meetingLocal.date > resolvedDate).toBe(true);
          expect(businessDays).toContain(dayName(meetingLocal.date));
          expect(meetingLocal.time).toBe(`${meetingTime}:00`);
          if (n > 0) expect(meetingLocal.date).toBe(dueLocal.date);
        },
      ),
      { numRuns: 400 },
    );
  });
});
