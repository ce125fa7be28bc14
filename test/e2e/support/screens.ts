import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { axeViolations, DESKTOP, describeViolations, PHONE } from "./browser.ts";

/**
 * Every screen is checked at desktop and phone widths, in the light and the
 * dark theme: no serious or critical axe violation, nothing wider than the
 * screen. RUNSHEET_SCREENSHOTS=1 also saves it to docs/screenshots.
 */
const SCREENSHOTS = process.env.RUNSHEET_SCREENSHOTS === "1";
const SCREENSHOT_DIR = path.resolve("docs/screenshots");
type Theme = "light" | "dark";

/** The elements that stick out of the viewport, which would make the page scroll sideways on a phone. */
const WIDER_THAN_SCREEN = `[...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !el.closest(".table-wrap, .editor"))
  .slice(0, 5)
  .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "") + ": " + (el.textContent || "").slice(0, 40))`;
/** The screens checked so far, so the suite can tell that none was left out. */
export const scanned: string[] = [];

/** axe at both widths and in both themes; no serious or critical violation. Screenshots on request. */
export async function checkScreen(
  page: Page,
  name: string,
  wait: () => Promise<unknown>,
  options: {
    /** For the screenshot: scroll this element to the top instead of the page's top. */
    scrollTo?: string;
    /** false: scan only; another scan of the screen makes its screenshot. */
    screenshot?: boolean;
  } = {},
): Promise<void> {
  const { scrollTo, screenshot = true } = options;
  for (const theme of ["light", "dark"] as Theme[]) {
    await page.emulateMedia({ colorScheme: theme });
    for (const [width, viewport] of [
      ["desktop", DESKTOP],
      ["phone", PHONE],
    ] as const) {
      await page.setViewportSize(viewport);
      await wait();
      const violations = await axeViolations(page);
      expect(violations, `${name}, ${width}, ${theme}:\n${describeViolations(violations)}`).toEqual([]);
      const wide = await page.evaluate(WIDER_THAN_SCREEN);
      expect(wide, `${name} scrolls sideways at ${width} width, ${theme}`).toEqual([]);
      if (SCREENSHOTS && screenshot && (width === "desktop" || name === "incident-room")) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await page.evaluate(
          scrollTo
            ? `document.querySelector(${JSON.stringify(scrollTo)}).scrollIntoView({ block: "start" })`
            : "window.scrollTo(0, 0)",
        );
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}-${theme}.png`) });
      }
    }
  }
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: "light" });
  scanned.push(name);
}
