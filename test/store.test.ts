import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextCounter } from "../src/store/counters.ts";
import { openStore } from "../src/store/open.ts";
import { readBool, readCount, readJson, writeJson } from "../src/store/values.ts";
import { dialects, openTestStore, type TestStore } from "./support/stores.ts";

describe.each(dialects())("store on %s", (dialect) => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await openTestStore(dialect);
  });
  afterAll(async () => ts?.cleanup());

  const insertIncident = (id: string, number: number, extra: Record<string, unknown> = {}) =>
    ts.store.db
      .insertInto("incidents")
      .values({
        id,
        number,
        reference: `INC-${number}`,
        title: "t",
        summary: null,
        severity: "sev1",
        status: "investigating",
        detected_by: "employee",
        criteria: writeJson(["a", "b"]),
        impact_started_at: "2026-03-29T00:30:00.000Z",
        declared_at: "2026-03-29T01:30:00.123Z",
        identified_at: null,
        monitoring_at: null,
        resolved_at: null,
        private: true,
        drill: false,
        declared_by: null,
        plan_version: 1,
        version: 1,
        updated_at: "2026-03-29T01:30:00.123Z",
        ...extra,
      })
      .execute();

  it("reads times, booleans, JSON and counts back the same way on both dialects", async () => {
    await insertIncident("i-1", 1);
    const row = await ts.store.db
      .selectFrom("incidents")
      .selectAll()
      .where("id", "=", "i-1")
      .executeTakeFirstOrThrow();
    expect(row.declared_at).toBe("2026-03-29T01:30:00.123Z");
    expect(row.identified_at).toBeNull();
    expect(readBool(row.private)).toBe(true);
    expect(readBool(row.drill)).toBe(false);
    expect(readJson(row.criteria)).toEqual(["a", "b"]);
    const found = await ts.store.db
      .selectFrom("incidents")
      .select("id")
      .where("private", "=", true)
      .execute();
    expect(found.map((r) => r.id)).toEqual(["i-1"]);
    const count = await ts.store.db
      .selectFrom("incidents")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    expect(readCount(count.n)).toBe(1);
    // Times compare in time order in SQL on both dialects.
    const later = await ts.store.db
      .selectFrom("incidents")
      .select("id")
      .where("declared_at", ">", "2026-03-29T01:29:59.999Z")
      .execute();
    expect(later).toHaveLength(1);
  });

  it("refuses JSON that is not JSON", async () => {
    await expect(insertIncident("i-2", 2, { criteria: "{not json" })).rejects.toThrow();
  });

  it("rolls a failed transaction back whole", async () => {
    await expect(
      ts.store.transaction(async (tx) => {
        await tx.insertInto("counters").values({ name: "first", value: 1 }).execute();
        await tx.insertInto("counters").values({ name: "second", value: 1 }).execute();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const rows = await ts.store.db
      .selectFrom("counters")
      .selectAll()
      .where("name", "in", ["first", "second"])
      .execute();
    expect(rows).toEqual([]);
  });

  it("keeps the other transactions of a group when one of them fails", async () => {
    const results = await Promise.allSettled(
      ["a", "b", "c"].map((name) =>
        ts.store.transaction(async (tx) => {
          await tx
            .insertInto("counters")
            .values({ name: `group-${name}`, value: 1 })
            .execute();
          if (name === "b") throw new Error("b fails");
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const rows = await ts.store.db
      .selectFrom("counters")
      .select("name")
      .where("name", "like", "group-%")
      .orderBy("name")
      .execute();
    expect(rows.map((r) => r.name)).toEqual(["group-a", "group-c"]);
  });

  it("hands out each counter value once under concurrency", async () => {
    const values = await Promise.all(
      Array.from({ length: 25 }, () => ts.store.transaction((tx) => nextCounter(tx, "incident"))),
    );
    const sorted = values.sort((a, b) => a - b);
    expect(new Set(sorted).size).toBe(25);
    expect(sorted[24]! - sorted[0]!).toBe(24);
  });

  it("migrates an existing store without changes", async () => {
    const again = await openStore(
      dialect === "sqlite" ? { dataDir: ts.dataDir } : { databaseUrl: ts.databaseUrl, pgSchema: ts.pgSchema },
    );
    const rows = await again.db.selectFrom("incidents").select("id").execute();
    expect(rows.length).toBeGreaterThan(0);
    await again.close();
  });
});

describe("SQLite durability", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "runsheet-durable-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs in WAL mode with synchronous=FULL and foreign keys on", async () => {
    const store = await openStore({ dataDir: dir });
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
    expect(mode.rows[0]?.journal_mode).toBe("wal");
    expect(sync.rows[0]?.synchronous).toBe(2); // FULL
    expect(fk.rows[0]?.foreign_keys).toBe(1);
    await store.close();
  });

  it("keeps every committed change when the process is killed", async () => {
    // A child commits counter values and reports each commit; we SIGKILL it mid-stream.
    const script = `
      import { openStore } from ${JSON.stringify(path.resolve("src/store/open.ts"))};
      import { nextCounter } from ${JSON.stringify(path.resolve("src/store/counters.ts"))};
      const store = await openStore({ dataDir: ${JSON.stringify(dir)} });
      for (;;) {
        const v = await store.transaction((tx) => nextCounter(tx, "incident"));
        process.stdout.write(v + "\\n");
      }
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let reported = 0;
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        const lines = chunk.toString().trim().split("\n");
        reported = Math.max(reported, ...lines.map(Number));
        if (reported >= 50) {
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once("exit", resolve));
    const store = await openStore({ dataDir: dir });
    const row = await store.db
      .selectFrom("counters")
      .select("value")
      .where("name", "=", "incident")
      .executeTakeFirstOrThrow();
    expect(Number(row.value)).toBeGreaterThanOrEqual(reported);
    await store.close();
  });
});

describe("pg timestamps", () => {
  it("turns pg's UTC text into the ISO form SQLite stores", async () => {
    const { isoFromPg } = await import("../src/store/open.ts");
    expect(isoFromPg("2026-11-27 03:00:00+00")).toBe("2026-11-27T03:00:00.000Z");
    expect(isoFromPg("2026-11-27 03:00:00.1+00")).toBe("2026-11-27T03:00:00.100Z");
    expect(isoFromPg("2026-11-27 03:00:00.123456+00")).toBe("2026-11-27T03:00:00.123Z");
    expect(isoFromPg("2026-11-27 04:00:00+01")).toBe("2026-11-27T03:00:00.000Z");
  });
});
