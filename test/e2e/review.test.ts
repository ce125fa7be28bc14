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
 * The post-incident review in a real browser, against a real server with the
 * example plan: a SEV1 is resolved (through the API), which opens its review;
 * the incident manager follows the link from the incident room, ticks the
 * checklist, is told by the server that closing needs the public-postmortem
 * decision, records it, and closes the incident. The screen is scanned with
 * axe at desktop and phone widths, in both themes.
 */
const RUN = HAS_CHROMIUM || Boolean(process.env.CI);

describe.skipIf(!RUN)("the post-incident review in Chromium", { timeout: 60_000 }, () => {
  let server: TestServer;
  let marta: Browser;
  let admin: Admin;
  let incident: { id: string; reference: string };
  const url = (route: string) => `${server.url}/app${route}`;
  const api = <T>(method: string, path: string, body?: unknown): Promise<T> =>
    admin.api<T>(method, path, body);

  beforeAll(async () => {
    requireChromium();
    buildWebApp();
    server = await startTestServer();
    admin = await setUpMarta(server, { tokenLabel: "review e2e" });

    incident = await api("POST", "/api/v1/incidents", {
      title: "Card payments failing at checkout",
      severity: "sev1",
      criteria: ["money-flow-down"],
      components: [{ id: "card-payments", impact: "major_outage" }],
    });
    await api("POST", `/api/v1/incidents/${incident.id}/timeline`, {
      kind: "fix",
      body: "Rolled back the payment gateway config",
      final: true,
    });
    await api("POST", `/api/v1/incidents/${incident.id}/status`, { status: "resolved" });
    marta = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await marta?.close();
    await server?.close();
  });

  it("goes from the incident room to its review", async () => {
    const page = marta.page;
    await page.goto(url(`/incidents/${incident.reference}`));
    await page.waitForURL(/\/app\/sign-in/);
    await page.getByLabel("Email").fill("marta.silva@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(new RegExp(`/app/incidents/${incident.reference}$`));

    await page.getByRole("link", { name: /Post-incident review/ }).click();
    await page.waitForURL(new RegExp(`/app/incidents/${incident.reference}/review$`));
    await page.getByRole("heading", { name: "Post-incident review" }).waitFor();
    const tabs = page.getByRole("navigation", { name: "After the incident" });
    expect(await tabs.getByRole("link").allTextContents()).toEqual(["Review", "Postmortem", "Action items"]);
    expect(await tabs.getByRole("link", { name: "Review" }).getAttribute("aria-current")).toBe("page");
    // Invited: Marta, who declared it, holds the incident manager's role and resolved it.
    await page.getByText("marta.silva@example.com").waitFor();
    await page.getByText(/Not decided yet\. INC-\d+ cannot be closed until it is\./).waitFor();
    await checkScreen(page, "incident-review", () =>
      page.getByRole("heading", { name: "Post-incident review" }).waitFor(),
    );
  });

  it("ticks the checklist, hears from the server that closing needs the decision, decides, and closes", async () => {
    const page = marta.page;
    const first = page.getByRole("checkbox", { name: "Walk through the timeline and confirm the final fix" });
    await first.check();
    await expect
      .poll(async () => {
        const review = await api<{ checklist: Array<{ done: boolean }> }>(
          "GET",
          `/api/v1/incidents/${incident.id}/review`,
        );
        return review.checklist.map((c) => c.done);
      })
      .toEqual([true, false, false, false]);
    expect(await first.isChecked()).toBe(true);

    // Closing first: the server's answer is shown, with what to do.
    await page.getByRole("button", { name: `Close ${incident.reference}` }).click();
    const alert = page.getByRole("alert").filter({ hasText: `Could not close ${incident.reference}` });
    await alert.waitFor();
    await alert.getByText(/need the public postmortem decision first/).waitFor();
    await alert.getByText(/record the public postmortem decision first/).waitFor();

    // A reason is needed, before the server is asked.
    await page.getByRole("radio", { name: "Yes" }).check();
    await page.getByRole("button", { name: "Record the decision" }).click();
    await page.getByText("say why, in a few words").waitFor();
    const reason = "Customers were charged twice: they deserve the whole story";
    await page.getByLabel("Why").fill(reason);
    await page.getByRole("button", { name: "Record the decision" }).click();
    await page.getByText(`: ${reason}`).waitFor();

    await page.getByRole("button", { name: `Close ${incident.reference}` }).click();
    await page.getByText(new RegExp(`${incident.reference} was closed on`)).waitFor();
    await page.locator(".after-header").getByText("Closed", { exact: true }).waitFor();
    await checkScreen(page, "incident-review-closed", () =>
      page.getByText(new RegExp(`${incident.reference} was closed on`)).waitFor(),
    );

    const after = await api<{ closedAt: string | null; review: { publicPostmortem: boolean | null } }>(
      "GET",
      `/api/v1/incidents/${incident.id}`,
    );
    expect(after.closedAt).not.toBeNull();
    expect(after.review?.publicPostmortem).toBe(true);
    const review = await api<{ decision: { reason: string; decidedBy: { email: string } } }>(
      "GET",
      `/api/v1/incidents/${incident.id}/review`,
    );
    expect(review.decision).toMatchObject({ reason, decidedBy: { email: "marta.silva@example.com" } });
  });

  it("scanned every new screen", () => {
    expect(scanned).toEqual(["incident-review", "incident-review-closed"]);
  });
});
