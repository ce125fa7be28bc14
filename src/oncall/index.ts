/**
 * The on-call module's public face. Schedules as data (schedule.ts); who is on
 * call over a range, at an instant, per layer and per user (coverage.ts); and
 * iCalendar feeds of the result (ical.ts). Pure: no store, no clock, no HTTP.
 */
export { coverage, layerShifts, MAX_RANGE_DAYS, onCallAt, userShifts } from "./coverage.ts";
export {
  type ScheduleIcsInput,
  scheduleIcs,
  type UserIcsEntry,
  type UserIcsInput,
  userIcs,
} from "./ical.ts";
export * from "./schedule.ts";
