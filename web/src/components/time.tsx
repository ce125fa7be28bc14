import { between, durationInWords, formatLocal, formatShort, formatUtc } from "../lib/time";

/** A time in the viewer's time zone; the UTC time on hover. */
export function Time({ iso, now }: { iso: string; now?: Date }) {
  return (
    <time dateTime={iso} title={formatUtc(iso)}>
      {now ? formatShort(iso, now) : formatLocal(iso)}
    </time>
  );
}

/** How long since `from` (until `to`, or now), in words. */
export function Duration({ from, to, now }: { from: string; to?: string | null; now: Date }) {
  return <span title={`since ${formatUtc(from)}`}>{durationInWords(between(from, to ?? now))}</span>;
}
