import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { DialectName } from "../column-types.ts";

/** Further schema for paging and escalation (empty until it needs some). */
export function alterPaging(_dialect: DialectName): Migration {
  return {
    async up(_db: Kysely<unknown>) {},
  };
}
