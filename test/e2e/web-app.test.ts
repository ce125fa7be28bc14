import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_PLAN_PATH } from "../../src/plan/index.ts";
import {
  type Browser,
  CHROMIUM_PATH,
  chooseTheme,
  DESKTOP,
  HAS_CHROMIUM,
  headerOnOneLine,
  openBrowser,
  openHeaderMenu,
  PHONE,
  requireChromium,
} from "./support/browser.ts";
import { checkScreen, scanned } from "./support/screens.ts";
import { buildWebApp, startTestServer, type TestServer } from "./support/server.ts";

/**
 * The responder web app in a real browser, against a real server on a fresh
 * store: a newcomer sets up the admin account and runs an incident from
 * declaration to resolution while a second person, in a second browser, sees
 * every change arrive live. Every screen is scanned with axe at desktop and
 * phone widths, in the light and the dark theme.
 *
 * RUNSHEET_SCREENSHOTS=1 also saves each screen in both themes to docs/screenshots.
 */
const RUN = HAS_CHROMIUM || Boolean(process.env.CI);
if (!RUN) {
  process.stdout.write(
    `Chromium not found at ${CHROMIUM_PATH}: skipping the web app's browser tests (apt-get install -y chromium; CI never skips them)\n`,
  );
}

const PASSWORD = "correct horse battery staple";
const TITLE = "Card payments failing at checkout";
const LIVE_TIMEOUT = 10_000;

/** The line of the example plan where `text` first appears (1-based). */
function lineOf(yaml: string, text: string): number {
  return yaml.slice(0, yaml.indexOf(text)).split("\n").length;
}

describe.skipIf(!RUN)("the web app in Chromium", { timeout: 60_000 }, () => {
  let server: TestServer;
  let marta: Browser;
  let jonas: Browser;
  const url = (route: string) => `${server.url}/app${route}`;

  beforeAll(async () => {
    requireChromium();
    buildWebApp();
    server = await startTestServer();
    marta = await openBrowser();
    jonas = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await marta?.close();
    await jonas?.close();
    await server?.close();
  });

  it("sets up the first admin from the printed code", async () => {
    const page = marta.page;
    await page.goto(url("/"));
    await page.waitForURL(/\/app\/setup$/);
    await checkScreen(page, "setup", () =>
      page.getByRole("heading", { name: "Welcome to Runsheet" }).waitFor(),
    );

    await page.getByLabel("Setup code").fill("not-the-code");
    await page.getByLabel("Your name").fill("Marta Silva");
    await page.getByLabel("Email").fill("marta.silva@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create admin account" }).click();
    // A wrong code says what to do, next to the field, and keeps what was typed.
    await page.getByText("copy the code from the server's start-up output").waitFor();
    expect(await page.getByLabel("Your name").inputValue()).toBe("Marta Silva");

    await page.getByLabel("Setup code").fill(server.setupCode);
    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.waitForURL(/\/app\/incidents$/);
    await page.getByText("No active incidents.").waitFor();
  });

  it("adds a second responder, who signs in in another browser", async () => {
    const page = marta.page;
    await page.goto(url("/admin/users"));
    await page.getByLabel("Name").fill("Jonas Weber");
    await page.getByLabel("Email").fill("jonas.weber@example.com");
    await page.getByLabel("Password (optional)").fill(PASSWORD);
    await page.getByRole("button", { name: "Add user" }).click();
    await page.getByText("Added Jonas Weber").waitFor();
    await page.getByRole("cell", { name: "jonas.weber@example.com" }).waitFor();

    const other = jonas.page;
    await other.goto(url("/incidents"));
    await other.waitForURL(/\/app\/sign-in/);
    await checkScreen(other, "sign-in", () => other.getByRole("heading", { name: "Sign in" }).waitFor());
    await other.getByLabel("Email").fill("jonas.weber@example.com");
    await other.getByLabel("Password").fill(PASSWORD);
    await other.getByRole("button", { name: "Sign in" }).click();
    await other.waitForURL(/\/app\/incidents$/);
    await other.getByText("No active incidents.").waitFor();
  });

  it("declares an incident against the plan's criteria and lands in its room", async () => {
    const page = marta.page;
    await page.goto(url("/incidents"));
    await checkScreen(page, "incidents-empty", () => page.getByText("No active incidents.").waitFor());
    await page.keyboard.press("d");
    await page.waitForURL(/\/app\/incidents\/new$/);
    await checkScreen(page, "declare", () =>
      page.getByRole("heading", { name: "Declare an incident" }).waitFor(),
    );

    await page.getByLabel("What is happening?").fill(TITLE);
    await page.getByRole("radio", { name: /^Major/ }).check();
    await page.getByRole("button", { name: "Declare incident" }).click();
    // No criterion ticked: not an incident yet, said where the criteria are.
    await page.getByText(/it is an event, not an incident/).waitFor();
    await checkScreen(page, "declare-errors", () =>
      page.getByText(/it is an event, not an incident/).waitFor(),
    );

    await page.getByLabel(/Customers cannot log in, get paid by card/).check();
    await page.getByRole("combobox", { name: /^Card payments/ }).selectOption("partial_outage");
    await page
      .getByLabel("What do we know so far? (optional)")
      .fill("Checkout returns 502 for about half of the payments.");
    await page.getByRole("button", { name: "Declare incident" }).click();
    await page.waitForURL(/\/app\/incidents\/INC-1$/);
    await page.getByRole("heading", { name: TITLE }).waitFor();
    const lead = page.getByRole("article", { name: /Major Incident Manager/ });
    await lead.getByText("Marta Silva (you)").waitFor();
  });

  it("shows the new incident to the second browser without a reload", async () => {
    const other = jonas.page;
    await other.getByRole("link", { name: TITLE }).waitFor({ timeout: LIVE_TIMEOUT });
    await other.getByRole("link", { name: TITLE }).click();
    await other.waitForURL(/\/app\/incidents\/INC-1$/);
    await other.getByRole("heading", { name: TITLE }).waitFor();
  });

  it("hands a role over in two clicks, seen live", async () => {
    const page = marta.page;
    const comms = page.getByRole("article", { name: /Communication Managers/ });
    await comms.getByText("Unfilled").waitFor();
    await comms.getByRole("button", { name: "Hand over…" }).click();
    await checkScreen(page, "hand-over", () => comms.getByRole("button", { name: /Jonas Weber/ }).waitFor());
    await comms.getByRole("button", { name: /Jonas Weber/ }).click();
    await comms.getByText("Jonas Weber", { exact: true }).waitFor();

    const seen = jonas.page.getByRole("article", { name: /Communication Managers/ });
    await seen.getByText("Jonas Weber (you)").waitFor({ timeout: LIVE_TIMEOUT });

    // Taking a role over keeps who held it before.
    const tech = page.getByRole("article", { name: /Technical Lead/ });
    await tech.getByText("Jonas Weber", { exact: true }).waitFor();
    await tech.getByRole("button", { name: "Take over" }).click();
    await tech.getByText("Marta Silva (you)").waitFor();
    await tech.getByText(/Before: Jonas Weber/).waitFor();
  });

  it("ticks a checklist item, seen live", async () => {
    const item = "Assess the severity (service and customer impact)";
    const box = marta.page.getByRole("checkbox", { name: item });
    await box.click();
    expect(await box.isChecked()).toBe(true);
    await marta.page.locator(".checklist .done-by").getByText("Marta Silva").waitFor();
    const seen = jonas.page.getByRole("checkbox", { name: item });
    await expect.poll(() => seen.isChecked(), { timeout: LIVE_TIMEOUT }).toBe(true);
  });

  it("raises the severity, seen live", async () => {
    const page = marta.page;
    await page.getByRole("button", { name: /Change title, severity/ }).click();
    await page.getByLabel("Severity", { exact: true }).selectOption("sev1");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.locator(".room-header").getByText("Critical").waitFor();
    await jonas.page.locator(".room-header").getByText("Critical").waitFor({ timeout: LIVE_TIMEOUT });
  });

  it("logs a final fix that the incident manager confirms, with the resolve rule shown", async () => {
    const page = marta.page;
    await page.getByText("Missing: a final fix.").waitFor();

    // Jonas is not the incident manager: his final fix waits for Marta.
    const other = jonas.page;
    await other.keyboard.press("c");
    expect(await other.evaluate("document.activeElement && document.activeElement.id")).toBe(
      "timeline-composer-body",
    );
    await other.getByRole("radio", { name: "Fix" }).check();
    await other.getByLabel(/What happened\?/).fill("Rolled back the payment gateway configuration");
    await other.getByLabel(/This is the final fix/).check();
    await other.getByLabel(/What happened\?/).press("Control+Enter");
    await other.getByText("Final fix, awaiting confirmation by the Major Incident Manager").waitFor();
    await other.getByText(/only the Major Incident Manager \(Marta Silva\) can confirm it/).waitFor();

    await page.getByText("Missing: confirmation.").waitFor({ timeout: LIVE_TIMEOUT });
    await page.getByRole("button", { name: "Confirm as the final fix" }).first().click();
    await page.getByText(/The final fix is confirmed by Marta Silva/).waitFor();
    await other.getByText("Final fix, confirmed by Marta Silva").waitFor({ timeout: LIVE_TIMEOUT });
  });

  it("posts a status update from the phase's template, after a preview", async () => {
    const page = marta.page;
    await page.getByRole("button", { name: "Move to monitoring" }).click();
    await page.locator(".room-header .badge-status-monitoring").waitFor();
    // Critical promises customers an update every 20 minutes.
    await page.getByText(/Next customer update due in (19|20) minutes/).waitFor();
    await page.keyboard.press("u");
    const message = page.getByLabel("Message");
    await expect.poll(() => message.inputValue()).toContain("A fix has been implemented");
    await message.fill(`${await message.inputValue()}\nPayments are flowing again.`);
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByRole("region", { name: "Preview" }).getByText("Payments are flowing again.").waitFor();
    await checkScreen(page, "status-update", () => page.getByRole("region", { name: "Preview" }).waitFor(), {
      scrollTo: "#updates-title",
    });
    // The status page applies (external, partial outage) and the incident manager may publish there.
    const statusPage = page.getByRole("checkbox", { name: /Public status page/ });
    expect(await statusPage.isChecked()).toBe(true);
    await page.getByRole("button", { name: /^Post to \d+ channels?$/ }).click();
    await page.locator(".update-item").getByText("Payments are flowing again.").waitFor();
    await page.locator(".update-item .delivery").first().waitFor();
    await jonas.page
      .locator(".update-item")
      .getByText("Payments are flowing again.")
      .waitFor({ timeout: LIVE_TIMEOUT });
  });

  it("resolves, and the second browser sees it resolved", async () => {
    const page = marta.page;
    await checkScreen(page, "incident-room", () => page.getByRole("heading", { name: TITLE }).waitFor());
    await page.getByRole("button", { name: "Resolve INC-1" }).click();
    await page.locator(".room-header .badge-status-resolved").waitFor();
    await jonas.page.locator(".room-header .badge-status-resolved").waitFor({ timeout: LIVE_TIMEOUT });
    await jonas.page.getByRole("button", { name: "Reopen as investigating" }).waitFor();
  });

  it("lets only the lead or an admin resolve without a confirmed fix, with a reason", async () => {
    const page = marta.page;
    await page.goto(url("/incidents/new"));
    await page.getByLabel("What is happening?").fill("Invoice emails delayed");
    await page.getByLabel(/Three or more customers report the same problem/).check();
    await page.getByRole("radio", { name: /^Minor/ }).check();
    await page.getByRole("switch", { name: /Drill/ }).check();
    await page.getByRole("button", { name: "Declare drill" }).click();
    await page.waitForURL(/\/app\/incidents\/INC-2$/);

    await jonas.page.goto(url("/incidents/INC-2"));
    await jonas.page.getByText("Only the Major Incident Manager or an admin can resolve").waitFor();

    await page.getByRole("button", { name: "Resolve without a confirmed fix…" }).click();
    await page.getByRole("button", { name: "Resolve with override" }).click();
    await page.getByText("say why the incident is resolved without a confirmed final fix").waitFor();
    await page.getByLabel("Why resolve without a confirmed final fix?").fill("Drill over: nothing to fix.");
    await page.getByRole("button", { name: "Resolve with override" }).click();
    await page.locator(".room-header .badge-status-resolved").waitFor();
    await page.getByText(/without a confirmed final fix \(override\): Drill over/).waitFor();
  });

  it("runs a whole incident on a phone, in the dark theme", async () => {
    const page = jonas.page;
    await page.setViewportSize(PHONE);
    await page.goto(url("/incidents"));
    await chooseTheme(page, "dark");
    await page.getByRole("link", { name: "Declare", exact: true }).click();
    await page.getByLabel("What is happening?").fill("Login codes not arriving");
    await page.getByLabel(/Three or more customers report the same problem/).check();
    await page.getByRole("radio", { name: /^Minor/ }).check();
    await page.getByRole("combobox", { name: /^Login and accounts/ }).selectOption("degraded_performance");
    await page.getByRole("button", { name: "Declare incident" }).click();
    await page.waitForURL(/\/app\/incidents\/INC-3$/);

    // Jonas takes the lead, so his own final fix is confirmed at once.
    const lead = page.getByRole("article", { name: /Major Incident Manager/ });
    await lead.getByRole("button", { name: "Take over" }).click();
    await lead.getByText("Jonas Weber (you)").waitFor();
    const item = lead.getByRole("checkbox", { name: /Assess the severity/ });
    await item.click();
    await expect.poll(() => item.isChecked()).toBe(true);

    await page.getByRole("radio", { name: "Fix" }).check();
    await page.getByLabel(/What happened\?/).fill("Switched the SMS provider to the backup route");
    await page.getByLabel(/This is the final fix/).check();
    await page.getByRole("button", { name: "Add fix" }).click();
    await page.getByText(/The final fix is confirmed by Jonas Weber/).waitFor();
    await page.getByRole("button", { name: "Resolve INC-3" }).click();
    await page.locator(".room-header .badge-status-resolved").waitFor();
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);

    await chooseTheme(page, "system");
    await page.setViewportSize(DESKTOP);
  });

  it("lists incidents with filters", async () => {
    const page = marta.page;
    await page.goto(url("/incidents"));
    await checkScreen(page, "incidents", () => page.getByRole("link", { name: TITLE }).waitFor());
    await page.getByLabel("Drills").selectOption("true");
    await page.getByRole("link", { name: "Invoice emails delayed" }).waitFor();
    await expect.poll(() => page.getByRole("link", { name: TITLE }).count()).toBe(0);
    expect(page.url()).toContain("drill=true");
  });

  it("edits the plan: an error is shown at its line, then fixed and saved as a new version", async () => {
    const page = marta.page;
    await page.goto(url("/plan"));
    await checkScreen(page, "plan", () =>
      page.getByRole("heading", { name: "Defining an incident" }).waitFor(),
    );

    await page.goto(url("/plan/edit"));
    const editor = page.getByLabel("Plan (YAML)");
    const original = await editor.inputValue();
    expect(original).toBe(readFileSync(EXAMPLE_PLAN_PATH, "utf8"));
    await checkScreen(page, "plan-edit", () => page.getByText("No changes.").waitFor());

    const broken = original.replace("update_every: 20m", "update_every: soon");
    await editor.fill(broken);
    const line = lineOf(original, "update_every: 20m");
    await page.getByRole("button", { name: new RegExp(`^Line ${line}, column`) }).waitFor();
    await page.getByText("write a duration such as 45s, 20m, 1h30m or 2d").first().waitFor();
    await page.getByRole("button", { name: new RegExp(`^Line ${line}, column`) }).click();
    // The caret goes to the line, where the gutter marks the error.
    expect(
      await editor.evaluate(
        (el: { value: string; selectionStart: number }) =>
          el.value.slice(0, el.selectionStart).split("\n").length,
      ),
    ).toBe(line);
    expect(await page.locator(".editor-gutter .error-line").textContent()).toContain(String(line));
    await checkScreen(page, "plan-edit-error", () => page.getByText(/^1 error/).waitFor());

    await editor.fill(original.replace("name: Quillmark\n", "name: Quillmark Ltd\n"));
    await page.getByText("The plan is valid.").waitFor();
    await page.getByRole("button", { name: "Save as a new version" }).click();
    await page.getByText("Saved as version 2.").waitFor();

    await page.goto(url("/plan/versions"));
    await checkScreen(page, "plan-versions", () => page.getByRole("link", { name: "Version 2" }).waitFor());
    await page.goto(url("/plan"));
    await page.getByRole("heading", { name: "Quillmark Ltd: incident response plan" }).waitFor();
  });

  it("manages API tokens", async () => {
    const page = marta.page;
    await page.goto(url("/admin/tokens"));
    await page.getByLabel("What is it for?").fill("laptop CLI");
    await page.getByRole("button", { name: "Create token" }).click();
    await page.locator(".secret").getByText(/^rs_/).waitFor();
    await checkScreen(page, "admin-tokens", () =>
      page.getByRole("cell", { name: "laptop CLI", exact: true }).waitFor(),
    );
    await page.goto(url("/admin/users"));
    await checkScreen(page, "admin-users", () =>
      page.getByRole("cell", { name: "jonas.weber@example.com" }).waitFor(),
    );
  });

  it("lists the shortcuts on ?, and switches the theme", async () => {
    const page = marta.page;
    await page.goto(url("/incidents"));
    await page.getByRole("heading", { name: "Incidents" }).waitFor();
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    await checkScreen(page, "shortcuts", () => dialog.waitFor());
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });

    await chooseTheme(page, "dark");
    expect(await page.evaluate("document.documentElement.dataset.theme")).toBe("dark");
    await page.reload();
    expect(await page.evaluate("document.documentElement.dataset.theme")).toBe("dark");
    await chooseTheme(page, "system");
  });

  it("fits the header on one line at desktop width, with its menu usable by keyboard", async () => {
    const page = marta.page;
    await page.goto(url("/incidents"));
    await page.getByRole("heading", { name: "Incidents" }).waitFor();
    // With open pages too (test/e2e/oncall.test.ts); on a phone it takes more lines.
    expect(await headerOnOneLine(page)).toBe(true);
    await page.setViewportSize(PHONE);
    expect(await headerOnOneLine(page)).toBe(false);
    await page.setViewportSize(DESKTOP);

    const menu = page.getByRole("button", { name: "Menu: Marta Silva" });
    const focused = () => page.evaluate("document.activeElement?.textContent ?? ''");
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    await menu.focus();
    await page.keyboard.press("Enter");
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await checkScreen(page, "header-menu", () => page.getByLabel("Theme").waitFor());
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("My paging");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.tagName")).toBe("SELECT");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("Keyboard shortcuts ?");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    // Focus comes back to the menu's button, which Escape also returns to from inside the menu.
    expect(await focused()).toContain("Marta Silva");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Escape");
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await focused()).toContain("Marta Silva");

    // A click elsewhere closes it; My paging goes to the page.
    await openHeaderMenu(page);
    await page.getByRole("heading", { name: "Incidents" }).click();
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    await openHeaderMenu(page);
    await page.getByRole("link", { name: "My paging", exact: true }).click();
    await page.waitForURL(/\/app\/me$/);
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    // As after any move to another screen, the focus starts at the content.
    await expect.poll(() => page.evaluate("document.activeElement?.id")).toBe("main");
    // A reload lands nowhere in particular.
    await page.reload();
    await page.getByRole("heading", { name: "My paging", level: 1 }).waitFor();
    expect(await page.evaluate("document.activeElement?.tagName")).toBe("BODY");
  });

  it("scanned every screen", () => {
    expect(scanned).toEqual(
      expect.arrayContaining([
        "setup",
        "sign-in",
        "incidents-empty",
        "declare",
        "declare-errors",
        "incident-room",
        "hand-over",
        "status-update",
        "incidents",
        "plan",
        "plan-edit",
        "plan-edit-error",
        "plan-versions",
        "admin-tokens",
        "admin-users",
        "shortcuts",
        "header-menu",
      ]),
    );
  });
});
