import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { serveConfig } from "../../src/config.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import type { FakeChat } from "../fakes/chat-providers.ts";
import type { SmtpSink } from "../fakes/smtp-sink.ts";
import { type Fakes, startFakes } from "../support/comms-world.ts";
import { tempDir } from "../support/fanout.ts";
import { type Browser, HAS_CHROMIUM, openBrowser, requireChromium } from "./support/browser.ts";
import { buildWebApp } from "./support/server.ts";

/**
 * Publishing from the web app: the composer lists the plan's channels with why
 * each applies, the author ticks every one, and the update goes out to every
 * channel type through its real protocol (chat webhooks, a signed webhook,
 * SMTP, Mastodon, Bluesky, X, Jira Service Management, Zendesk), each a local
 * fake; a provider that refuses shows a dead delivery, which "Send again"
 * recovers. An event that meets none of the criteria is logged instead.
 */
const RUN = HAS_CHROMIUM || Boolean(process.env.CI);

describe.skipIf(!RUN)("publishing to channels from the web app", { timeout: 60_000 }, () => {
  let dir: string;
  let fakes: Fakes;
  let chat: FakeChat;
  let smtp: SmtpSink;
  let server: RunningServer;
  let browser: Browser;
  let cookie: string;

  beforeAll(async () => {
    requireChromium();
    buildWebApp();
    dir = tempDir("runsheet-e2e-channels-");
    fakes = await startFakes();
    // Every channel of the example plan points at a fake; the wait before posting
    // to social accounts is dropped, as a browser test cannot wait an hour.
    const channels = fakes.plan.channels.map(({ when, ...c }) => {
      const { min_duration: _wait, ...rest } = when;
      return { ...c, when: rest };
    });
    const file = path.join(dir, "runsheet.yaml");
    writeFileSync(file, stringify({ ...fakes.plan, channels }));
    server = await startServer(
      serveConfig(
        { port: "0", data: path.join(dir, "data"), plan: file },
        { LOG_LEVEL: "silent", RUNSHEET_URL_ALLOWLIST: "127.0.0.1", ...fakes.env },
      ),
    );
    chat = fakes.chat;
    smtp = fakes.smtp;
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        code: server.setupCode,
        email: "marta.silva@example.com",
        name: "Marta Silva",
        password: "correct horse battery staple",
      }),
    });
    cookie = String(setup.headers.get("set-cookie")).split(";")[0]!;
    browser = await openBrowser();
    const [name, value] = cookie.split("=");
    await browser.context.addCookies([{ name: name!, value: value!, url: server.url }]);
    const declared = await fetch(`${server.url}/api/v1/incidents`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({
        title: "Card payments failing",
        severity: "sev1",
        criteria: ["money-flow-down"],
        components: [{ id: "card-payments", impact: "major_outage" }],
      }),
    });
    expect(declared.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fakes?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("publishes to the chosen channels and shows each delivery arrive", async () => {
    const page = browser.page;
    await page.goto(`${server.url}/app/incidents/INC-1`);
    await page.keyboard.press("u");
    const slack = page.getByRole("checkbox", { name: /Slack #incidents/ });
    await slack.waitFor();
    // Why a channel applies is shown next to it; one this person may not use is disabled.
    await page
      .getByText(/Applies: /)
      .first()
      .waitFor();
    for (const name of [
      /Slack #incidents/,
      /Internal stakeholders list/,
      /Signed webhook for integration partners/,
    ]) {
      const box = page.getByRole("checkbox", { name });
      if (!(await box.isChecked())) await box.check();
    }
    await page.getByRole("button", { name: /^Post to \d+ channels?$/ }).click();
    await page.locator(".update-item .delivery").first().waitFor();
    const answer = await fetch(`${server.url}/api/v1/incidents/INC-1/updates`, { headers: { cookie } });
    const updates = (await answer.json()) as { items: Array<{ deliveries: unknown[] }> };
    const deliveries = (updates.items[0]?.deliveries ?? []) as Array<{ channelId: string }>;
    const expected = deliveries.length;
    // Every channel type of the plan, each through its own protocol.
    expect(new Set(deliveries.map((d) => d.channelId)).size).toBeGreaterThanOrEqual(13);
    // Every delivery shows up as delivered, live, without a reload.
    await expect
      .poll(() => page.locator('.update-item .delivery[data-state="delivered"]').count(), { timeout: 15_000 })
      .toBe(expected);
    expect(chat.requests.filter((r) => r.path.startsWith("/slack/"))).toHaveLength(1);
    expect(chat.webhookIds).toHaveLength(1);
    expect(smtp.messages.flatMap((m) => m.to)).toContain("stakeholders@example.com");
    for (const provider of ["teams", "discord", "mattermost", "googlechat"]) {
      expect(
        chat.requests.filter((r) => r.path.startsWith(`/${provider}/`)),
        provider,
      ).toHaveLength(1);
    }
    expect(fakes.mastodon.statuses).toHaveLength(1);
    expect(fakes.bluesky.posts).toHaveLength(1);
    expect(fakes.x.posts).toHaveLength(1);
    expect(fakes.jira.issues).toHaveLength(1);
    expect(fakes.zendesk.tickets).toHaveLength(1);
  });

  it("shows a delivery the provider refused as dead, and sends it again", async () => {
    const page = browser.page;
    chat.behave("/slack/services/T000/B000/XXXX", [{ status: 410 }]);
    await page.keyboard.press("u");
    const slack = page.getByRole("checkbox", { name: /Slack #incidents/ });
    await slack.waitFor();
    // Only Slack this time: untick whatever the composer picked by default.
    const others = page.locator(
      'input[type="checkbox"][id^="channel-"]:checked:not(:disabled):not(#channel-slack-incidents)',
    );
    for (let i = 0; i < 20 && (await others.count()) > 0; i++) await others.first().click();
    await slack.check();
    await page.getByRole("button", { name: "Post to 1 channel" }).click();
    const dead = page.locator('.update-item .delivery[data-state="dead"]');
    await dead.first().waitFor({ timeout: 15_000 });
    await dead
      .first()
      .getByRole("button", { name: /Send again/ })
      .click();
    await expect.poll(() => dead.count(), { timeout: 15_000 }).toBe(0);
    expect(chat.requests.filter((r) => r.path.startsWith("/slack/"))).toHaveLength(3);
  });

  it("logs an event that meets none of the criteria instead of declaring it", async () => {
    const page = browser.page;
    await page.goto(`${server.url}/app/incidents/new`);
    await page.getByLabel("What is happening?").fill("One customer sees a slow dashboard");
    await page.getByRole("button", { name: "None holds: log it as an event" }).click();
    await page
      .getByRole("status")
      .getByText(/Logged as an event, not an incident/)
      .waitFor();
    const answer = await fetch(`${server.url}/api/v1/event-log`, { headers: { cookie } });
    const events = (await answer.json()) as { items: Array<{ title: string }> };
    expect(events.items.map((e) => e.title)).toContain("One customer sees a slow dashboard");
  });
});
