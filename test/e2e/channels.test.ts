import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { newWebhookSecret } from "../../src/comms/standard-webhooks.ts";
import { serveConfig } from "../../src/config.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { type FakeChat, startFakeChat } from "../fakes/chat-providers.ts";
import { type SmtpSink, startSmtpSink } from "../fakes/smtp-sink.ts";
import { examplePlan } from "../support/app.ts";
import { tempDir } from "../support/fanout.ts";
import { type Browser, CHROMIUM_PATH, HAS_CHROMIUM, openBrowser } from "./support/browser.ts";
import { buildWebApp } from "./support/server.ts";

/**
 * Publishing from the web app: the composer lists the plan's channels with why
 * each applies, the author picks some, and the deliveries go out through real
 * protocols (a chat webhook, a signed webhook, SMTP) to local fakes; a provider
 * that refuses shows a dead delivery, which "Send again" recovers.
 */
const RUN = HAS_CHROMIUM || Boolean(process.env.CI);

describe.skipIf(!RUN)("publishing to channels from the web app", { timeout: 60_000 }, () => {
  let dir: string;
  let chat: FakeChat;
  let smtp: SmtpSink;
  let server: RunningServer;
  let browser: Browser;
  let cookie: string;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) throw new Error(`CI needs Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
    buildWebApp();
    dir = tempDir("runsheet-e2e-channels-");
    const secret = newWebhookSecret();
    chat = await startFakeChat({ webhookSecrets: [secret] });
    smtp = await startSmtpSink();
    const plan = examplePlan();
    const settings: Record<string, Record<string, unknown>> = {
      "slack-incidents": { webhook_url: { env: "SLACK_WEBHOOK_URL" } },
      "stakeholder-email": {
        from: "Incidents <incidents@example.com>",
        to: ["stakeholders@example.com"],
        smtp_host: smtp.host,
        smtp_port: smtp.port,
        smtp_username: smtp.user,
        smtp_password: { env: "SMTP_PASSWORD" },
      },
      "partner-webhook": {
        url: `${chat.url}/webhook/partners`,
        signing_secret: { env: "PARTNER_WEBHOOK_SECRET" },
      },
    };
    const file = path.join(dir, "runsheet.yaml");
    writeFileSync(
      file,
      stringify({
        ...plan,
        channels: plan.channels.map((c) => (settings[c.id] ? { ...c, settings: settings[c.id] } : c)),
      }),
    );
    server = await startServer(
      serveConfig(
        { port: "0", data: path.join(dir, "data"), plan: file },
        {
          LOG_LEVEL: "silent",
          RUNSHEET_URL_ALLOWLIST: "127.0.0.1",
          SLACK_WEBHOOK_URL: `${chat.url}/slack/services/T000/B000/XXXX`,
          SMTP_PASSWORD: smtp.password,
          PARTNER_WEBHOOK_SECRET: secret,
        },
      ),
    );
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
    await chat?.close();
    await smtp?.close();
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
    const expected = updates.items[0]?.deliveries.length ?? 0;
    expect(expected).toBeGreaterThanOrEqual(3);
    // Every delivery shows up as delivered, live, without a reload.
    await expect
      .poll(() => page.locator('.update-item .delivery[data-state="delivered"]').count(), { timeout: 15_000 })
      .toBe(expected);
    expect(chat.requests.filter((r) => r.path.startsWith("/slack/"))).toHaveLength(1);
    expect(chat.webhookIds).toHaveLength(1);
    expect(smtp.messages.flatMap((m) => m.to)).toContain("stakeholders@example.com");
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
