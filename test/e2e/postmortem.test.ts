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

/**
 * The blameless postmortem in a real browser, against a real server with the
 * example plan: a resolved SEV1 (through the API); the incident manager drafts
 * its postmortem from the incident, edits the Markdown and previews the
 * server's rendering, sends it for review, writes the public version and
 * publishes it; a visitor then reads it on the public status page, which runs
 * no script. Each screen is scanned with axe at desktop and phone widths, in
 * both themes.
 */
const RUN = HAS_CHROMIUM || Boolean(process.env.CI);

const PUBLIC_TITLE = "Card payments failed for 40 minutes";

describe.skipIf(!RUN)("the postmortem in Chromium", { timeout: 90_000 }, () => {
  let server: TestServer;
  let marta: Browser;
  let visitor: Browser;
  let admin: Admin;
  let incident: { id: string; reference: string };
  const url = (route: string) => `${server.url}/app${route}`;
  const api = <T>(method: string, path: string, body?: unknown): Promise<T> =>
    admin.api<T>(method, path, body);

  beforeAll(async () => {
    requireChromium();
    buildWebApp();
    server = await startTestServer();
    admin = await setUpMarta(server, { tokenLabel: "postmortem e2e" });

    incident = await api("POST", "/api/v1/incidents", {
      title: "Card payments failing at checkout",
      severity: "sev1",
      criteria: ["money-flow-down"],
      components: [{ id: "card-payments", impact: "major_outage" }],
    });
    await api("POST", `/api/v1/incidents/${incident.id}/updates`, {
      phase: "investigating",
      body: "Card payments fail at checkout. We are on it.",
      channels: ["status-page"],
    });
    await api("POST", `/api/v1/incidents/${incident.id}/timeline`, {
      kind: "fix",
      body: "Rolled back the payment gateway config",
      final: true,
    });
    await api("POST", `/api/v1/incidents/${incident.id}/status`, { status: "resolved" });
    marta = await openBrowser();
    visitor = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await marta?.close();
    await visitor?.close();
    await server?.close();
  });

  it("drafts the postmortem from the incident, edits it and previews the server's rendering", async () => {
    const page = marta.page;
    await page.goto(url(`/incidents/${incident.reference}/postmortem`));
    await page.waitForURL(/\/app\/sign-in/);
    await page.getByLabel("Email").fill("marta.silva@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(new RegExp(`/app/incidents/${incident.reference}/postmortem$`));

    await page.getByText(`${incident.reference} has no postmortem yet.`).waitFor();
    await checkScreen(page, "incident-postmortem-none", () =>
      page.getByRole("button", { name: "Draft the postmortem" }).waitFor(),
    );
    await page.getByRole("button", { name: "Draft the postmortem" }).click();

    const editor = page.getByLabel("The postmortem", { exact: true });
    await editor.waitFor();
    const drafted = await editor.inputValue();
    expect(drafted).toContain("## Summary");
    expect(drafted).toContain("## Timeline");
    expect(drafted).toContain("**Fix — the final fix, confirmed**: Rolled back the payment gateway config");
    expect(drafted).toContain("Marta Silva");
    await page.getByText("Version 1").waitFor();

    const written = drafted.replace(
      "## Contributing factors\n",
      "## Contributing factors\n\nA config change reached **every region at once**.\n<script>alert('no')</script>\n",
    );
    await editor.fill(written);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Version 2").waitFor();
    const saved = await api<{ body: string; version: number }>(
      "GET",
      `/api/v1/incidents/${incident.id}/postmortem`,
    );
    expect(saved).toMatchObject({ body: written, version: 2 });

    // The preview is the server's sanitized rendering: the emphasis, no script.
    const panel = page.locator("section", {
      has: page.getByRole("heading", { name: "Postmortem", exact: true }),
    });
    await panel.getByRole("radio", { name: "Preview" }).check();
    const preview = page.getByRole("article", { name: "The postmortem, preview" });
    await preview.getByText("every region at once").waitFor();
    expect(await preview.locator("strong", { hasText: "every region at once" }).count()).toBe(1);
    expect(await preview.locator("script").count()).toBe(0);
    expect(await preview.getByRole("heading", { name: "Contributing factors" }).count()).toBe(1);
    await checkScreen(page, "incident-postmortem", () => preview.getByText("every region at once").waitFor());
    await panel.getByRole("radio", { name: "Write" }).check();

    await page.getByRole("button", { name: "Send for review" }).click();
    await panel.locator(".badge").filter({ hasText: "In review" }).waitFor();
    expect(await page.getByRole("button", { name: "Publish the postmortem" }).isVisible()).toBe(true);
  });

  it("writes and publishes the public version, which a visitor reads on the status page", async () => {
    const page = marta.page;
    await page.getByLabel("Title").fill(PUBLIC_TITLE);
    await page
      .getByLabel("Public text", { exact: true })
      .fill(
        "## What happened\n\nA configuration change to our payment gateway reached every region at once.",
      );
    const publish = page.getByRole("button", { name: "Publish on the status page" });
    expect(await publish.isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Save public version" }).click();
    await expect.poll(() => publish.isDisabled()).toBe(false);
    await publish.click();
    await page.getByText(/Published on the status page .* and sent to its subscribers\./).waitFor();
    const statusLink = page.getByRole("link", { name: "See it on the status page" });
    expect(await statusLink.getAttribute("href")).toBe(`${server.url}/incidents/${incident.id}#postmortem`);
    await checkScreen(
      page,
      "incident-postmortem-published",
      () => page.getByText(/Published on the status page/).waitFor(),
      { scrollTo: "#public-postmortem-title" },
    );

    // A visitor on the public page: the postmortem under the incident, server-rendered, no script anywhere.
    const view = visitor.page;
    await expect
      .poll(
        async () => {
          await view.goto(`${server.url}/incidents/${incident.id}`);
          return view.getByRole("heading", { name: `Postmortem: ${PUBLIC_TITLE}` }).count();
        },
        { timeout: 10_000 },
      )
      .toBe(1);
    await view
      .getByText("A configuration change to our payment gateway reached every region at once.")
      .waitFor();
    await view.getByText(/^Published /).waitFor();
    expect(await view.locator("script").count()).toBe(0);
    const html = await (await fetch(`${server.url}/incidents/${incident.id}`)).text();
    expect(html).not.toMatch(/<script|javascript:/i);
  });

  it("scanned every new screen", () => {
    expect(scanned).toEqual([
      "incident-postmortem-none",
      "incident-postmortem",
      "incident-postmortem-published",
    ]);
  });
});
