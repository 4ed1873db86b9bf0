import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type TestBrowser } from "../src/browser/chromium.ts";
import { deliveryRow, refreshLogUntil, signInToConsole } from "../src/browser/insurer-console.ts";
import { focused, horizontalOverflow, tabTo } from "../src/browser/page-checks.ts";
import { screenshot } from "../src/browser/screenshots.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { type RunningSystem, STAFF_API_KEY, startSystem } from "../src/harness/system.ts";

// Checked in a real browser: both web apps are usable on a phone (375 px
// wide: nothing scrolls sideways), their main flows work from the keyboard alone (Tab to
// move, Enter to act) with a visible focus ring at every stop, and no page logs an error.

const PHONE = { width: 375, height: 740 };

let sys: RunningSystem;
let browser: TestBrowser;
/** Claims in several statuses, so that lists and cards have something to lay out. */
const claimIds: string[] = [];
let endpointId: string;

beforeAll(async () => {
  [sys, browser] = await Promise.all([startSystem(), launchChromium()]);
  const paths: ("in_review" | "approved" | "paid")[][] = [
    [],
    ["in_review"],
    ["in_review", "approved", "paid"],
  ];
  for (const [i, path] of paths.entries()) {
    const { id: claimId } = await sys.clinicClient.claims.submit.mutate(
      sampleClaim({ clinicReference: `INV-2026-01${i}7`, patientRef: `pat_phone${i}` }),
    );
    claimIds.push(claimId);
    for (const to of path) {
      await sys.staff.claims.decide.mutate(
        to === "paid" ? { claimId, to, paymentReference: "PAY-2026-0093" } : { claimId, to },
      );
    }
  }
  const [endpoint] = await sys.clinicClient.endpoints.list.query();
  endpointId = endpoint!.id;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

/**
 * Starts watching for `text` to appear; the returned function gives the name of the
 * control that had the focus at that moment (checked on each change of the page, before
 * it is painted): what the user saw together with the text.
 */
async function watchFocusWhenShown(page: Page, text: string): Promise<() => Promise<string>> {
  await page.evaluate((text) => {
    const shown = new Promise<string>((resolve) => {
      const observer = new MutationObserver(() => {
        if (!document.body.textContent?.includes(text)) return;
        observer.disconnect();
        resolve(document.activeElement?.textContent?.trim() ?? "");
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    (window as unknown as { focusWhenShown: Promise<string> }).focusWhenShown = shown;
  }, text);
  return () =>
    page.evaluate(() => (window as unknown as { focusWhenShown: Promise<string> }).focusWhenShown);
}

async function expectNoOverflow(page: Page, what: string) {
  expect(await horizontalOverflow(page), `${what} at ${page.viewportSize()?.width} px`).toEqual([]);
}

describe("at phone width (375 px) nothing scrolls sideways", () => {
  it("in the clinic's web app", async () => {
    const page = await browser.newPage(PHONE);
    await page.goto(sys.clinicUrl);
    // The clinic learns of the claims from their webhooks; the list fills in live.
    await page.getByTestId("claim-row").nth(2).waitFor();
    await page.getByTestId("claim-row").getByText("paid").waitFor();
    await expectNoOverflow(page, "claims list");
    await screenshot(page, "clinic-claims-list-phone");

    await page.goto(`${sys.clinicUrl}/claims/new`);
    await page.getByRole("button", { name: "Submit claim" }).click();
    await page.getByRole("alert").waitFor();
    await expectNoOverflow(page, "claim form with errors");

    await page.goto(`${sys.clinicUrl}/claims/${claimIds[2]}`);
    await page.getByTestId("timeline-entry").nth(3).waitFor();
    await expectNoOverflow(page, "claim page");

    const patientPath = await page.getByTestId("patient-link").getAttribute("href");
    await page.goto(`${sys.clinicUrl}${patientPath}`);
    await page.getByTestId("patient-status").waitFor();
    await expectNoOverflow(page, "patient page");

    await page.goto(`${sys.clinicUrl}/no/such/page`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await expectNoOverflow(page, "not-found page");
    expect(browser.errors).toEqual([]);
  });

  it("in the insurer console", async () => {
    const page = await browser.newPage(PHONE);
    await page.goto(`${sys.insurerUrl}/console/`);
    await page.getByLabel("API key").waitFor();
    await expectNoOverflow(page, "sign-in");
    await signInToConsole(page, sys.insurerUrl, STAFF_API_KEY);

    await page.getByRole("link", { name: "INV-2026-0117" }).waitFor();
    await expectNoOverflow(page, "review queue");
    await screenshot(page, "console-review-queue-phone");

    await page.getByRole("link", { name: "INV-2026-0117" }).click();
    await page.getByRole("button", { name: "Approve", exact: true }).waitFor();
    await expectNoOverflow(page, "claim with its decision forms");

    await page.goto(`${sys.insurerUrl}/console/clinics`);
    // One clinic, with one endpoint: counted in the singular.
    await page.getByText("1 clinic; open one to see its endpoints").waitFor();
    await page.getByRole("link", { name: "E2E Clinic" }).click();
    await page.getByRole("heading", { name: "E2E Clinic: endpoints" }).waitFor();
    await page.getByText("1 endpoint; open one for its message log and actions").waitFor();
    await page.getByText("attempts").first().waitFor();
    await expectNoOverflow(page, "clinic's endpoints");

    await page.goto(`${sys.insurerUrl}/console/endpoints/${endpointId}`);
    const row = page.locator("tr[data-delivery-id]").filter({ hasText: "claim.paid" });
    await row.getByRole("button", { name: "Attempts" }).click();
    await page.getByRole("list", { name: /^Attempts of / }).waitFor();
    await expectNoOverflow(page, "endpoint with an open attempts list");

    await page.goto(`${sys.insurerUrl}/console/no/such/view`);
    await page.getByRole("heading", { name: "Not here" }).waitFor();
    await expectNoOverflow(page, "not-found view");
    expect(browser.errors).toEqual([]);
  });
});

describe("the main flows work from the keyboard alone, with a visible focus", () => {
  it("clinic: skip link, then a new claim typed and submitted", async () => {
    const page = await browser.newPage();
    await page.goto(sys.clinicUrl);
    await page.getByTestId("claim-row").first().waitFor();

    await page.keyboard.press("Tab");
    const first = await focused(page);
    expect(first?.name).toBe("Skip to main content");
    expect(first?.ring).not.toBe("");
    expect(
      (await page.getByRole("link", { name: "Skip to main content" }).boundingBox())?.y,
    ).toBeGreaterThanOrEqual(0);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    await tabTo(page, /^New claim$/);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "New claim" }).waitFor();
    // Enter in an empty form: the errors are announced and the first field gets focus.
    await tabTo(page, /^Clinic reference/);
    await page.keyboard.press("Enter");
    await page.getByRole("alert").waitFor();
    expect((await focused(page))?.name).toMatch(/^Clinic reference/);

    await page.keyboard.type("INV-2026-0200");
    for (const [field, text] of [
      [/^Patient reference/, "pat_key0b0ard"],
      [/^Policy number/, "POL-777777"],
      [/^Procedure code/, "99214"],
      [/^Unit amount/, "80"],
    ] as const) {
      await tabTo(page, field);
      await page.keyboard.type(text);
    }
    await tabTo(page, /^Submit claim$/);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Claim INV-2026-0200" }).waitFor();
    expect(browser.errors).toEqual([]);
  });

  it("console: sign in, open a claim, start the review and approve it", async () => {
    const page = await browser.newPage();
    await page.goto(`${sys.insurerUrl}/console/`);
    await tabTo(page, /^API key/);
    await page.keyboard.type(STAFF_API_KEY);
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Sign out" }).waitFor();

    await tabTo(page, /^INV-2026-0200$/);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Claim INV-2026-0200" }).waitFor();
    await tabTo(page, /^Start review$/);
    await page.keyboard.press("Enter");
    await page.getByText("Claim INV-2026-0200 is now in review.").waitFor();
    await tabTo(page, /^Approve$/);
    await page.keyboard.press("Enter");
    await page.getByText("Claim INV-2026-0200 is now approved.").waitFor();
    expect(browser.errors).toEqual([]);
  });

  it("console: disable and enable an endpoint, send it a test event, recover", async () => {
    const page = await browser.newPage();
    await signInToConsole(page, sys.insurerUrl, STAFF_API_KEY);
    await tabTo(page, /^Clinics$/);
    await page.keyboard.press("Enter");
    await tabTo(page, /^E2E Clinic$/);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "E2E Clinic: endpoints" }).waitFor();
    await tabTo(page, /\/webhooks\/insurer$/);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Health" }).waitFor();

    await tabTo(page, /^Disable$/);
    const focusWhenDisabled = await watchFocusWhenShown(page, "Endpoint disabled.");
    await page.keyboard.press("Enter");
    // The button changes its action under the focus, by the time the outcome shows: Enter
    // again undoes it.
    expect(await focusWhenDisabled()).toBe("Enable");
    expect((await focused(page))?.name).toBe("Enable");
    await page.keyboard.press("Enter");
    await page.getByText("Endpoint enabled.").waitFor();
    expect((await focused(page))?.name).toBe("Disable");
    await tabTo(page, /^Send test event$/);
    await page.keyboard.press("Enter");
    await page.getByText(/Test event queued as delivery/).waitFor();
    // Through the recovery form: each part of the date fields (the calendar button too)
    // shows the focus.
    await tabTo(page, /^From$/);
    await tabTo(page, /^Until/);
    await tabTo(page, /^Recover$/);
    await page.keyboard.press("Enter");
    await page.getByText("No failed deliveries in that range.").waitFor();
    // It shows in the message log, and the clinic accepts it.
    await refreshLogUntil(page, deliveryRow(page, "webhook.test").getByText("Delivered"));
    expect(browser.errors).toEqual([]);
  });
});
