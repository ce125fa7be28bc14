import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FirstRunSetup } from "../src/auth/setup.ts";
import { type App, buildApp } from "../src/http/app.ts";
import { WEB_APP_CSP } from "../src/http/routes/web-app.ts";
import { PlanHolder } from "../src/plan/versions.ts";
import { fixedClock } from "../src/shared/clock.ts";
import { examplePlan } from "./support/app.ts";
import { openTestStore, type TestStore } from "./support/stores.ts";

/** /app serves the built web app: client routes fall back to index.html, assets are cached, the root is not ours. */
async function appWith(distDir: string, store: TestStore): Promise<App> {
  return buildApp({
    store: store.store,
    plans: new PlanHolder({ plan: examplePlan(), version: 1 }),
    clock: fixedClock("2026-11-27T03:00:00.000Z"),
    publicUrl: "http://runsheet.test",
    setup: new FirstRunSetup(),
    webDistDir: distDir,
  });
}

describe("the web app under /app", () => {
  let dist: string;
  let store: TestStore;
  let app: App;

  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), "runsheet-dist-"));
    mkdirSync(path.join(dist, "assets"));
    writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>Runsheet</title>");
    writeFileSync(path.join(dist, "assets", "index-abc123.js"), "console.log(1)");
    writeFileSync(path.join(dist, "theme.js"), "void 0");
    store = await openTestStore("sqlite");
    app = await appWith(dist, store);
  });

  afterAll(async () => {
    await app.close();
    await store.cleanup();
    rmSync(dist, { recursive: true, force: true });
  });

  it("redirects /app to /app/", async () => {
    const res = await app.inject({ url: "/app?x=1" });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe("/app/?x=1");
  });

  it("answers client routes with index.html, uncached, under a strict CSP", async () => {
    for (const url of [
      "/app/",
      "/app/incidents/INC-4",
      "/app/plan/versions/3",
      "/app/on-call/mim-rota",
      "/app/alerts/integrations",
      "/app/alerts?status=resolved",
      "/app/me",
      "/app/index.html",
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain("<title>Runsheet</title>");
      expect(res.headers["content-type"], url).toMatch(/^text\/html/);
      expect(res.headers["cache-control"], url).toBe("no-cache");
      expect(res.headers["content-security-policy"], url).toBe(WEB_APP_CSP);
    }
    expect(WEB_APP_CSP).toContain("script-src 'self'");
    expect(WEB_APP_CSP).not.toContain("unsafe-inline");
  });

  it("caches hashed assets for a year, and 404s a missing one", async () => {
    const asset = await app.inject({ url: "/app/assets/index-abc123.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await app.inject({ url: "/app/assets/" })).statusCode).toBe(404);
    const missing = await app.inject({ url: "/app/assets/index-gone.js" });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["cache-control"]).toBeUndefined();
    expect(missing.headers["content-type"]).toMatch(/problem\+json/);
  });

  it("serves top-level files uncached and 404s missing ones instead of the app", async () => {
    const theme = await app.inject({ url: "/app/theme.js" });
    expect(theme.statusCode).toBe(200);
    expect(theme.headers["cache-control"]).toBe("no-cache");
    expect((await app.inject({ url: "/app/favicon.ico" })).statusCode).toBe(404);
  });

  it("never leaves web/dist", async () => {
    for (const url of [
      "/app/assets/../../package.json",
      "/app/assets/%2e%2e/%2e%2e/package.json",
      "/app/..%2fpackage.json",
    ]) {
      const res = await app.inject({ url });
      expect(res.body, url).not.toContain('"name": "runsheet"');
      expect([200, 403, 404], url).toContain(res.statusCode);
    }
  });

  it("leaves the site root to the status page", async () => {
    const root = await app.inject({ url: "/" });
    expect(root.statusCode).toBe(200);
    expect(root.body).not.toContain('id="root"');
    expect(root.body).toContain("All Systems Operational");
  });

  it("says how to build the app when it is not built", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "runsheet-nodist-"));
    const other = await openTestStore("sqlite");
    const bare = await appWith(path.join(empty, "dist"), other);
    try {
      const res = await bare.inject({ url: "/app/incidents" });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain("npm run build:web");
      expect((await bare.inject({ url: "/app/assets/x.js" })).statusCode).toBe(404);
    } finally {
      await bare.close();
      await other.cleanup();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
