import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createToken } from "../../src/auth/credentials.ts";
import { createUser } from "../../src/auth/users.ts";
import { serveConfig } from "../../src/config.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { writeExport } from "../../src/statuspage/export.ts";
import type { SmtpSink } from "../fakes/smtp-sink.ts";
import { type Fakes, startFakes } from "../support/comms-world.ts";
import { tempDir, waitUntil } from "../support/fanout.ts";
import { type Browser, HAS_CHROMIUM, openBrowser, requireChromium } from "./support/browser.ts";
import { checkScreen } from "./support/screens.ts";

/**
 * The public status page as a customer meets it: readable with JavaScript
 * off, accessible in both themes and on a phone, subscribable by email (double
 * opt-in through a real SMTP server), showing a published update within a
 * second, and whole when exported and opened from disk.
 */
const RUN = HAS_CHROMIUM || Boolean(process.env.CI);

describe.skipIf(!RUN)("the public status page in a browser", { timeout: 60_000 }, () => {
  let dir: string;
  let fakes: Fakes;
  let smtp: SmtpSink;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    requireChromium();
    dir = tempDir("runsheet-e2e-statuspage-");
    fakes = await startFakes();
    smtp = fakes.smtp;
    const file = path.join(dir, "runsheet.yaml");
    writeFileSync(file, stringify(fakes.plan));
    server = await startServer(
      serveConfig(
        { port: "0", data: path.join(dir, "data"), plan: file },
        { LOG_LEVEL: "silent", RUNSHEET_URL_ALLOWLIST: "127.0.0.1", ...fakes.env },
      ),
    );
    const ctx = { store: server.store, clock: systemClock };
    const { user } = await createUser(ctx, {
      email: "ana.lima@example.com",
      name: "Ana Lima",
      role: "admin",
      password: "status page passphrase",
    });
    token = (await createToken(ctx, user.id, "e2e")).token;
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fakes?.close();
  });

  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
    return JSON.parse(text);
  };

  it("is readable without JavaScript, in both themes and on a phone", async () => {
    const noScript = await browser.context.browser()?.newContext({ javaScriptEnabled: false });
    // A persistent context has no browser handle; a second page with scripts off says the same.
    const reader = noScript ? await noScript.newPage() : await browser.context.newPage();
    if (!noScript) await reader.context().route("**/*.js", (route) => route.abort());
    await reader.goto(`${server.url}/`);
    await expect(reader.getByRole("heading", { level: 1 }).textContent()).resolves.toContain(
      "Quillmark Status",
    );
    await expect(reader.locator("body").textContent()).resolves.toContain("All Systems Operational");
    await reader.close();

    await page.goto(`${server.url}/`);
    const light = await page.evaluate("getComputedStyle(document.body).backgroundColor");
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await page.evaluate("getComputedStyle(document.body).backgroundColor");
    expect(dark).not.toBe(light);
    await page.emulateMedia({ colorScheme: "light" });
    await checkScreen(page, "status-page", () => page.getByText("All Systems Operational").first().waitFor());
    await page.goto(`${server.url}/history`);
    await checkScreen(page, "status-history", () => page.getByRole("heading", { level: 1 }).waitFor());
    await page.goto(`${server.url}/subscribe`);
    await checkScreen(page, "status-subscribe", () => page.locator('input[name="email"]').waitFor());
  });

  it("shows a published update within a second", async () => {
    await page.goto(`${server.url}/`);
    const incident = await api("POST", "/api/v1/incidents", {
      title: "Card payments failing",
      severity: "sev1",
      criteria: ["money-flow-down"],
      components: [{ id: "card-payments", impact: "major_outage" }],
    });
    const words = `Card payments fail for most customers (${Date.now()}).`;
    const started = performance.now();
    await api("POST", `/api/v1/incidents/${incident.id}/updates`, {
      phase: "investigating",
      body: words,
      channels: ["status-page"],
    });
    let shown = false;
    while (!shown && performance.now() - started < 5_000) {
      await page.reload();
      shown = ((await page.locator("main").textContent()) ?? "").includes(words);
    }
    const elapsed = performance.now() - started;
    expect(shown).toBe(true);
    expect(elapsed).toBeLessThan(1_000);
    await expect(page.locator("main").textContent()).resolves.toContain("Major outage");
    await checkScreen(page, "status-page-incident", () => page.getByText(words).first().waitFor());
    await page.getByRole("link", { name: "Card payments failing" }).first().click();
    await page.waitForURL(`**/incidents/${incident.id}`);
    await expect(page.locator("main").textContent()).resolves.toContain(words);
    await checkScreen(page, "status-incident", () => page.getByText(words).first().waitFor());
  });

  it("subscribes by email with double opt-in", async () => {
    await page.goto(`${server.url}/subscribe`);
    await page.locator('input[name="email"]').fill("reader@customer.example");
    await page.getByRole("checkbox", { name: "Card payments" }).first().check();
    await Promise.all([
      page.waitForNavigation(),
      page
        .getByRole("button", { name: /subscribe/i })
        .first()
        .click(),
    ]);
    await expect(page.locator("body").textContent()).resolves.toContain("Check your inbox");
    expect(
      await waitUntil(() => smtp.messages.some((m) => m.to.includes("reader@customer.example")), 10_000),
    ).toBe(true);
    const mail = smtp.messages.find((m) => m.to.includes("reader@customer.example"));
    const link = /https?:\/\/\S+\/subscribe\/confirm\?token=[\w-]+/.exec(mail?.text ?? "")?.[0];
    expect(link, mail?.text).toBeDefined();
    await page.goto(String(link));
    await expect(page.locator("body").textContent()).resolves.toMatch(/confirmed|subscribed/i);
    const subscribers = await api("GET", "/api/v1/subscribers?kind=email");
    const reader = subscribers.items.find(
      (s: { address: string }) => s.address === "reader@customer.example",
    );
    expect(reader).toMatchObject({ state: "confirmed", components: ["card-payments"] });
  });

  it("exports a static copy that opens from disk", async () => {
    const out = path.join(dir, "export");
    await writeExport(out, server.app.statusPage.site.exportFiles());
    await page.goto(pathToFileURL(path.join(out, "index.html")).href);
    await expect(page.locator("main").textContent()).resolves.toContain("Card payments failing");
    await page
      .getByRole("link", { name: /history/i })
      .first()
      .click();
    await page.waitForURL(/history\/index\.html$/);
    await page.getByRole("link", { name: "Card payments failing" }).first().click();
    await page.waitForURL(/incidents\/[0-9a-f-]+\/index\.html$/);
    await expect(page.locator("main").textContent()).resolves.toContain(
      "Card payments fail for most customers",
    );
  });
});
