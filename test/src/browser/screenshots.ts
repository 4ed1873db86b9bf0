import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";

/** docs/screenshots/ at the repository root: the README shows these. */
export const SCREENSHOT_DIR = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url));

/**
 * Screenshots are refreshed on request only (`SCREENSHOTS=1`), so an ordinary test run
 * leaves the committed PNGs alone: dates and ids on the screens change on every run.
 */
export const SCREENSHOTS_ENABLED = process.env.SCREENSHOTS === "1";

/** Saves the whole page as docs/screenshots/<name>.png when SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS_ENABLED) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // No blinking caret or half-finished transition in a committed picture.
  await page.screenshot({
    path: `${SCREENSHOT_DIR}${name}.png`,
    fullPage: true,
    animations: "disabled",
    caret: "hide",
  });
}
