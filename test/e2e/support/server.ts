import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
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
