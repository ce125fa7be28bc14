import { useId } from "react";
import { percent, seconds, shortSeconds, type TrendPoint, trendGeometry } from "./format";

const WIDTH = 320;
const HEIGHT = 96;

function dayOf(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(iso),
  );
}

/**
 * A weekly trend as inline SVG: a line through the weeks with data, a dot per
 * week (hover for its value), the first and last week under it. Screen
 * readers get a summary and each week's figure in the title of its dot.
 */
export function TrendChart({
  points,
  kind,
  what,
}: {
  points: readonly TrendPoint[];
  kind: "ratio" | "seconds";
  what: string;
}) {
  const titleId = useId();
  const { segments, dots, max } = trendGeometry(points, kind, WIDTH, HEIGHT);
  const show = (value: number) => (kind === "ratio" ? percent(value) : seconds(value));
  const last = [...points].reverse().find((p) => p.value !== null);
  const summary =
    dots.length === 0
      ? `${what}, weekly: no data in this range.`
      : `${what}, weekly over ${points.length} weeks: ${dots.length} with data; the latest, week of ${dayOf(last!.weekStart)}, ${show(last!.value!)}.`;
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId} className="trend-chart">
        <title id={titleId}>{summary}</title>
        <line x1="0" y1={HEIGHT - 4} x2={WIDTH} y2={HEIGHT - 4} className="trend-axis" />
        <line x1="0" y1="4" x2={WIDTH} y2="4" className="trend-grid" />
        {segments.map((d) => (
          <path key={d} d={d} className="trend-line" />
        ))}
        {dots.map((dot) => (
          <circle key={dot.point.weekStart} cx={dot.x} cy={dot.y} r="3" className="trend-dot">
            <title>{`Week of ${dayOf(dot.point.weekStart)}: ${show(dot.point.value!)}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="trend-caption small muted">
        <span>{points[0] ? dayOf(points[0].weekStart) : ""}</span>
        <span>
          {what}
          {dots.length === 0 ? " · no data" : ` · top ${kind === "ratio" ? "100%" : shortSeconds(max)}`}
        </span>
        <span>{points.length > 1 ? dayOf(points[points.length - 1]!.weekStart) : ""}</span>
      </figcaption>
    </figure>
  );
}
