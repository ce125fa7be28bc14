import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { serveConfig } from "../../src/config.ts";
import { EXAMPLE_PLAN_PATH } from "../../src/plan/index.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import type { DialectName } from "../../src/store/column-types.ts";
import { dialects } from "../support/stores.ts";
import {
  type Browser,
  HAS_CHROMIUM,
  headerOnOneLine,
  openBrowser,
  openHeaderMenu,
  requireChromium,
} from "./support/browser.ts";
import { checkScreen, scanned } from "./support/screens.ts";
import { buildWebApp } from "./support/server.ts";

/**
 * On-call, alerts and my paging in a real browser, against `runsheet serve`
 * with the example plan on a fresh SQLite store and a fresh PostgreSQL
 * database: the admin sees who is on call, covers the next hours with an
 * override and sees the timeline and "on call now" change, then removes it;
 * gets the schedule's calendar feed; creates a PagerDuty integration and sees
 * its key once; an event posted to /v2/enqueue with that key shows in the
 * alerts, where it is acknowledged and resolved, and a proposed incident is
 * accepted; she adds a contact method and a rule, and acknowledges the page a
 * declaration sent her from My paging. On SQLite every screen is also scanned
 * with axe at desktop and phone widths in both themes (and saved by
 * `npm run screenshots`).
 */
const RUN = HAS_CHROMIUM || Boolean(process.env.CI);

const PASSWORD = "correct horse battery staple";
const HOUR = 3_600_000;
const SCHEDULE = "mim-rota";

/** An instant as a datetime-local value in Europe/Lisbon (the schedule's zone and the browser's). */
function lisbonInput(ms: number): string {
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Lisbon",
    dateStyle: "short",
    timeStyle: "short",
  })
    .format(new Date(ms))
    .replace(" ", "T");
}

interface Served {
  server: RunningServer;
  close(): Promise<void>;
}

/** `runsheet serve` with the example plan, on a fresh SQLite folder or a fresh PostgreSQL database. */
async function serve(dialect: DialectName): Promise<Served> {
  const data = mkdtempSync(path.join(tmpdir(), "runsheet-e2e-oncall-"));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (dialect === "postgres") {
    const base = inject("pgUrl");
    if (!base) throw new Error("PostgreSQL is not available");
    const name = `e2e_oncall_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    // The server's pool may still be closing its last connections: wait for them rather than cut them off.
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            await client.query(`drop database if exists ${name}`);
            return;
          } catch (error) {
            if (attempt >= 50) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      } finally {
        await client.end();
      }
    };
  }
  const server = await startServer(
    serveConfig(
      { port: "0", data, plan: EXAMPLE_PLAN_PATH },
      { LOG_LEVEL: "silent", ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
    ),
  );
  return {
    server,
    async close() {
      await server.close();
      await dropDatabase();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!RUN).each(dialects())("on-call, alerts and my paging in Chromium on %s", (dialect) => {
  // Each screen is scanned once: on SQLite. PostgreSQL runs the same steps.
  const scan = dialect === "sqlite" ? checkScreen : async () => {};
  let served: Served;
  let browser: Browser;
  let cookie: string;
  let base: string;
  let routingKey: string;
  const url = (route: string) => `${base}/app${route}`;
  const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${route}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.ok, `${method} ${route}: ${res.status} ${await res.clone().text()}`).toBe(true);
    return (res.status === 204 ? null : await res.json()) as T;
  };
  type Schedules = {
    items: Array<{ id: string; onCallNow: { email: string; name: string | null } | null }>;
  };
  const onCallNow = async () =>
    (await api<Schedules>("GET", "/api/v1/schedules")).items.find((s) => s.id === SCHEDULE)?.onCallNow;
  const users = new Map<string, string>();

  beforeAll(async () => {
    requireChromium();
    buildWebApp();
    served = await serve(dialect);
    base = served.server.url;
    const setup = await fetch(`${base}/api/v1/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        code: served.server.setupCode,
        email: "marta.silva@example.com",
        name: "Marta Silva",
        password: PASSWORD,
      }),
    });
    expect(setup.status).toBe(201);
    cookie = String(setup.headers.get("set-cookie")).split(";")[0]!;
    // The rota's other member, so either of them can be on call with an account.
    await api("POST", "/api/v1/users", {
      email: "jonas.weber@example.com",
      name: "Jonas Weber",
      role: "responder",
      password: PASSWORD,
    });
    for (const user of (await api<{ items: Array<{ id: string; email: string }> }>("GET", "/api/v1/users"))
      .items)
      users.set(user.email, user.id);
    browser = await openBrowser();
    const [name, value] = cookie.split("=");
    await browser.context.addCookies([{ name: name!, value: value!, url: base }]);
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it("shows who is on call on each schedule", async () => {
    const page = browser.page;
    await page.goto(url("/incidents"));
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "On-call" }).click();
    await page.waitForURL(/\/app\/on-call$/);
    await page.getByRole("heading", { name: "On-call", level: 1 }).waitFor();
    const now = await onCallNow();
    // The example rota alternates Marta and Jonas weekly: one of them is on call, whichever week this is.
    expect(["marta.silva@example.com", "jonas.weber@example.com"]).toContain(now?.email);
    const card = page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { name: "Incident managers" }) });
    await card
      .locator(".oncall-now")
      .getByText(now?.name ?? "?", { exact: true })
      .waitFor();
    await card.getByText("Europe/Lisbon").waitFor();
    await card.getByText("Marta Silva, then Jonas Weber; weekly, handing over at 09:00").waitFor();
    await scan(page, "oncall", () => card.waitFor());
  });

  it("covers the next hours with an override, which the timeline shows until it is removed", async () => {
    const page = browser.page;
    await page.getByRole("link", { name: "Incident managers" }).click();
    await page.waitForURL(/\/app\/on-call\/mim-rota$/);
    await page.getByRole("heading", { name: "Incident managers", level: 1 }).waitFor();
    const before = await onCallNow();
    const other = before?.email === "marta.silva@example.com" ? "Jonas Weber" : "Marta Silva";
    const otherEmail = other === "Jonas Weber" ? "jonas.weber@example.com" : "marta.silva@example.com";
    const today = page.locator(".timeline-day[data-today]");
    const todayShifts = () => today.locator(".timeline-row").first().locator(".shift").allTextContents();
    await today.waitFor();
    expect((await todayShifts()).join(" | ")).toContain(before?.name ?? "?");
    expect((await todayShifts()).join(" | ")).not.toContain("override");
    expect(await page.locator(".timeline-day").count()).toBe(14);
    await page.getByText("No current or upcoming overrides.").waitFor();

    // From the start of this hour, for two hours, in the schedule's zone.
    const start = Math.floor(Date.now() / HOUR) * HOUR;
    const end = start + 2 * HOUR;
    await page.getByLabel("Who covers").selectOption(users.get(otherEmail)!);
    await page.getByLabel("From", { exact: true }).fill(lisbonInput(start));
    await page.getByLabel("Until", { exact: true }).fill(lisbonInput(end));
    await page.getByRole("button", { name: "Add override" }).click();
    await page.getByText(`Added: ${other} covers from`).waitFor();

    await page.locator(".oncall-now").getByText(other, { exact: true }).waitFor();
    expect((await onCallNow())?.email).toBe(otherEmail);
    // Today's bar has the override, from this hour until two hours on (or midnight, whichever is first).
    const endText =
      lisbonInput(end).slice(0, 10) === lisbonInput(start).slice(0, 10)
        ? lisbonInput(end).slice(11)
        : "24:00";
    const override = `${other} ${lisbonInput(start).slice(11)}–${endText} (override)`;
    await expect.poll(todayShifts, { timeout: 10_000 }).toContain(override);
    const row = page.getByRole("row").filter({ hasText: otherEmail });
    await row.waitFor();
    await scan(page, "oncall-schedule", () => row.waitFor());

    // The layers' own shifts, on request, still say who the rotation has.
    await page.getByLabel("Show each layer's own shifts under the final schedule").check();
    await today
      .getByRole("list", { name: /, Weekly rotation$/ })
      .getByText(before?.name ?? "?")
      .first()
      .waitFor();
    await page.getByLabel("Show each layer's own shifts under the final schedule").uncheck();

    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: new RegExp(`^Remove ${other}'s override`) }).click();
    await page.getByText("No current or upcoming overrides.").waitFor();
    await expect.poll(todayShifts, { timeout: 10_000 }).not.toContain(override);
    expect((await todayShifts()).join(" | ")).not.toContain("override");
    await page
      .locator(".oncall-now")
      .getByText(before?.name ?? "?", { exact: true })
      .waitFor();
    // The focus is not lost with the removed row's button.
    expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe(
      "overrides-title",
    );
  });

  it("gives the schedule's secret calendar feed once", async () => {
    const page = browser.page;
    await page.getByRole("button", { name: "Get the feed URL" }).click();
    const field = page.getByLabel("Calendar feed URL");
    await field.waitFor();
    const feed = await field.inputValue();
    expect(feed).toMatch(new RegExp(`^${base}/api/v1/schedules/${SCHEDULE}\\.ics\\?token=`));
    const ics = await fetch(feed);
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain("BEGIN:VCALENDAR");
    await page.getByRole("button", { name: "Copy calendar feed url" }).click();
    await page.getByText("Copied.").waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(feed);
    await page.reload();
    await page.getByRole("button", { name: "Get the feed URL" }).waitFor();
    expect(await page.getByLabel("Calendar feed URL").count()).toBe(0);
  });

  it("creates a PagerDuty integration and shows its key only once", async () => {
    const page = browser.page;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
    await page.waitForURL(/\/app\/alerts$/);
    await page.getByText("No open alerts.", { exact: false }).waitFor();
    await page
      .getByRole("navigation", { name: "Alerts" })
      .getByRole("link", { name: "Integrations" })
      .click();
    await page.waitForURL(/\/app\/alerts\/integrations$/);
    await page.getByText("No integrations yet.").waitFor();

    await page.getByLabel("Name").fill("Prometheus production");
    expect(await page.getByLabel("Type").inputValue()).toBe("pagerduty");
    await page.getByLabel("Service (optional)").selectOption("card-payments");
    await page.getByRole("button", { name: "Create integration" }).click();
    await page.getByRole("heading", { name: "“Prometheus production” is ready" }).waitFor();
    routingKey = await page.getByLabel("Routing key", { exact: true }).inputValue();
    expect(routingKey).toMatch(/^[0-9a-f]{32}$/);
    expect(await page.getByLabel("Events API URL").inputValue()).toBe(`${base}/v2/enqueue`);
    expect(await page.getByLabel("Test event (shell)").inputValue()).toContain(
      `"routing_key":"${routingKey}"`,
    );
    const row = page.getByRole("row").filter({ hasText: "Prometheus production" });
    await row.getByText(`${routingKey.slice(0, 8)}…`).waitFor();
    await scan(page, "alerts-integrations", () => row.waitFor());

    // Gone once the screen is left: the list shows only the key's first characters.
    await page.getByRole("navigation", { name: "Alerts" }).getByRole("link", { name: "Alerts" }).click();
    await page
      .getByRole("navigation", { name: "Alerts" })
      .getByRole("link", { name: "Integrations" })
      .click();
    await row.waitFor();
    expect(await page.getByLabel("Routing key", { exact: true }).count()).toBe(0);
    expect(await page.content()).not.toContain(routingKey);
  });

  it("shows an event sent to /v2/enqueue as an alert, acknowledged and resolved from the list", async () => {
    const page = browser.page;
    const enqueue = async (body: Record<string, unknown>) => {
      const res = await fetch(`${base}/v2/enqueue`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ routing_key: routingKey, ...body }),
      });
      expect(res.status, await res.clone().text()).toBe(202);
    };
    await enqueue({
      event_action: "trigger",
      dedup_key: "checkout-latency",
      payload: { summary: "Checkout latency above 2 s", source: "grafana", severity: "warning" },
    });
    // A customer-facing error meets the plan's "slo-breach" criterion, which proposes an incident.
    await enqueue({
      event_action: "trigger",
      dedup_key: "api-errors",
      payload: {
        summary: "API 5xx above 5%",
        source: "prometheus",
        severity: "error",
        custom_details: { customer_facing: "true" },
      },
    });
    type Alerts = { items: Array<{ dedupKey: string; proposal: string | null }> };
    await expect
      .poll(
        async () =>
          (await api<Alerts>("GET", "/api/v1/alerts?status=open")).items.map(
            (a) => `${a.dedupKey}:${a.proposal}`,
          ),
        { timeout: 10_000 },
      )
      .toEqual(expect.arrayContaining(["checkout-latency:null", "api-errors:pending"]));

    await page.getByRole("navigation", { name: "Alerts" }).getByRole("link", { name: "Alerts" }).click();
    await page.waitForURL(/\/app\/alerts$/);
    const latency = page.getByRole("article", { name: "Checkout latency above 2 s" });
    await latency.waitFor();
    await latency.getByText("Prometheus production").waitFor();
    await latency.getByText("Triggered").waitFor();
    const proposed = page.getByRole("article", { name: "API 5xx above 5%" });
    await proposed.getByText(/which asks the on-call person to confirm an incident/).waitFor();
    await scan(page, "alerts", () => proposed.waitFor());

    await latency.getByRole("button", { name: "Acknowledge “Checkout latency above 2 s”" }).click();
    await latency.getByText("Acknowledged", { exact: true }).first().waitFor();
    expect(await latency.getByRole("button", { name: /^Acknowledge/ }).count()).toBe(0);
    await latency.getByRole("button", { name: "Resolve “Checkout latency above 2 s”" }).click();
    await latency.waitFor({ state: "detached" });
    await page.getByRole("radio", { name: "Resolved" }).check();
    await page.waitForURL(/\/app\/alerts\?status=resolved$/);
    const resolved = page.getByRole("article", { name: "Checkout latency above 2 s" });
    await resolved.getByText("Resolved", { exact: true }).first().waitFor();
    expect(await resolved.getByRole("button").count()).toBe(0);

    // Accepting the proposal declares the incident, which the alert then links to.
    await page.getByRole("radio", { name: "Open" }).check();
    await proposed.getByRole("button", { name: "Accept: declare the incident “API 5xx above 5%”" }).click();
    const declared = proposed.getByRole("status").getByRole("link");
    await declared.waitFor();
    const reference = /^(\S+) /.exec((await declared.textContent()) ?? "")?.[1] ?? "";
    expect(reference).toMatch(/^INC-\d+$/);
    await proposed
      .locator(".alert-facts")
      .getByRole("link", { name: new RegExp(`^${reference} `) })
      .waitFor();
    expect(await proposed.getByRole("button", { name: /^Accept/ }).count()).toBe(0);
    await declared.click();
    await page.waitForURL(new RegExp(`/app/incidents/${reference}$`));
  });

  it("adds a contact method and a notification rule", async () => {
    const page = browser.page;
    await openHeaderMenu(page);
    await page.getByRole("link", { name: "My paging", exact: true }).click();
    await page.waitForURL(/\/app\/me$/);
    await page.getByRole("heading", { name: "My paging", level: 1 }).waitFor();
    await page.getByText("None yet: pages reach you by email at your account's address.").waitFor();

    // SMS needs the server's SMS provider, which this one has none of: said at the form.
    await page.getByLabel("Kind").selectOption("sms");
    await page.getByLabel("Address").fill("+351912345678");
    await page.getByRole("button", { name: "Add contact method" }).click();
    await page.getByRole("alert").filter({ hasText: "Could not add the contact method" }).waitFor();

    await page.getByLabel("Kind").selectOption("email");
    await page.getByLabel("Address").fill("marta.pager@example.com");
    await page.getByLabel("Label (optional)").fill("Pager inbox");
    await page.getByRole("button", { name: "Add contact method" }).click();
    await page.getByText("Added Email marta.pager@example.com (Pager inbox).").waitFor();
    await page.getByRole("cell", { name: "marta.pager@example.com", exact: true }).waitFor();

    await page.getByRole("button", { name: "Add a rule" }).click();
    const rule = page.getByRole("group", { name: "Rule 1" });
    expect(await rule.getByLabel("Contact method").inputValue()).not.toBe("");
    await rule.getByLabel("Minutes after the page").fill("2");
    await page.getByRole("button", { name: "Save rules" }).click();
    await page.getByText("Saved. The next page follows these rules.").waitFor();
    type Rules = { items: Array<{ delayMinutes: number; contactMethod: { address: string } }> };
    const rules = await api<Rules>("GET", "/api/v1/users/me/notification-rules");
    expect(rules.items.map((r) => `${r.contactMethod.address}+${r.delayMinutes}`)).toEqual([
      "marta.pager@example.com+2",
    ]);
  });

  it("acknowledges a page from My paging", async () => {
    const page = browser.page;
    // Marta is the primary of the example plan's incident manager role: declaring pages her.
    const incident = await api<{ reference: string }>("POST", "/api/v1/incidents", {
      title: "Card payments failing",
      severity: "sev1",
      criteria: ["money-flow-down"],
      components: [{ id: "card-payments", impact: "major_outage" }],
    });
    type Pages = { items: Array<{ id: string; incident: { reference: string }; status: string }> };
    const mine = async (status: string) =>
      (await api<Pages>("GET", `/api/v1/pages?status=${status}`)).items.filter(
        (p) => p.incident.reference === incident.reference,
      );
    expect(await mine("open")).toHaveLength(1);

    // The header says so on every screen, still on one line.
    await page.getByRole("link", { name: /^My paging.*open page/ }).waitFor();
    expect(await headerOnOneLine(page)).toBe(true);
    const card = page.getByRole("article", {
      name: new RegExp(`^${incident.reference} Card payments failing`),
    });
    await card.waitFor();
    await card.getByText("Major Incident Manager (MIM)", { exact: false }).waitFor();
    await scan(page, "me", () => card.waitFor());

    await card.getByRole("button", { name: `Acknowledge the page for ${incident.reference}` }).click();
    await page.getByText(`You acknowledged the page for ${incident.reference}`).waitFor();
    await card.waitFor({ state: "detached" });
    expect(await mine("open")).toEqual([]);
    expect((await mine("acknowledged")).map((p) => p.status)).toEqual(["acknowledged"]);
  });

  it.runIf(dialect === "sqlite")("scanned every new screen", () => {
    expect(scanned).toEqual(["oncall", "oncall-schedule", "alerts-integrations", "alerts", "me"]);
  });
});
