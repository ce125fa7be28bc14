import { durationInWords } from "../../lib/time";

/** A share in [0, 1] as a whole percentage ("67%"); "—" without data. */
export function percent(share: number | null | undefined): string {
  return share === null || share === undefined ? "—" : `${Math.round(share * 100)}%`;
}

/** Seconds in words ("2 hours 5 minutes"); "—" without data. */
export function seconds(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : durationInWords(value * 1000);
}

/** Seconds in a short form for chart labels ("45s", "12m", "3.5h", "2d"). */
export function shortSeconds(value: number): string {
  if (value < 60) return `${Math.round(value)}s`;
  if (value < 3600) return `${Math.round(value / 60)}m`;
  if (value < 86_400) return `${Math.round((value / 3600) * 10) / 10}h`;
  return `${Math.round((value / 86_400) * 10) / 10}d`;
}

/** The five values, as the report names its sections. */
export const SECTIONS = ["detect", "respond", "recover", "learn", "improve"] as const;
export type Section = (typeof SECTIONS)[number];

/** The report section a plan value is measured by, matched by its name ("Detect", "detect:"), if any. */
export function sectionOf(name: string): Section | undefined {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z]/g, "");
  return SECTIONS.find((s) => s === key);
}

export interface TrendPoint {
  weekStart: string;
  value: number | null;
}

/**
 * A weekly series as SVG geometry in a `width` × `height` box: one path
 * segment per run of weeks with data (a week without data breaks the line),
 * and each point's position. Ratios span 0 to 1; durations 0 to the largest.
 */
export function trendGeometry(
  points: readonly TrendPoint[],
  kind: "ratio" | "seconds",
  width: number,
  height: number,
  pad = 4,
): { segments: string[]; dots: Array<{ x: number; y: number; point: TrendPoint }>; max: number } {
  const values = points.flatMap((p) => (p.value === null ? [] : [p.value]));
  const max = kind === "ratio" ? 1 : Math.max(0, ...values) || 1;
  const step = points.length > 1 ? (width - 2 * pad) / (points.length - 1) : 0;
  const dots: Array<{ x: number; y: number; point: TrendPoint }> = [];
  const segments: string[] = [];
  let current: string[] = [];
  points.forEach((point, i) => {
    if (point.value === null) {
      if (current.length > 1) segments.push(current.join(" "));
      current = [];
      return;
    }
    const x = Math.round((points.length > 1 ? pad + i * step : width / 2) * 10) / 10;
    const y = Math.round((height - pad - (point.value / max) * (height - 2 * pad)) * 10) / 10;
    dots.push({ x, y, point });
    current.push(`${current.length === 0 ? "M" : "L"}${x},${y}`);
  });
  if (current.length > 1) segments.push(current.join(" "));
  return { segments, dots, max };
}
