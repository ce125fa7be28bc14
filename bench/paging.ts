/**
 * npm run bench:paging: the time from an alert reaching Runsheet to the first
 * page arriving at the person on call, on SQLite and on PostgreSQL.
 *
 * A real `runsheet serve` process runs the example plan with its email
 * channels pointed at a local SMTP server (smtp-server, as a relay would
 * answer). Each round posts one PagerDuty event to /v2/enqueue whose labels
 * match a `declare` criterion of its own, so every round declares a new SEV1
 * and pages the incident manager's primary (Marta) by email. The clock starts
 * before the POST and stops when the SMTP server has the whole message for
 * Marta: intake, promotion, declaration, the page, its notification job and
 * the SMTP conversation are all inside the figure.
 *
 * Results: bench/results/paging-<dialect>.json. Environment: BENCH_ROUNDS
 * (default 30), BENCH_DIALECT (sqlite or postgres; default both),
 * RUNSHEET_TEST_DATABASE_URL.
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SMTPServer } from "smtp-server";
import { stringify } from "yaml";
import { createToken } from "../src/auth/credentials.ts";
import { createUser } from "../src/auth/users.ts";
import { nearestRank } from "../src/review/metrics/stats.ts";
import { systemClock } from "../src/shared/clock.ts";
import { openStore } from "../src/store/open.ts";
import { examplePlan } from "../test/support/app.ts";
import { freePort, startServerProcess, tempDir } from "../test/support/fanout.ts";
import { type BenchStore, eachDialect } from "./support/stores.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const PRIMARY = "marta.silva@example.com";

/** A local SMTP relay that notes when each page for the primary has fully arrived, by its subject. */
async function startPageSink() {
  const arrived = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let head = "";
      stream.on("data", (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString("utf8");
      });
      stream.on("end", () => {
        const at = performance.now();
        const round = /bench-round-(\d+)/.exec(head)?.[1];
        const forPrimary = session.envelope.rcptTo.some((r) => r.address === PRIMARY);
        if (round !== undefined && forPrimary && /^Subject: .*Page/im.test(head) && !arrived.has(round)) {
          arrived.set(round, at);
        }
        callback();
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as { port: number }).port,
    arrived,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The example plan, its email channels sent to the sink, plus one declare criterion per round. */
function writePlan(dir: string, smtpPort: number): string {
  const plan = examplePlan();
  for (const channel of plan.channels) {
    if (channel.type === "email") {
      channel.settings = {
        from: "Runsheet <runsheet@example.com>",
        smtp_host: "127.0.0.1",
        smtp_port: smtpPort,
      };
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    plan.definition.criteria.push({
      id: `bench-round-${round}`,
      text: `Bench round ${round}: checkout is down.`,
      match: { source: "bench", labels: { round: String(round) } },
      action: "declare",
      severity: "sev1",
    });
  }
  const file = path.join(dir, "runsheet.yaml");
  writeFileSync(file, stringify(plan));
  return file;
}

async function benchDialect(dialect: "sqlite" | "postgres", setup: BenchStore) {
  const sink = await startPageSink();
  const dir = tempDir("runsheet-paging-");
  const store = await openStore(setup.storeConfig);
  const ctx = { store, clock: systemClock };
  const { user } = await createUser(ctx, {
    email: "bench@example.com",
    name: "Bench",
    role: "admin",
    password: "benchmark passphrase",
  });
  for (const [email, name] of [
    [PRIMARY, "Marta Silva"],
    ["jonas.weber@example.com", "Jonas Weber"],
  ] as const) {
    await createUser(ctx, { email, name, role: "responder", password: "benchmark passphrase" });
  }
  const { token } = await createToken(ctx, user.id, "bench");
  await store.close();

  const port = await freePort();
  const server = await startServerProcess({ ...setup.env, RUNSHEET_PLAN: writePlan(dir, sink.port) }, port);
  const base = `http://127.0.0.1:${port}`;
  try {
    const created = await fetch(`${base}/api/v1/integrations`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Bench monitoring", type: "pagerduty" }),
    });
    if (created.status !== 201) throw new Error(`creating the integration answered ${created.status}`);
    const { key } = (await created.json()) as { key: string };

    const timings: number[] = [];
    const missed: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const res = await fetch(`${base}/v2/enqueue`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          routing_key: key,
          event_action: "trigger",
          dedup_key: `bench-round-${round}`,
          payload: {
            summary: `Checkout failing (bench-round-${round})`,
            source: "bench",
            severity: "critical",
            custom_details: { round: String(round) },
          },
        }),
      });
      if (res.status !== 202) throw new Error(`/v2/enqueue answered ${res.status}: ${await res.text()}`);
      const id = String(round);
      const deadline = started + 10_000;
      while (!sink.arrived.has(id) && performance.now() < deadline) await sleep(1);
      const arrived = sink.arrived.get(id);
      if (arrived === undefined) missed.push(round);
      else timings.push(arrived - started);
      // Let the round's other pages and deliveries finish, so rounds do not overlap.
      await sleep(300);
    }
    const sorted = [...timings].sort((a, b) => a - b);
    const ms = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
    return {
      dialect,
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model ?? "unknown",
        node: process.version,
        loadAverageBefore: Math.round(loadavg()[0]! * 100) / 100,
      },
      rounds: ROUNDS,
      delivered: timings.length,
      missedRounds: missed,
      alertToFirstPageMs: {
        p50: ms(nearestRank(sorted, 50)),
        p90: ms(nearestRank(sorted, 90)),
        p99: ms(nearestRank(sorted, 99)),
        max: ms(sorted.at(-1) ?? null),
      },
      targetMs: 1000,
      ok: missed.length === 0 && (sorted.at(-1) ?? Infinity) < 1000,
    };
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await sink.close();
  }
}

await eachDialect("paging", async (dialect, setup) => {
  const r = await benchDialect(dialect, setup);
  writeFileSync(`bench/results/paging-${dialect}.json`, `${JSON.stringify(r, null, 2)}\n`);
  const t = r.alertToFirstPageMs;
  process.stdout.write(
    `${dialect}: alert → first page at the SMTP sink over ${r.delivered}/${r.rounds} rounds: p50 ${t.p50} ms  p90 ${t.p90} ms  p99 ${t.p99} ms  max ${t.max} ms  (target < 1000 ms: ${r.ok ? "met" : "MISSED"})\n`,
  );
});
