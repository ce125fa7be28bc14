import { type ColumnDefinitionBuilder, sql } from "kysely";

export type DialectName = "sqlite" | "postgres";

/**
 * Column types that differ between the dialects, for migrations. Timestamps are
 * timestamptz on pg (read back as ISO strings by the pool's type parser) and
 * ISO text on SQLite; JSON is jsonb on pg and text checked by json_valid on SQLite.
 */
export function columnTypes(dialect: DialectName) {
  const pg = dialect === "postgres";
  return {
    time: pg ? ("timestamptz" as const) : ("text" as const),
    bool: pg ? ("boolean" as const) : ("integer" as const),
    json: pg ? ("jsonb" as const) : ("text" as const),
    /** Adds the SQLite json_valid check to a JSON column. */
    jsonCheck(column: string) {
      return (col: ColumnDefinitionBuilder) =>
        pg ? col.notNull() : col.notNull().check(sql`json_valid(${sql.ref(column)})`);
    },
    falseValue: pg ? sql`false` : sql`0`,
  };
}
