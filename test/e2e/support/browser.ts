import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`), driven by playwright-core. */
export const CHROMIUM_PATH = process.env.RUNSHEET_CHROMIUM ?? "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);

/** In a browser suite's beforeAll: where the suite must run (CI) but Chromium is missing, fail with the fix. */
export function requireChromium(): void {
  if (!HAS_CHROMIUM) {
    throw new Error(
      `CI needs Chromium at ${CHROMIUM_PATH} for the browser tests: apt-get install -y chromium`,
    );
  }
}

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 740 };

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A browser of its own, with a fresh profile (user-data dir), as a second person would have. */
export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), "runsheet-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: DESKTOP,
    locale: "en-GB",
    timezoneId: "Europe/Lisbon",
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * Runs axe-core in the page. It is evaluated through the DevTools protocol, not
 * added as a <script>, which the app's Content-Security-Policy would refuse.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, as the root tsconfig has no DOM types: this runs in the page.
  const violations = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)",
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)
    .join("\n");
}

/** Opens the header's menu (under the person's name), where My paging, the theme and signing out are. */
export async function openHeaderMenu(page: Page): Promise<void> {
  const menu = page.getByRole("button", { name: /^Menu: / });
  if ((await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
  await page.getByRole("link", { name: "My paging", exact: true }).waitFor();
}

/** Picks the theme in the header's menu, then closes the menu. */
export async function chooseTheme(page: Page, theme: "system" | "light" | "dark"): Promise<void> {
  await openHeaderMenu(page);
  await page.getByLabel("Theme").selectOption(theme);
  await page.keyboard.press("Escape");
  await page.getByLabel("Theme").waitFor({ state: "hidden" });
}

/** Whether everything in the header sits on one line: each item's box overlaps every other's vertically. */
export async function headerOnOneLine(page: Page): Promise<boolean> {
  return (await page.evaluate(`(() => {
    const boxes = [...document.querySelectorAll(".shell-header > *, .shell-nav li, .shell-tools > *")]
      .map((el) => el.getBoundingClientRect())
      .filter((box) => box.width > 0);
    return boxes.length > 0 && Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
  })()`)) as boolean;
}
