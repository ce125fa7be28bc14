import type { Layer, Schedule } from "./queries";
import { zonedDateTime } from "./timeline";

/** Who is on call at this moment, and until when in the schedule's time zone. */
export function OnCallNow({ schedule }: { schedule: Schedule }) {
  const who = schedule.onCallNow;
  if (!who) {
    return (
      <p className="oncall-now" data-nobody="">
        <span className="oncall-now-label">On call now</span>
        <strong>Nobody</strong>
        <span className="small">A page for this schedule reaches no one until someone covers it.</span>
      </p>
    );
  }
  return (
    <p className="oncall-now">
      <span className="oncall-now-label">On call now</span>
      <strong>{who.name ?? who.email}</strong>
      <span className="small muted">until {zonedDateTime(who.until, schedule.timeZone)}</span>
    </p>
  );
}

const ROTATION: Record<string, string> = { daily: "daily", weekly: "weekly" };

/** A layer in words: "Marta Silva, then Jonas Weber; weekly, handing over at 09:00". */
export function describeLayer(layer: Layer): string {
  const people = layer.members.map((m) => m.name ?? m.email).join(", then ");
  const rotation =
    layer.rotation.type === "custom"
      ? `every ${layer.rotation.hours} hours`
      : (ROTATION[layer.rotation.type] ?? layer.rotation.type);
  const restricted = layer.restrictions.length > 0 ? ", at set times only" : "";
  const ends = layer.endsAt ? `, until ${layer.endsAt}` : "";
  return `${people}; ${rotation}, handing over at ${layer.handoff.time}${restricted}${ends}`;
}
