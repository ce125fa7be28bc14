import { useMemo, useState } from "react";
import { ErrorAlert } from "../../components/error-alert";
import { Loading } from "../../components/states";
import { useNow } from "../../lib/use-now";
import { type Schedule, useCoverage } from "./queries";
import {
  addDays,
  clockTime,
  colourSlot,
  type Day,
  dateIn,
  dayName,
  daysFrom,
  positionIn,
  segmentsIn,
} from "./timeline";

const DAYS = 14;

/** A stretch of a lane: who, from when to when, and whether an override or nobody. */
interface LaneShift {
  start: string;
  end: string;
  email: string | null;
  name: string | null;
  kind: "layer" | "override" | "none";
}

/**
 * Two weeks of the schedule, a bar a day in its time zone: who is on call
 * after layers and overrides, and, on request, each layer's own shifts.
 * Each bar is a list of its shifts in words, for screen readers and for
 * stretches too short to label.
 */
export function CoverageTimeline({ schedule }: { schedule: Schedule }) {
  const timeZone = schedule.timeZone;
  const now = useNow(60_000);
  const [weeks, setWeeks] = useState(0);
  const [showLayers, setShowLayers] = useState(false);
  const first = addDays(dateIn(now.getTime(), timeZone), weeks * 7);
  const days = useMemo(() => daysFrom(first, DAYS, timeZone), [first, timeZone]);
  const from = new Date(days[0]?.start ?? now.getTime()).toISOString();
  const to = new Date(days[days.length - 1]?.end ?? now.getTime()).toISOString();
  const coverage = useCoverage(schedule.id, from, to);
  // Members keep their colour from day to day; people covering by override come after them.
  const members = useMemo(
    () => schedule.layers.flatMap((layer) => layer.members.map((m) => m.email)),
    [schedule.layers],
  );
  const final = useMemo<LaneShift[]>(
    () =>
      (coverage.data?.shifts ?? []).map((s) => ({
        start: s.start,
        end: s.end,
        email: s.email,
        name: s.name,
        kind: s.source.kind,
      })),
    [coverage.data],
  );
  const layers = useMemo(
    () =>
      (coverage.data?.layers ?? []).map((layer) => ({
        id: layer.id,
        name: layer.name,
        shifts: layer.shifts.map<LaneShift>((s) => ({ ...s, kind: "layer" })),
      })),
    [coverage.data],
  );
  const slotOf = (email: string | null) => colourSlot(members, email);
  const rangeText = `${dayName(days[0]!, timeZone)} to ${dayName(days[days.length - 1]!, timeZone)}`;

  return (
    <section aria-labelledby="timeline-title" className="spaced">
      <div className="panel-header">
        <h2 id="timeline-title">Who is on call, {rangeText}</h2>
        <div className="button-row">
          <button type="button" className="button button-small" onClick={() => setWeeks((w) => w - 1)}>
            Previous week
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={weeks === 0}
            onClick={() => setWeeks(0)}
          >
            From today
          </button>
          <button type="button" className="button button-small" onClick={() => setWeeks((w) => w + 1)}>
            Next week
          </button>
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {weeks === 0 ? "" : `Showing ${rangeText}.`}
      </p>
      <label className="choice small">
        <input type="checkbox" checked={showLayers} onChange={(e) => setShowLayers(e.target.checked)} />
        <span>Show each layer's own shifts under the final schedule</span>
      </label>
      {coverage.isPending ? <Loading what="who is on call" /> : null}
      <ErrorAlert error={coverage.error} onRetry={() => void coverage.refetch()} />
      {coverage.data ? (
        <>
          <div className="timeline-row timeline-scale" aria-hidden="true">
            <span />
            <div className="timeline-ticks">
              {["00:00", "06:00", "12:00", "18:00"].map((tick, i) => (
                <span key={tick} style={{ left: `${i * 25}%` }}>
                  {tick}
                </span>
              ))}
            </div>
          </div>
          <ol className="timeline" aria-label={`On call, day by day, in ${timeZone}`}>
            {days.map((day) => (
              <TimelineDay
                key={day.date}
                day={day}
                timeZone={timeZone}
                final={final}
                layers={showLayers ? layers : []}
                now={now.getTime()}
                slotOf={slotOf}
              />
            ))}
          </ol>
          <ul className="timeline-legend small">
            <li>
              <span className="legend-swatch" data-kind="override" aria-hidden="true" /> Dashed: an override,
              someone covering instead of the rotation
            </li>
            <li>
              <span className="legend-swatch" data-kind="none" aria-hidden="true" /> Nobody on call: a page
              for this schedule reaches no one
            </li>
          </ul>
        </>
      ) : null}
    </section>
  );
}

function TimelineDay({
  day,
  timeZone,
  final,
  layers,
  now,
  slotOf,
}: {
  day: Day;
  timeZone: string;
  final: readonly LaneShift[];
  layers: ReadonlyArray<{ id: string; name: string; shifts: LaneShift[] }>;
  now: number;
  slotOf: (email: string | null) => number | null;
}) {
  const name = dayName(day, timeZone);
  const nowAt = positionIn(day, now);
  return (
    <li className="timeline-day" data-today={nowAt !== null ? "" : undefined}>
      <div className="timeline-row">
        <span className="timeline-label">
          {name}
          {nowAt !== null ? <span className="small muted"> today</span> : null}
        </span>
        <Lane
          label={layers.length > 0 ? `${name}, final` : name}
          day={day}
          timeZone={timeZone}
          shifts={final}
          nowAt={nowAt}
          slotOf={slotOf}
        />
      </div>
      {layers.map((layer) => (
        <div key={layer.id} className="timeline-row timeline-row-layer">
          <span className="timeline-label small muted">{layer.name}</span>
          <Lane
            label={`${name}, ${layer.name}`}
            day={day}
            timeZone={timeZone}
            shifts={layer.shifts}
            nowAt={nowAt}
            slotOf={slotOf}
          />
        </div>
      ))}
    </li>
  );
}

function Lane({
  label,
  day,
  timeZone,
  shifts,
  nowAt,
  slotOf,
}: {
  label: string;
  day: Day;
  timeZone: string;
  shifts: readonly LaneShift[];
  nowAt: number | null;
  slotOf: (email: string | null) => number | null;
}) {
  return (
    <div className="timeline-lane">
      <ul aria-label={label}>
        {segmentsIn(day, shifts).map((segment) => {
          const { email, name, kind } = segment.item;
          const who = email === null ? "Nobody on call" : (name ?? email);
          const when = `${clockTime(segment.start, timeZone, day)}–${clockTime(segment.end, timeZone, day)}`;
          return (
            <li
              key={segment.start}
              className="shift"
              data-kind={kind}
              data-slot={slotOf(email) ?? undefined}
              style={{ left: `${segment.left}%`, width: `${segment.width}%` }}
              title={`${who}, ${when}${kind === "override" ? " (override)" : ""}`}
            >
              <span className="shift-who">{who}</span> <span className="shift-when">{when}</span>
              {kind === "override" ? <span className="visually-hidden"> (override)</span> : null}
            </li>
          );
        })}
      </ul>
      {nowAt !== null ? (
        <span className="timeline-now" style={{ left: `${nowAt}%` }} aria-hidden="true" />
      ) : null}
    </div>
  );
}
