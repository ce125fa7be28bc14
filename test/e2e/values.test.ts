import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, HAS_CHROMIUM, openBrowser, requireChromium } from "./support/browser.ts";
import { checkScreen, scanned } from "./support/screens.ts";
import {
  type Admin,
  buildWebApp,
  PASSWORD,
  setUpMarta,
  startTestServer,
  type TestServer,
} from "./support/server.ts";
import { seedValuesHistory } from "./support/values-history.ts";

/**
 * The values dashboard and the action items page in a real browser, against
 * a real server with the example plan and a small history seeded through the
 * API: one incident found by monitoring 10 minutes after its impact began,
 * one reported by a customer after 30 minutes, a drill (left out), and an
 * action item three days overdue. Both screens are scanned with axe at
 * desktop and phone widths, in both themes. Last, twelve weeks of history
 * written to the store (support/values-history.ts) fill every panel and
 * trend: the dashboard is scanned again, and that is its screenshot.
 */
const RUN = HAS_CHROMIUM || Boolean(process.env.CI);
const MINUTE = 60_000;
const DAY = 86_400_000;

describe.skipIf(!RUN)("the values dashboard in Chromium", { timeout: 60_000 }, () => {
  let server: TestServer;
  let marta: Browser;
  let admin: Admin;
  const url = (route: string) => `${server.url}/app${route}`;
  const api = <T>(method: string, path: string, body?: unknown): Promise<T> =>
    admin.api<T>(method, path, body);
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

  beforeAll(async () => {
    requireChromium();
    buildWebApp();
    server = await startTestServer();
    admin = await setUpMarta(server, { tokenLabel: "values e2e" });

    const declare = (over: Record<string, unknown>) =>
      api<{ id: string; reference: string }>("POST", "/api/v1/incidents", {
        title: "Sign-in codes not arriving",
        severity: "sev2",
        criteria: ["customer-reports"],
        components: [{ id: "login", impact: "partial_outage" }],
        ...over,
      });
    const found = await declare({ detectedBy: "monitoring", impactStartedAt: ago(10 * MINUTE) });
    await declare({
      title: "Invoices sent twice",
      detectedBy: "customer",
      impactStartedAt: ago(30 * MINUTE),
      components: [{ id: "invoice-emails", impact: "degraded_performance" }],
    });
    await declare({
      title: "Drill: payouts late",
      detectedBy: "employee",
      impactStartedAt: ago(DAY),
      drill: true,
    });
    await api("POST", `/api/v1/incidents/${found.id}/action-items`, {
      title: "Alert on SMS provider latency",
      ownerEmail: "marta.silva@example.com",
      team: "identity",
      dueAt: ago(3 * DAY),
    });
    marta = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await marta?.close();
    await server?.close();
  });

  it("shows one panel per value, with its statement, the seeded numbers and a weekly trend", async () => {
    const page = marta.page;
    await page.goto(url("/values"));
    await page.waitForURL(/\/app\/sign-in/);
    await page.getByLabel("Email").fill("marta.silva@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/app\/values$/);
    await page.getByText("2 incidents from").waitFor();

    const panels = page.locator(".value-panel");
    expect(await panels.locator("h2").allTextContents()).toEqual([
      "Detect",
      "Respond",
      "Recover",
      "Learn",
      "Improve",
    ]);
    const detect = page.getByRole("region", { name: "Detect" });
    await detect.getByText("We know there is a problem before our customers do.").waitFor();
    expect(await detect.locator("dd").first().textContent()).toBe("50% (1 of 2)");
    const figure = async (region: string, label: string) =>
      page
        .getByRole("region", { name: region })
        .locator("div", { has: page.getByText(label, { exact: true }) })
        .locator("dd")
        .textContent();
    expect(await figure("Detect", "Time to detect, median")).toBe("10 minutes");
    expect(await figure("Detect", "Time to detect, 9 in 10 within")).toBe("30 minutes");
    expect(await figure("Respond", "Acknowledged")).toBe("0 of 2 paged");
    expect(await figure("Recover", "Still unresolved")).toBe("2");
    expect(await figure("Improve", "Open past their due date")).toBe("1");
    const improve = page.getByRole("region", { name: "Improve" });
    await improve.getByText("Never have the same incident twice.").waitFor();
    expect(await improve.locator("dd").first().textContent()).toBe("0% (0 of 1)");
    for (const name of ["Detect", "Respond", "Recover", "Learn", "Improve"]) {
      const chart = page.getByRole("region", { name }).locator("svg[role=img]");
      expect(await chart.count(), name).toBe(1);
    }
    expect(await detect.locator("svg circle").count()).toBeGreaterThan(0);
    expect(await detect.locator("svg title").first().textContent()).toMatch(
      /Found by monitoring, weekly over \d+ weeks/,
    );

    // The severity filter and the range go to the API; the CSV link follows them.
    await page.getByLabel("Severity").selectOption("sev1");
    await page.getByText("0 incidents from").waitFor();
    await page.getByRole("radio", { name: "30 days" }).check();
    const csv = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
    expect(csv).toMatch(/^\/api\/v1\/values\.csv\?from=.+&to=.+&severity=sev1$/);
    await page.getByLabel("Severity").selectOption("");
    await page.getByText("2 incidents from").waitFor();
    // The screenshot is the one with a history, below.
    await checkScreen(page, "values-few", () => page.getByText("2 incidents from").waitFor(), {
      screenshot: false,
    });
  });

  it("lists the overdue action item by owner and by team", async () => {
    const page = marta.page;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Actions" }).click();
    await page.waitForURL(/\/app\/actions$/);
    const overdue = page.getByRole("region", { name: "Overdue" });
    await overdue.getByRole("heading", { name: /Marta Silva/ }).waitFor();
    await overdue.getByRole("rowheader", { name: /Alert on SMS provider latency/ }).waitFor();
    await overdue.getByText("Overdue", { exact: true }).first().waitFor();
    await page.getByRole("radio", { name: "By team" }).check();
    await overdue.getByRole("heading", { name: /identity/ }).waitFor();
    const mine = page.getByRole("region", { name: "Mine" });
    await mine.getByRole("rowheader", { name: /Alert on SMS provider latency/ }).waitFor();
    await checkScreen(page, "action-items", () =>
      overdue.getByRole("rowheader", { name: /Alert on SMS provider latency/ }).waitFor(),
    );
  });

  it("fills every panel and trend from twelve weeks of history", async () => {
    const page = marta.page;
    const me = await api<{ user: { id: string } }>("GET", "/api/v1/me");
    const seeded = await seedValuesHistory(server.server.store, me.user.id);
    // The 90 days the screen opens on hold the history and the two incidents declared above.
    await page.goto(url("/values"));
    const total = seeded.counted + 2;
    const heading = page.getByText(`${total} incidents from`);
    await heading.waitFor();
    const figure = async (region: string, label: string) =>
      page
        .getByRole("region", { name: region })
        .locator("div", { has: page.getByText(label, { exact: true }) })
        .locator("dd")
        .textContent();
    // The first incident above was found by monitoring, the second reported by a customer.
    expect(await figure("Detect", "Found by monitoring")).toMatch(
      new RegExp(`^\\d+% \\(${seeded.monitoring + 1} of ${total}\\)$`),
    );
    expect(await figure("Respond", "Acknowledged")).toBe(
      `${seeded.acknowledged} of ${seeded.paged + 2} paged`,
    );
    expect(await figure("Recover", "Still unresolved")).toBe(String(seeded.unresolved + 2));
    expect(await figure("Improve", "Repeat incidents")).toMatch(
      new RegExp(`^${seeded.repeats} \\(\\d+%\\)$`),
    );
    // No figure is without data, and every trend draws a line.
    const figures = await page.locator(".value-figures dd").allTextContents();
    expect(
      figures.filter((f) => f.startsWith("—")),
      figures.join(" | "),
    ).toEqual([]);
    for (const name of ["Detect", "Respond", "Recover", "Learn", "Improve"]) {
      const lines = page.getByRole("region", { name }).locator("svg path.trend-line");
      expect(await lines.count(), name).toBeGreaterThan(0);
    }
    await checkScreen(page, "values", () => heading.waitFor());
  });

  it("scanned every new screen", () => {
    expect(scanned).toEqual(["values-few", "action-items", "values"]);
  });
});
