import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { serveConfig } from "../../../src/config.ts";
import { EXAMPLE_PLAN_PATH } from "../../../src/plan/index.ts";
import { type RunningServer, startServer } from "../../../src/server.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** Builds web/dist from the current sources, so the suite never runs against a stale build. */
export function buildWebApp(): void {
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, "node_modules/vite/bin/vite.js"),
      "build",
      "--config",
      "web/vite.config.ts",
      "--logLevel",
      "error",
    ],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
}

export interface TestServer {
  server: RunningServer;
  url: string;
  setupCode: string;
  close(): Promise<void>;
}

/** `runsheet serve` in-process, on a fresh SQLite store with the example plan, on a free port. */
export async function startTestServer(): Promise<TestServer> {
  const data = mkdtempSync(path.join(tmpdir(), "runsheet-e2e-"));
  const server = await startServer(
    serveConfig({ port: "0", data, plan: EXAMPLE_PLAN_PATH }, { LOG_LEVEL: "silent" }),
  );
  if (!server.setupCode) throw new Error("a fresh store should ask for the first-run setup");
  return {
    server,
    url: server.url,
    setupCode: server.setupCode,
    async close() {
      await server.close();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export const PASSWORD = "correct horse battery staple";

/** The first admin, signed up through the first-run setup, with an API token for arranging data. */
export interface Admin {
  token: string;
  /** The setup's session cookie (`name=value`). */
  cookie: string;
  /** Calls the API with the token; fails the test on any answer but 2xx. */
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * First-run setup as Marta Silva, the example plan's incident manager, who
 * becomes the admin (in Lisbon's time zone unless told otherwise), then an API
 * token for her.
 */
export async function setUpMarta(
  server: TestServer,
  options: { timezone?: string; tokenLabel?: string } = {},
): Promise<Admin> {
  const setup = await fetch(`${server.url}/api/v1/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      code: server.setupCode,
      email: "marta.silva@example.com",
      name: "Marta Silva",
      password: PASSWORD,
      timezone: options.timezone ?? "Europe/Lisbon",
    }),
  });
  expect(setup.status).toBe(201);
  const cookie = (setup.headers.get("set-cookie") ?? "").split(";")[0]!;
  const created = await fetch(`${server.url}/api/v1/tokens`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ label: options.tokenLabel ?? "e2e" }),
  });
  expect(created.status).toBe(201);
  const token = ((await created.json()) as { token: string }).token;
  return {
    token,
    cookie,
    async api<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`).toBe(true);
      return (await res.json()) as T;
    },
  };
}
