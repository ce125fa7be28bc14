/** Durations in the plan are written like `20m`, `1h30m`, `2d`, `45s`, `4w`. */
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
export const DURATION_PATTERN = /^(?:\d+[smhdw])+$/;

export function parseDuration(text: string): number {
  if (!DURATION_PATTERN.test(text)) throw new Error(`"${text}" is not a duration such as 20m, 1h30m or 2d`);
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhdw])/g)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return total;
}

/** Durations in words for people: "1 hour 5 minutes", "45 seconds". */
export function durationInWords(ms: number): string {
  const abs = Math.max(0, Math.round(ms / 1000));
  const days = Math.floor(abs / 86_400);
  const hours = Math.floor((abs % 86_400) / 3_600);
  const minutes = Math.floor((abs % 3_600) / 60);
  const seconds = abs % 60;
  const parts: string[] = [];
  const push = (n: number, unit: string) => {
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? "" : "s"}`);
  };
  push(days, "day");
  push(hours, "hour");
  if (days === 0) push(minutes, "minute");
  if (days === 0 && hours === 0) push(seconds, "second");
  return parts.length === 0 ? "0 seconds" : parts.join(" ");
}
