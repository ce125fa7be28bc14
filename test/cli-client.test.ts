import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../src/auth/credentials.ts";
import { createUser } from "../src/auth/users.ts";
import { apiClient, problemToError } from "../src/cli/api-client.ts";
import { serveConfig } from "../src/config.ts";
import type { TimelineEntry } from "../src/incidents/index.ts";
import { EXAMPLE_PLAN_PATH } from "../src/plan/index.ts";
import { type RunningServer, startServer } from "../src/server.ts";
import { systemClock } from "../src/shared/clock.ts";
import { AppError } from "../src/shared/errors.ts";

/**
 * The incident commands end to end: a real server on a fresh SQLite store, and
 * `runsheet` run as a child process against it, as a person would. Each child
 * costs about a second of tsx start-up, so the flow shares one incident.
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const IM_EMAIL = "marta.silva@example.com"; // the example plan's incident manager

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let server: RunningServer;
let dataDir: string;
let adminToken: string;
let martaToken: string;

function runsheet(
  args: string[],
  env: { RUNSHEET_URL?: string; RUNSHEET_TOKEN?: string } = {},
): Promise<Run> {
  const childEnv = {
    ...process.env,
    RUNSHEET_URL: server.url,
    RUNSHEET_TOKEN: adminToken,
    ...env,
  };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["bin/runsheet.js", ...args],
      { cwd: ROOT, env: childEnv, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== "object" || !address) throw new Error("no port");
  return address.port;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "runsheet-cli-"));
  server = await startServer(
    serveConfig({ port: "0", data: dataDir, plan: EXAMPLE_PLAN_PATH }, { LOG_LEVEL: "silent" }),
  );
  const ctx = { store: server.store, clock: systemClock };
  const password = "correct horse battery staple";
  const { user: admin } = await createUser(ctx, {
    email: "ada@example.com",
    name: "Ada Admin",
    role: "admin",
    password,
  });
  const { user: marta } = await createUser(ctx, {
    email: IM_EMAIL,
    name: "Marta Silva",
    role: "responder",
    password,
  });
  await createUser(ctx, { email: "oli.ward@example.com", name: "Oli Ward", role: "responder", password });
  adminToken = (await createToken(ctx, admin.id, "cli test")).token;
  martaToken = (await createToken(ctx, marta.id, "cli test")).token;
});

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("runsheet incident commands", () => {
  it("declares, hands over, ticks, logs, resolves and reads the whole timeline back", {
    timeout: 120_000,
  }, async () => {
    const declared = await runsheet([
      "declare",
      "--title",
      "Card payments failing",
      "--severity",
      "sev1",
      "--criteria",
      "money-flow-down,customer-reports",
      "--component",
      "card-payments=major_outage",
      "--detected-by",
      "monitoring",
    ]);
    expect(declared.stderr).toBe("");
    expect(declared.code).toBe(0);
    const ref = /^Declared (INC-\d+): Card payments failing \(sev1\)$/m.exec(declared.stdout)?.[1];
    expect(ref).toBeDefined();
    expect(declared.stdout).toMatch(
      /incident-manager\s+Major Incident Manager \(MIM\)\s+Marta Silva <marta\.silva@example\.com>\s+lead/,
    );
    const incident = ref!;

    const shown = await runsheet(["show", incident]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("Components: Card payments (major outage)");
    expect(shown.stdout).toMatch(/^Checklist \(0\/\d+ done\):$/m);
    expect(shown.stdout).toContain("Final fix: none logged yet");
    const itemId = /^ {2}\[ \] {2}(\S+) {2}incident-manager {2}Assess the severity/m.exec(shown.stdout)?.[1];
    expect(itemId).toMatch(/^[0-9a-f-]{36}$/);

    const handedOver = await runsheet(["role", incident, "comms-manager", "--to", "oli.ward@example.com"]);
    expect(handedOver.stdout).toContain(
      `${incident}: Communication Managers (internal & external) is now held by Oli Ward`,
    );

    const ticked = await runsheet(["check", incident, itemId!]);
    expect(ticked.stdout).toMatch(
      /\[x\] {2}\S+ {2}incident-manager {2}Assess the severity .* \(done by Ada Admin\)/,
    );

    const decision = await runsheet(["note", incident, "Roll back deploy 142", "--kind", "decision"]);
    expect(decision.stdout).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}decision {2}Ada Admin: Roll back deploy 142$/m,
    );

    const tooEarly = await runsheet(["status", incident, "resolved"]);
    expect(tooEarly.code).toBe(1);
    expect(tooEarly.stderr).toContain(
      `runsheet: ${incident} cannot be resolved yet: no final fix has been confirmed.`,
    );
    expect(tooEarly.stderr).toContain("(log a fix with final: true as the incident manager");

    const fix = await runsheet(["note", incident, "Rolled back to 141", "--kind", "fix", "--final"], {
      RUNSHEET_TOKEN: martaToken,
    });
    expect(fix.stdout).toContain(
      "fix  Marta Silva: Rolled back to 141 [final fix, confirmed by Marta Silva]",
    );

    const resolved = await runsheet(["status", incident, "resolved", "--reason", "Payments flow again"]);
    expect(resolved.stderr).toBe("");
    expect(resolved.stdout.trim()).toBe(`${incident} is now resolved: Card payments failing`);

    const timeline = await runsheet(["timeline", incident, "--json"]);
    expect(timeline.code).toBe(0);
    const entries = (JSON.parse(timeline.stdout) as { items: TimelineEntry[] }).items;
    const position = (match: (e: TimelineEntry) => boolean) => entries.findIndex(match);
    const steps = [
      position((e) => e.kind === "declared"),
      position((e) => e.kind === "role_assigned" && e.body.includes("handed over to Oli Ward")),
      position((e) => e.kind === "checklist" && e.body.startsWith("Done: Assess the severity")),
      position((e) => e.kind === "decision" && e.body === "Roll back deploy 142"),
      position((e) => e.kind === "fix" && e.final && e.confirmedBy?.email === IM_EMAIL),
      position((e) => e.kind === "status_changed" && e.data.to === "resolved"),
    ];
    expect(
      steps.every((i) => i >= 0),
      `missing entries in ${entries.map((e) => e.kind).join(", ")}`,
    ).toBe(true);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(position((e) => e.kind === "role_assigned")).toBeGreaterThan(steps[0]!);

    const list = await runsheet(["incidents", "--status", "resolved"]);
    expect(list.stdout).toMatch(/^REF\s+SEV\s+STATUS\s+FOR\s+LEAD\s+TITLE$/m);
    expect(list.stdout).toMatch(
      new RegExp(
        `^${incident}\\s+sev1\\s+resolved\\s+\\d+[smhd]( \\d+[smh])?\\s+Marta Silva\\s+Card payments failing$`,
        "m",
      ),
    );
  });

  it("fails with the exit code and message that fit", { timeout: 60_000 }, async () => {
    const port = await closedPort();
    const [noToken, unknown, unreachable, badComponent] = await Promise.all([
      runsheet(["incidents"], { RUNSHEET_TOKEN: "" }),
      runsheet(["show", "INC-999"]),
      runsheet(["incidents"], { RUNSHEET_URL: `http://127.0.0.1:${port}` }),
      runsheet([
        "declare",
        "--title",
        "x",
        "--severity",
        "sev1",
        "--criteria",
        "slo-breach",
        "--component",
        "card-payments",
      ]),
    ]);

    expect(noToken.code).toBe(4);
    expect(noToken.stderr).toContain("runsheet: No API token: set RUNSHEET_TOKEN.");

    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("runsheet: Incident INC-999 was not found.");

    expect(unreachable.code).toBe(10);
    expect(unreachable.stderr).toContain(
      `runsheet: Cannot reach Runsheet at http://127.0.0.1:${port}: is the server running? Set RUNSHEET_URL.`,
    );

    expect(badComponent.code).toBe(1);
    expect(badComponent.stderr).toContain('--component: "card-payments" is not id=impact');
    expect(badComponent.stderr).toContain("--component card-payments=major_outage");
  });
});

describe("apiClient", () => {
  it("follows nextCursor until the whole timeline is read", async () => {
    const client = apiClient({ url: server.url, token: adminToken });
    const incident = await client.declare({
      title: "Webhooks delayed",
      severity: "sev3",
      criteria: ["slo-breach"],
    });
    for (const body of ["queue is growing", "scaled workers", "queue drained"]) {
      await client.appendEntry(incident.reference, { kind: "note", body });
    }
    const onePage = await client.timeline(incident.reference);
    expect(onePage.nextCursor).toBeUndefined();
    expect(onePage.items.length).toBeGreaterThan(4);

    const firstOfTwo = await client.timeline(incident.reference, { limit: 2 });
    expect(firstOfTwo.nextCursor).toBeDefined();
    const paged = await client.wholeTimeline(incident.reference, 2);
    expect(paged.items.map((e) => e.id)).toEqual(onePage.items.map((e) => e.id));
  });

  it("turns a refused token into unauthenticated", async () => {
    const client = apiClient({ url: server.url, token: "rs_not_a_token" });
    const error = await client.listIncidents().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("unauthenticated");
  });

  it("maps problem answers to our codes, preferring the body's code", () => {
    const problem = (status: number, code: string, errors: unknown[] = []) =>
      JSON.stringify({ type: "t", title: "x", status, detail: `detail ${status}`, code, errors });

    const invalidAnswer = problemToError(
      "http://x",
      422,
      problem(422, "invalid", [{ path: "criteria", message: "m", hint: "h" }]),
    );
    expect([invalidAnswer.code, invalidAnswer.message, invalidAnswer.issues]).toEqual([
      "invalid",
      "detail 422",
      [{ path: "criteria", message: "m", hint: "h" }],
    ]);
    expect(problemToError("http://x", 400, problem(400, "conflict")).code).toBe("conflict");
    expect(problemToError("http://x", 500, problem(500, "internal")).code).toBe("unavailable");
    expect(problemToError("http://x", 415, problem(415, "unsupported_media_type")).code).toBe("bad_request");
    const proxy = problemToError("http://x", 404, "<html>Not Found</html>");
    expect([proxy.code, proxy.message]).toEqual(["not_found", "Runsheet at http://x answered HTTP 404."]);
    expect(problemToError("http://x", 502, "Bad gateway").code).toBe("unavailable");
    expect(problemToError("http://x", 413, "").code).toBe("too_large");
  });
});
