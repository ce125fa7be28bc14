import { describe, expect, it } from "vitest";
import {
  checkSchedule,
  defaultNext,
  emptySchedule,
  freshTimes,
  MAINTENANCE_STATUSES,
  moveLabel,
  NEXT_STATUSES,
  type ScheduleForm,
  toScheduleBody,
} from "./maintenance-form";

const form: ScheduleForm = {
  title: " Database upgrade ",
  body: " Invoices cannot be sent for up to ten minutes. ",
  components: ["invoice-emails", "web-app"],
  scheduledFor: "2026-03-29T00:30",
  scheduledUntil: "2026-03-29T02:30",
  autoStart: true,
  autoComplete: false,
  notify: true,
  timesEdited: true,
};

describe("scheduling a maintenance", () => {
  it("starts at the next full hour, for an hour, in the viewer's zone", () => {
    const empty = emptySchedule(new Date("2026-11-27T03:12:00Z"), "America/New_York");
    expect(empty.scheduledFor).toBe("2026-11-26T23:00");
    expect(empty.scheduledUntil).toBe("2026-11-27T00:00");
    expect(checkSchedule({ ...empty, title: "t", body: "b", components: ["x"] }, "America/New_York")).toEqual(
      {},
    );
    // A minute before the hour still leaves time to fill the form in.
    expect(emptySchedule(new Date("2026-11-27T03:59:30Z"), "UTC").scheduledFor).toBe("2026-11-27T05:00");
  });

  it("moves a kept draft's untouched times to the next hour, not typed ones", () => {
    const kept = emptySchedule(new Date("2026-11-27T03:12:00Z"), "UTC");
    const later = new Date("2026-11-27T09:40:00Z");
    expect(freshTimes(kept, later, "UTC")).toMatchObject({
      scheduledFor: "2026-11-27T10:00",
      scheduledUntil: "2026-11-27T11:00",
    });
    const typed = { ...kept, scheduledFor: "2026-11-28T02:00", timesEdited: true };
    expect(freshTimes(typed, later, "UTC")).toBe(typed);
  });

  it("sends the window with the viewer's offset across the night clocks go forward", () => {
    const body = toScheduleBody(form, "Europe/Lisbon", ["web-app", "card-payments", "invoice-emails"]);
    expect(body).toEqual({
      title: "Database upgrade",
      body: "Invoices cannot be sent for up to ten minutes.",
      components: ["web-app", "invoice-emails"],
      scheduledFor: "2026-03-29T00:30:00+00:00",
      scheduledUntil: "2026-03-29T02:30:00+01:00",
      autoStart: true,
      autoComplete: false,
      notify: true,
    });
    // Two hours on the clock, one hour of real time.
    expect(Date.parse(body.scheduledUntil) - Date.parse(body.scheduledFor)).toBe(3_600_000);
  });

  it("asks for what is missing, with the server's words", () => {
    expect(
      checkSchedule(
        {
          ...form,
          title: "",
          body: " ",
          components: [],
          scheduledFor: "",
          scheduledUntil: "2026-02-30T10:00",
        },
        "UTC",
      ),
    ).toEqual({
      title: "give the maintenance a title",
      body: "say what will happen and what customers will notice",
      components: "name at least one component",
      scheduledFor: "give a date and time",
      scheduledUntil: "give a date and time",
    });
  });

  it("refuses a window that ends before it starts, even when the clock says otherwise", () => {
    expect(
      checkSchedule({ ...form, scheduledFor: "2026-11-29T03:00", scheduledUntil: "2026-11-29T03:00" }, "UTC")
        .scheduledUntil,
    ).toMatch(/ends before it starts/);
    // Lisbon, 25 October 2026: 01:45 (the second time) comes after the first 01:30.
    expect(
      checkSchedule(
        { ...form, scheduledFor: "2026-10-25T01:30", scheduledUntil: "2026-10-25T01:45" },
        "Europe/Lisbon",
      ),
    ).toEqual({});
  });
});

describe("moving a maintenance on", () => {
  it("offers only the server's moves, the usual next step first among the changes", () => {
    expect(NEXT_STATUSES.scheduled).toEqual(["scheduled", "in_progress", "completed"]);
    expect(NEXT_STATUSES.verifying).toEqual(["verifying", "in_progress", "completed"]);
    expect(NEXT_STATUSES.completed).toEqual([]);
    for (const status of MAINTENANCE_STATUSES) {
      const next = defaultNext(status);
      if (next) expect(NEXT_STATUSES[status]).toContain(next);
      else expect(NEXT_STATUSES[status]).toEqual([]);
    }
  });

  it("says that staying in a status adds an update", () => {
    expect(moveLabel("in_progress", "in_progress")).toBe("Still in progress (adds an update)");
    expect(moveLabel("in_progress", "verifying")).toBe("Verifying");
  });
});
