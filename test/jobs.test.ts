import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueue, GiveUp, type JobHandler, RetryLater, requeue, Worker } from "../src/jobs/index.ts";
import { fixedClock } from "../src/shared/clock.ts";
import { openStore } from "../src/store/open.ts";
import { dialects, openTestStore, type TestStore } from "./support/stores.ts";

const policy = { delaysMs: [1_000, 10_000], jitter: 0 };

describe.each(dialects())("durable jobs on %s", (dialect) => {
  let ts: TestStore;
  const clock = fixedClock("2026-11-27T03:00:00.000Z");
  beforeAll(async () => {
    ts = await openTestStore(dialect);
  });
  afterAll(async () => ts?.cleanup());

  const now = () => clock.now().toISOString();
  const jobRow = (id: string) =>
    ts.store.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  function handler(
    kind: string,
    run: JobHandler<{ n: number }>["run"],
    extra: Partial<JobHandler<{ n: number }>> = {},
  ) {
    return { kind, retry: policy, run, ...extra } as JobHandler<never>;
  }

  it("enqueues in the caller's transaction: a rollback leaves no job", async () => {
    await expect(
      ts.store.transaction(async (tx) => {
        await enqueue(tx, [{ kind: "rolled-back", payload: {}, runAt: now() }], now());
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    const rows = await ts.store.db
      .selectFrom("jobs")
      .select("id")
      .where("kind", "=", "rolled-back")
      .execute();
    expect(rows).toEqual([]);
  });

  it("runs due jobs, not future ones", async () => {
    const seen: number[] = [];
    const [due, later] = await ts.store.transaction((tx) =>
      enqueue(
        tx,
        [
          { kind: "count", payload: { n: 1 }, runAt: now() },
          { kind: "count", payload: { n: 2 }, runAt: new Date(clock.now().getTime() + 60_000).toISOString() },
        ],
        now(),
      ),
    );
    const worker = new Worker({
      store: ts.store,
      clock,
      handlers: [handler("count", async (job) => void seen.push(job.payload.n))],
    });
    expect(await worker.drain()).toBe(1);
    expect(seen).toEqual([1]);
    expect((await jobRow(due!)).state).toBe("done");
    clock.advance(60_000);
    await worker.drain();
    expect(seen).toEqual([1, 2]);
    expect((await jobRow(later!)).state).toBe("done");
  });

  it("retries on the policy's schedule, then gives up into the dead state", async () => {
    const deaths: string[] = [];
    let attempts = 0;
    const [id] = await ts.store.transaction((tx) =>
      enqueue(tx, [{ kind: "flaky", payload: { n: 0 }, runAt: now() }], now()),
    );
    const worker = new Worker({
      store: ts.store,
      clock,
      handlers: [
        handler(
          "flaky",
          async () => {
            attempts += 1;
            throw new Error(`attempt ${attempts} failed`);
          },
          { onDead: async (_job, error) => void deaths.push(error) },
        ),
      ],
    });
    await worker.drain();
    let row = await jobRow(id!);
    expect(row).toMatchObject({ state: "queued", attempts: 1, last_error: "attempt 1 failed" });
    expect(Date.parse(row.run_at) - clock.now().getTime()).toBe(1_000);
    clock.advance(999);
    expect(await worker.drain()).toBe(0);
    clock.advance(1);
    await worker.drain();
    row = await jobRow(id!);
    expect(Date.parse(row.run_at) - clock.now().getTime()).toBe(10_000);
    clock.advance(10_000);
    await worker.drain();
    row = await jobRow(id!);
    expect(row).toMatchObject({ state: "dead", attempts: 3 });
    expect(deaths).toEqual(["attempt 3 failed"]);

    // By hand, a dead job goes back in the queue and runs again.
    expect(await requeue(ts.store.db, id!, clock.now())).toBe(true);
    await worker.drain();
    expect(attempts).toBe(4);
  });

  it("honours a provider's Retry-After and gives up at once on a permanent error", async () => {
    const [later, never] = await ts.store.transaction((tx) =>
      enqueue(
        tx,
        [
          { kind: "rate-limited", payload: { n: 0 }, runAt: now() },
          { kind: "refused", payload: { n: 0 }, runAt: now() },
        ],
        now(),
      ),
    );
    const worker = new Worker({
      store: ts.store,
      clock,
      handlers: [
        handler("rate-limited", async () => {
          throw new RetryLater("429", 42_000);
        }),
        handler("refused", async () => {
          throw new GiveUp("400 bad request");
        }),
      ],
    });
    await worker.drain();
    expect(Date.parse((await jobRow(later!)).run_at) - clock.now().getTime()).toBe(42_000);
    expect((await jobRow(never!)).state).toBe("dead");
  });

  it("keeps one live job per unique key", async () => {
    const key = "reminder:INC-1";
    await ts.store.transaction((tx) =>
      enqueue(tx, [{ kind: "remind", payload: {}, runAt: now(), uniqueKey: key }], now()),
    );
    await ts.store.transaction((tx) =>
      enqueue(tx, [{ kind: "remind", payload: {}, runAt: now(), uniqueKey: key }], now()),
    );
    const live = () =>
      ts.store.db
        .selectFrom("jobs")
        .select("id")
        .where("kind", "=", "remind")
        .where("state", "=", "queued")
        .execute();
    expect(await live()).toHaveLength(1);
    const worker = new Worker({ store: ts.store, clock, handlers: [handler("remind", async () => {})] });
    await worker.drain();
    await ts.store.transaction((tx) =>
      enqueue(tx, [{ kind: "remind", payload: {}, runAt: now(), uniqueKey: key }], now()),
    );
    expect(await live()).toHaveLength(1);
  });

  it("takes a job back from a worker that died once its lease ran out", async () => {
    const [id] = await ts.store.transaction((tx) =>
      enqueue(tx, [{ kind: "orphan", payload: { n: 7 }, runAt: now() }], now()),
    );
    // A worker claims it and dies without finishing.
    const dying = new Worker({
      store: ts.store,
      clock,
      leaseMs: 30_000,
      handlers: [handler("orphan", () => new Promise(() => {}))],
    });
    void dying.drain();
    await new Promise((r) => setTimeout(r, 50));
    expect((await jobRow(id!)).state).toBe("running");
    const seen: number[] = [];
    const rescuer = new Worker({
      store: ts.store,
      clock,
      handlers: [handler("orphan", async (job) => void seen.push(job.payload.n))],
    });
    expect(await rescuer.drain()).toBe(0);
    clock.advance(30_001);
    await rescuer.drain();
    expect(seen).toEqual([7]);
    expect((await jobRow(id!)).state).toBe("done");
  });

  it("never gives one job to two workers at once", async () => {
    const total = 300;
    await ts.store.transaction((tx) =>
      enqueue(
        tx,
        Array.from({ length: total }, (_, n) => ({ kind: "shared", payload: { n }, runAt: now() })),
        now(),
      ),
    );
    // A second process's store on the same database.
    const other = await openStore(
      dialect === "sqlite" ? { dataDir: ts.dataDir } : { databaseUrl: ts.databaseUrl, pgSchema: ts.pgSchema },
    );
    const runs = new Map<number, number>();
    const run = async (job: { payload: { n: number } }) => {
      runs.set(job.payload.n, (runs.get(job.payload.n) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 1));
    };
    const a = new Worker({ store: ts.store, clock, concurrency: 8, handlers: [handler("shared", run)] });
    const b = new Worker({ store: other, clock, concurrency: 8, handlers: [handler("shared", run)] });
    await Promise.all([a.drain(), b.drain()]);
    await other.close();
    expect(runs.size).toBe(total);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
  });

  it("runs jobs as they are enqueued when started and poked", async () => {
    const seen: number[] = [];
    const realClock = { now: () => new Date() };
    const worker = new Worker({
      store: ts.store,
      clock: realClock,
      pollMs: 60_000,
      handlers: [handler("live", async (job) => void seen.push(job.payload.n))],
    });
    worker.start();
    await ts.store.transaction((tx) =>
      enqueue(
        tx,
        [{ kind: "live", payload: { n: 5 }, runAt: new Date().toISOString() }],
        new Date().toISOString(),
      ),
    );
    worker.poke();
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(seen).toEqual([5]);
  });
});
