import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SMTPServer } from "smtp-server";
import { stringify } from "yaml";
import { createToken } from "../../src/auth/credentials.ts";
import { sha256 } from "../../src/auth/secrets.ts";
import { createUser } from "../../src/auth/users.ts";
import { newWebhookSecret } from "../../src/comms/standard-webhooks.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { newId } from "../../src/shared/ids.ts";
import { openStore, type StoreConfig } from "../../src/store/open.ts";
import { examplePlan } from "./app.ts";

/**
 * A fan-out rig shared by `npm run bench:fanout` and the kill test: local SMTP
 * and HTTP sinks that count what they receive (with each message's
 * idempotency id), a store seeded with email and webhook subscribers, a plan
 * whose subscriber channels point at the sinks, and `runsheet serve` as a
 * child process that can be killed and started again.
 */
export interface Sinks {
  smtpPort: number;
  httpPort: number;
  /** Recipient → Message-IDs received (more than one: a duplicate). */
  emails: Map<string, string[]>;
  /** Subscriber path → webhook-ids received. */
  webhooks: Map<string, string[]>;
  received(): number;
  close(): Promise<void>;
}

export async function startSinks(): Promise<Sinks> {
  const emails = new Map<string, string[]>();
  const webhooks = new Map<string, string[]>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let head = "";
      stream.on("data", (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString("utf8");
      });
      stream.on("end", () => {
        const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? "";
        for (const rcpt of session.envelope.rcptTo)
          emails.set(rcpt.address, [...(emails.get(rcpt.address) ?? []), id]);
        callback();
      });
    },
  });
  // A killed sender resets its connections: that is expected here, not an error.
  smtp.on("error", () => {});
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const http: Server = createServer((req, res) => {
    req.on("error", () => {});
    req.resume();
    req.on("end", () => {
      const id = String(req.headers["webhook-id"] ?? "");
      const key = req.url ?? "";
      webhooks.set(key, [...(webhooks.get(key) ?? []), id]);
      res.writeHead(204).end();
    });
  });
  http.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    smtpPort: (smtp.server.address() as { port: number }).port,
    httpPort: (http.address() as { port: number }).port,
    emails,
    webhooks,
    received: () => emails.size + webhooks.size,
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The example plan with its subscriber channels pointed at the sinks, written to a file for `runsheet serve`. */
export function writeFanoutPlan(dir: string, sinks: Sinks): string {
  const plan = examplePlan();
  const channels = [
    {
      id: "subscriber-email",
      type: "email",
      name: "Email to subscribers",
      when: { audience: "external" },
      who: { roles: ["comms-manager"] },
      settings: { from: "Status <status@example.com>", smtp_host: "127.0.0.1", smtp_port: sinks.smtpPort },
    },
    {
      id: "subscriber-webhooks",
      type: "webhook",
      name: "Webhook subscribers",
      when: { audience: "external" },
      who: { roles: ["comms-manager"] },
      settings: { subscribers: true },
    },
  ];
  const file = path.join(dir, "runsheet.yaml");
  writeFileSync(file, stringify({ ...plan, channels }));
  return file;
}

/** Seeds an admin with a token, `emails` email subscribers and `hooks` webhook subscribers; returns the token. */
export async function seedFanout(
  storeConfig: StoreConfig,
  sinks: Sinks,
  emails: number,
  hooks: number,
): Promise<string> {
  const store = await openStore(storeConfig);
  try {
    const ctx = { store, clock: systemClock };
    const { user } = await createUser(ctx, {
      email: "fanout@example.com",
      name: "Fan Out",
      role: "admin",
      password: "fan-out passphrase",
    });
    const { token } = await createToken(ctx, user.id, "fanout");
    const now = new Date().toISOString();
    const rows = [
      ...Array.from({ length: emails }, (_, i) => ({
        kind: "email" as const,
        address: `reader${i}@example.net`,
        webhook_secret: null,
      })),
      ...Array.from({ length: hooks }, (_, i) => ({
        kind: "webhook" as const,
        address: `http://127.0.0.1:${sinks.httpPort}/hook/${i}`,
        webhook_secret: newWebhookSecret(),
      })),
    ].map((r) => ({
      id: newId(),
      ...r,
      components: null,
      state: "confirmed" as const,
      confirm_token_hash: null,
      unsubscribe_token: sha256(newId()),
      created_at: now,
      confirmed_at: now,
      unsubscribed_at: null,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await store.transaction((tx) =>
        tx
          .insertInto("subscribers")
          .values(rows.slice(i, i + 500))
          .execute(),
      );
    }
    return token;
  } finally {
    await store.close();
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `runsheet serve` and waits until it answers. */
export async function startServerProcess(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["bin/runsheet.js", "serve", "--port", String(port)], {
    env: { ...process.env, LOG_LEVEL: "warn", RUNSHEET_URL_ALLOWLIST: "127.0.0.1", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {}
    if (child.exitCode !== null) throw new Error(`runsheet serve exited with ${child.exitCode}`);
    await sleep(100);
  }
  child.kill("SIGKILL");
  throw new Error("runsheet serve did not start");
}

/** Declares an incident and publishes one update to both subscriber channels; returns when the API answered. */
export async function publishFanout(
  port: number,
  token: string,
): Promise<{ updateId: string; deliveries: number }> {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const base = `http://127.0.0.1:${port}/api/v1/incidents`;
  const incident = (await (
    await fetch(base, {
      method: "POST",
      headers,
      body: JSON.stringify({
        title: "Card payments failing",
        severity: "sev1",
        criteria: ["money-flow-down"],
        components: [{ id: "card-payments", impact: "major_outage" }],
      }),
    })
  ).json()) as { id: string };
  const res = await fetch(`${base}/${incident.id}/updates`, {
    method: "POST",
    headers,
    body: JSON.stringify({ phase: "investigating", channels: ["subscriber-email", "subscriber-webhooks"] }),
  });
  if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
  const update = (await res.json()) as { id: string; deliveries: unknown[] };
  return { updateId: update.id, deliveries: update.deliveries.length };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) return false;
    await sleep(20);
  }
  return true;
}
