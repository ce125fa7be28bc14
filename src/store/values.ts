/**
 * Reading values back the same way on both dialects. Domain repositories call
 * these; nothing else needs to know that SQLite stores booleans as 1/0 or that
 * pg returns jsonb as objects and count(*) as a string.
 */
export function readBool(value: unknown): boolean {
  return value === true || value === 1 || value === "1" || value === "t";
}

export function readJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** JSON for a jsonb (pg) or checked text (SQLite) column: both accept a JSON string. */
export function writeJson(value: unknown): string {
  return JSON.stringify(value);
}

export function readCount(value: unknown): number {
  return Number(value ?? 0);
}

export function readTime(value: unknown): string;
export function readTime(value: unknown): string | null;
export function readTime(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}
