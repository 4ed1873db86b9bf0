import type { Locator, Page } from "playwright-core";

/** Opens the insurer console and signs in by pasting an API key, as staff would. */
export async function signInToConsole(page: Page, insurerUrl: string, apiKey: string) {
  await page.goto(`${insurerUrl}/console/`);
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** The message log's row for the delivery of one event type (`claim.approved`). */
export function deliveryRow(page: Page, eventType: string): Locator {
  return page.locator("tr[data-delivery-id]").filter({ hasText: eventType });
}

/**
 * Presses the message log's Refresh button until `shown` is visible, as someone waiting
 * for a delivery would (the log also refreshes itself every 10 s).
 */
export async function refreshLogUntil(page: Page, shown: Locator, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await shown.isVisible()) return;
    if (Date.now() > deadline) throw new Error(`message log never showed ${shown}`);
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.waitForTimeout(200);
  }
}
