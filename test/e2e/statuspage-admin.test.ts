import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, HAS_CHROMIUM, openBrowser, requireChromium } from "./support/browser.ts";
import { checkScreen, scanned } from "./support/screens.ts";
import { buildWebApp, startTestServer, type TestServer } from "./support/server.ts";

/**
 * The status page's admin screens in a real browser, against a real server
 * with the example plan: an admin renames and recolours the page, adds a
 * component and moves it with the keyboard, schedules a maintenance and starts
 * it, and each change reaches the public page and its Statuspage-compatible
 * API. A viewer, in a second browser, reads the same screens without the
 * controls. Every screen is scanned with axe at desktop and phone widths, in
 * both themes (RUNSHEET_SCREENSHOTS=1 also saves them to docs/screenshots).
 */
const RUN = HAS_CHROMIUM || Boolean(process.env.CI);

const PASSWORD = "correct horse battery staple";
const PAGE_TIMEOUT = 10_000;

/** A wall-clock time in Europe/Lisbon (the browser's zone) as a datetime-local value. */
function lisbonInput(iso: string): string {
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Lisbon",
    dateStyle: "short",
    timeStyle: "short",
  })
    .format(new Date(iso))
    .replace(" ", "T");
}

describe.skipIf(!RUN)("the status page's admin screens in Chromium", { timeout: 60_000 }, () => {
  let server: TestServer;
  let admin: Browser;
  let viewer: Browser;
  const url = (route: string) => `${server.url}/app${route}`;
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    requireChromium();
    buildWebApp();
    server = await startTestServer();
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        code: server.setupCode,
        email: "marta.silva@example.com",
        name: "Marta Silva",
        password: PASSWORD,
      }),
    });
    expect(setup.status).toBe(201);
    admin = await openBrowser();
    viewer = await openBrowser();
    await admin.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    await viewer?.close();
    await server?.close();
  });

  it("signs in as an admin and shows the page as visitors see it", async () => {
    const page = admin.page;
    await page.goto(url("/incidents"));
    await page.waitForURL(/\/app\/sign-in/);
    await page.getByLabel("Email").fill("marta.silva@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/app\/incidents$/);

    // "g s" goes to the status page, as "g p" goes to the plan.
    await page.getByRole("heading", { name: "Incidents" }).waitFor();
    await page.keyboard.press("g");
    await page.keyboard.press("s");
    await page.waitForURL(/\/app\/status-page$/);
    await page.getByRole("heading", { name: "Quillmark Status", level: 1 }).waitFor();
    await page.getByText("All Systems Operational").waitFor();
    const payments = page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { name: "Payments" }) });
    await payments.getByText("Card payments").waitFor();
    expect(await payments.getByText("Operational").count()).toBe(3);
    expect(await page.getByRole("link", { name: /Open the public page/ }).getAttribute("href")).toBe(
      server.url,
    );
    await page.getByText(/Rendered at .* ago\)/).waitFor();

    const snippet = page.getByLabel("Widget snippet");
    expect(await snippet.inputValue()).toContain(`${server.url}/widget.js`);
    expect(await page.getByLabel("Badge URL").inputValue()).toBe(`${server.url}/badge.svg`);
    expect(await page.getByLabel("RSS feed").inputValue()).toBe(`${server.url}/history.rss`);
    expect(await page.getByLabel("Atom feed").inputValue()).toBe(`${server.url}/history.atom`);
    const badge = page.getByRole("img", { name: /Status badge/ });
    await expect
      .poll(() => badge.evaluate((img: { naturalWidth: number }) => img.naturalWidth))
      .toBeGreaterThan(0);

    await page.getByRole("button", { name: "Copy widget snippet" }).click();
    await page.getByText("Copied.").waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(await snippet.inputValue());

    await checkScreen(page, "status-page-overview", () => snippet.waitFor());
  });

  it("renames and recolours the page, which the public page shows", async () => {
    const page = admin.page;
    await page
      .getByRole("navigation", { name: "Status page" })
      .getByRole("link", { name: "Settings" })
      .click();
    await page.waitForURL(/\/app\/status-page\/settings$/);
    const name = page.getByLabel("Name", { exact: true });
    await name.waitFor();
    expect(await name.inputValue()).toBe("Quillmark Status");
    await checkScreen(page, "status-page-settings", () => name.waitFor());

    // A colour that is not #rrggbb is refused next to its field, before the server is asked.
    const colour = page.getByLabel("Brand colour", { exact: true });
    await colour.fill("green");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("write a colour as #rrggbb, such as #1f5fbf").waitFor();
    expect(await colour.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate("document.activeElement && document.activeElement.dataset.field")).toBe(
      "brandColor",
    );
    await checkScreen(page, "status-page-settings-error", () =>
      page.getByText("write a colour as #rrggbb, such as #1f5fbf").waitFor(),
    );

    // What only the server can tell (here the plan's own check, by its YAML path) is shown at its field too.
    await page.route(
      "**/api/v1/statuspage/settings",
      (route) =>
        route.fulfill({
          status: 422,
          contentType: "application/problem+json",
          body: JSON.stringify({
            type: "https://runsheet.dev/problems/invalid",
            title: "Not valid",
            status: 422,
            code: "invalid",
            detail: "The plan is not valid: 1 error.",
            errors: [{ path: "status_page.timezone", message: "line 498, column 13: not a time zone" }],
          }),
        }),
      { times: 1 },
    );
    const zone = page.getByLabel("Time zone (optional)");
    await colour.fill("#1f5fbf");
    await zone.fill("Europe/Berlin");
    await page.getByRole("button", { name: "Save settings" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Could not save the settings" });
    await alert.getByText("The fields to fix are marked below.").waitFor();
    expect(await alert.getByText("not a time zone").count()).toBe(0);
    await page.getByText("line 498, column 13: not a time zone").waitFor();
    expect(await zone.getAttribute("aria-invalid")).toBe("true");
    await zone.fill("Europe/Lisbon");

    await name.fill("Quillmark Service Status");
    await colour.fill("#0A7D38");
    expect(await page.getByLabel("Pick the brand colour").inputValue()).toBe("#0a7d38");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Saved as a new plan version.").waitFor();

    await expect
      .poll(async () => (await fetch(`${server.url}/`)).text(), { timeout: PAGE_TIMEOUT })
      .toContain("Quillmark Service Status");
    expect(await (await fetch(`${server.url}/`)).text()).toContain("--brand:#0a7d38;");
    const plan = await getJson<{ page: { name: string } }>("/api/v2/summary.json");
    expect(plan.page.name).toBe("Quillmark Service Status");

    // The saved values are what the form shows from now on.
    await page.reload();
    await page.getByLabel("Name", { exact: true }).waitFor();
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("Quillmark Service Status");
    expect(await page.getByLabel("Brand colour", { exact: true }).inputValue()).toBe("#0a7d38");
  });

  it("adds a component, moves it with the keyboard, and the page's API lists it", async () => {
    const page = admin.page;
    await page
      .getByRole("navigation", { name: "Status page" })
      .getByRole("link", { name: "Components" })
      .click();
    await page.waitForURL(/\/app\/status-page\/components$/);
    await page.getByRole("group", { name: "1. Web app" }).waitFor();
    await checkScreen(page, "status-page-components", () =>
      page.getByRole("group", { name: "1. Web app" }).waitFor(),
    );

    await page.getByRole("button", { name: "Add a component" }).click();
    // The focus is in the new row's name: type straight away.
    await page.keyboard.type("Reports & exports");
    const row = page.getByRole("group", { name: "9. Reports & exports" });
    await row.waitFor();
    expect(await row.getByLabel("Id", { exact: true }).inputValue()).toBe("reports-and-exports");
    await row.getByLabel("Group (optional)").fill("Insights");
    await row.getByLabel("Description (optional)").fill("Monthly reports and CSV exports");

    // A duplicate id is refused next to the field, with the server's words.
    await row.getByLabel("Id", { exact: true }).fill("login");
    await page.getByRole("button", { name: "Save components" }).click();
    await row.getByText('"login" is listed twice').waitFor();
    await row.getByLabel("Id", { exact: true }).fill("reports");

    // Move it up once, with the keyboard: the focus stays on the button, which moves with the row.
    await row.getByRole("button", { name: /^Move up/ }).focus();
    await page.keyboard.press("Enter");
    const moved = page.getByRole("group", { name: "8. Reports & exports" });
    await moved.waitFor();
    expect(await page.evaluate("document.activeElement && document.activeElement.dataset.move")).toBe("up");
    await page.getByText("Reports & exports moved to position 8 of 9.").waitFor({ state: "attached" });

    await page.getByRole("button", { name: "Save components" }).click();
    await page.getByText("Saved as a new plan version.").waitFor();

    type Components = {
      components: Array<{ id: string; name: string; position: number; group_id: string | null }>;
    };
    await expect
      .poll(
        async () => (await getJson<Components>("/api/v2/components.json")).components.map((c) => c.name),
        {
          timeout: PAGE_TIMEOUT,
        },
      )
      .toContain("Reports & exports");
    const listed = await getJson<Components>("/api/v2/components.json");
    const reports = listed.components.find((c) => c.id === "reports");
    const webhooks = listed.components.find((c) => c.id === "outgoing-webhooks");
    expect(reports?.position).toBeLessThan(webhooks?.position ?? 0);
  });

  it("schedules a maintenance in the viewer's time zone and starts it from its card", async () => {
    const page = admin.page;
    await page
      .getByRole("navigation", { name: "Status page" })
      .getByRole("link", { name: "Maintenances" })
      .click();
    await page.waitForURL(/\/app\/status-page\/maintenances$/);
    await page.getByText("Nothing scheduled.").waitFor();
    await page.getByRole("button", { name: "Schedule maintenance" }).click();
    const form = page.getByRole("region", { name: "Schedule maintenance" });
    await form.getByLabel("Title").waitFor();
    await checkScreen(page, "status-page-schedule", () => form.getByLabel("Title").waitFor());

    // Nothing filled in: each missing answer is said next to its field.
    await form.getByRole("button", { name: "Schedule maintenance" }).click();
    await form.getByText("give the maintenance a title").waitFor();
    await form.getByText("name at least one component").waitFor();

    await form.getByLabel("Title").fill("Reporting database upgrade");
    await form
      .getByLabel("What will customers notice?")
      .fill("Reports and exports are unavailable for up to 30 minutes.");
    await form.getByRole("checkbox", { name: "Reports & exports" }).check();
    await form.getByRole("checkbox", { name: "Web app" }).check();
    const starts = await form.getByLabel("Starts").inputValue();
    await form.getByRole("button", { name: "Schedule maintenance" }).click();
    await page.getByText("Scheduled “Reporting database upgrade”.").waitFor();

    const upcoming = page.getByRole("region", { name: /^Upcoming/ });
    const card = upcoming.getByRole("article", { name: "Reporting database upgrade" });
    await card.waitFor();
    await card.getByText("Reports and exports are unavailable for up to 30 minutes.").waitFor();
    type List = { items: Array<{ title: string; scheduledFor: string; components: string[] }> };
    const sessionCookie = (await admin.context.cookies(server.url))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
    const listed = (await (
      await fetch(`${server.url}/api/v1/maintenances?status=upcoming`, { headers: { cookie: sessionCookie } })
    ).json()) as List;
    const scheduled = listed.items.find((m) => m.title === "Reporting database upgrade");
    // The start shown in the browser (Lisbon time) is the instant stored.
    expect(lisbonInput(scheduled?.scheduledFor ?? "")).toBe(starts);
    expect(Date.parse(scheduled?.scheduledFor ?? "")).toBeGreaterThan(Date.now());
    expect([...(scheduled?.components ?? [])].sort()).toEqual(["reports", "web-app"]);
    // Shown by name, in page order (the server keeps them as a set).
    expect(await card.locator(".badges .badge").allTextContents()).toEqual(["Web app", "Reports & exports"]);

    await card.getByRole("button", { name: /^Post an update/ }).click();
    const status = card.getByLabel("New status");
    await status.waitFor();
    // Only the server's moves from "scheduled" are offered, the usual next step first.
    expect(await status.locator("option").allTextContents()).toEqual([
      "Still scheduled (adds an update)",
      "In progress",
      "Completed",
    ]);
    expect(await status.inputValue()).toBe("in_progress");
    expect(await card.getByLabel("What customers should know").inputValue()).toBe(
      "The scheduled maintenance is now in progress.",
    );
    await card
      .getByLabel("What customers should know")
      .fill("We have started upgrading the reporting database.");
    await card.getByRole("button", { name: "Post update" }).click();

    const active = page.getByRole("region", { name: /^In progress/ });
    const started = active.getByRole("article", { name: "Reporting database upgrade" });
    await started.waitFor();
    // Updates newest first.
    expect(await started.locator(".maintenance-updates li").first().textContent()).toContain(
      "We have started upgrading the reporting database.",
    );
    type Active = { scheduled_maintenances: Array<{ name: string; status: string }> };
    await expect
      .poll(
        async () =>
          (await getJson<Active>("/api/v2/scheduled-maintenances/active.json")).scheduled_maintenances.map(
            (m) => `${m.name}: ${m.status}`,
          ),
        { timeout: PAGE_TIMEOUT },
      )
      .toContain("Reporting database upgrade: in_progress");
    await checkScreen(page, "status-page-maintenances", () => started.waitFor());

    // The overview shows the components under maintenance.
    await page
      .getByRole("navigation", { name: "Status page" })
      .getByRole("link", { name: "Overview" })
      .click();
    const insights = page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { name: "Insights" }) });
    await insights.getByText("Under maintenance").waitFor({ timeout: PAGE_TIMEOUT });
  });

  it("shows a viewer the same screens without the controls", async () => {
    const page = admin.page;
    await page.goto(url("/admin/users"));
    await page.getByLabel("Name").fill("Lena Fischer");
    await page.getByLabel("Email").fill("lena.fischer@example.com");
    await page.getByLabel("Role", { exact: true }).selectOption("viewer");
    await page.getByLabel("Password (optional)").fill(PASSWORD);
    await page.getByRole("button", { name: "Add user" }).click();
    await page.getByText("Added Lena Fischer").waitFor();

    const other = viewer.page;
    await other.goto(url("/status-page/components"));
    await other.waitForURL(/\/app\/sign-in/);
    await other.getByLabel("Email").fill("lena.fischer@example.com");
    await other.getByLabel("Password").fill(PASSWORD);
    await other.getByRole("button", { name: "Sign in" }).click();
    await other.waitForURL(/\/app\/status-page\/components$/);
    await other.getByText("Only admins change the components.").waitFor();
    await other.getByRole("cell", { name: "Reports & exports" }).waitFor();
    expect(await other.getByRole("button", { name: "Save components" }).count()).toBe(0);
    await checkScreen(other, "status-page-components-viewer", () =>
      other.getByRole("cell", { name: "Reports & exports" }).waitFor(),
    );

    await other.getByRole("link", { name: "Settings" }).click();
    await other.getByText("Only admins change the page's settings.").waitFor();
    await other.getByText("Quillmark Service Status").waitFor();
    expect(await other.getByRole("textbox").count()).toBe(0);

    await other.getByRole("link", { name: "Maintenances" }).click();
    await other.getByRole("article", { name: "Reporting database upgrade" }).waitFor();
    expect(await other.getByRole("button", { name: "Schedule maintenance" }).count()).toBe(0);
    expect(await other.getByRole("button", { name: /^Post an update/ }).count()).toBe(0);
  });

  it("scanned every new screen", () => {
    expect(scanned).toEqual([
      "status-page-overview",
      "status-page-settings",
      "status-page-settings-error",
      "status-page-components",
      "status-page-schedule",
      "status-page-maintenances",
      "status-page-components-viewer",
    ]);
  });
});
