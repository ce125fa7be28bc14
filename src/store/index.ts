export type { DialectName } from "./column-types.ts";
export { nextCounter } from "./counters.ts";
export { type Db, openStore, type Store, type StoreConfig } from "./open.ts";
export type { Database } from "./schema.ts";
export { readBool, readCount, readJson, readTime, writeJson } from "./values.ts";
