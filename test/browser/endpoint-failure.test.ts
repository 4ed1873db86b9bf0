import { waitFor } from "@claimwire/testing";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type TestBrowser } from "../src/browser/chromium.ts";
import { deliveryRow, signInToConsole } from "../src/browser/insurer-console.ts";
import { isSameDocument, markDocument } from "../src/browser/page-checks.ts";
import { screenshot } from "../src/browser/screenshots.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import {
  BROKEN_BODY,
  type SwitchableProxy,
  startSwitchableProxy,
} from "../src/harness/switchable-proxy.ts";
import { type RunningSystem, STAFF_API_KEY } from "../src/harness/system.ts";
import { startSystemBehindProxy } from "../src/harness/system-behind-proxy.ts";

// the clinic's endpoint fails (a proxy in front of it answers 500), insurer
// staff see the failure in the console (health, message log, each attempt's response),
// the endpoint is fixed, staff resend, and the deliveries land: the clinic's open list
// and the console's endpoint view catch up without a reload. The harness's compressed retry schedule
// (DELIVERY_RETRY_SCHEDULE) makes a failing delivery end up failed within seconds.

let sys: RunningSystem;
let proxy: SwitchableProxy;
let browser: TestBrowser;

beforeAll(async () => {
  proxy = await startSwitchableProxy();
  [sys, browser] = await Promise.all([startSystemBehindProxy(proxy), launchChromium()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
  await proxy?.close();
});

/** The numbers of one column of a chart's table (its cells are labelled with the column). */
async function columnSum(table: Locator, column: string): Promise<number> {
  const cells = await table.locator(`td[data-label="${column}"]`).allTextContents();
  return cells.reduce((sum, text) => sum + Number(text), 0);
}

/**
 * The endpoint view's charts show the failed attempts: the hourly chart (a canvas) is
 * described in words, and its table (behind "Table: …") counts the same attempts.
 */
async function expectChartsToShowFailures(page: Page): Promise<void> {
  const charts = page.getByRole("region", { name: "Deliveries over time" });
  const hourly = charts.getByRole("img", { name: /^Attempts per hour, last 48 hours:/ });
  await hourly.waitFor();
  expect(await hourly.locator("canvas").count()).toBeGreaterThan(0);
  // claim.submitted landed; each decision failed, was retried, and failed for good.
  expect(await hourly.getAttribute("aria-label")).toMatch(
    /: \d+ attempts: 1 succeeded, [1-9]\d* failed and retried, 2 failed without a retry\.$/,
  );
  await charts.getByText("Table: attempts per hour, last 48 hours").click();
  const table = charts.getByRole("table", { name: /^Attempts per hour/ });
  await table.waitFor();
  expect(await columnSum(table, "Failed, not retried")).toBe(2);
  expect(await columnSum(table, "Failed, retried")).toBeGreaterThan(0);
  expect(await columnSum(table, "Succeeded")).toBe(1);
  const durations = charts.getByRole("img", { name: /^Attempt durations, last 30 days:/ });
  expect(await durations.getAttribute("aria-label")).toMatch(/\d+ attempts; most \(\d+\) took/);
  await screenshot(page, "console-endpoint-charts");
}

/** Staff's delivery overview names the failing endpoint and counts its failures. */
async function expectOverviewToShowFailures(): Promise<void> {
  const page = await browser.newPage();
  await signInToConsole(page, sys.insurerUrl, STAFF_API_KEY);
  await page.getByRole("link", { name: "Delivery overview" }).click();
  const failing = page.getByRole("region", { name: /^Failing endpoints/ });
  await failing.getByRole("link", { name: `${proxy.url}/webhooks/insurer` }).waitFor();
  expect(await failing.getByRole("heading").textContent()).toBe("Failing endpoints (1)");
  const perMinute = page.getByRole("img", { name: /^Attempts per minute, last hour:/ });
  expect(await perMinute.getAttribute("aria-label")).toMatch(/2 failed without a retry\.$/);
  await screenshot(page, "console-delivery-overview");
  await page.close();
}

describe("an endpoint that fails, seen in the console, fixed and resent", () => {
  let clinic: Page;
  let staffConsole: Page;
  let claimId: string;
  let reference: string;

  it("while the clinic's endpoint answers 500, the console shows the failures", async () => {
    const claim = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    claimId = claim.id;
    reference = claim.clinicReference;
    clinic = await browser.newPage();
    await clinic.goto(sys.clinicUrl);
    // The clinic learns of the claim from its claim.submitted webhook.
    const row = clinic.getByTestId("claim-row").filter({ hasText: reference });
    await row.getByText("submitted").waitFor();

    proxy.break();
    await sys.staff.claims.decide.mutate({ claimId, to: "in_review" });
    await sys.staff.claims.decide.mutate({ claimId, to: "approved" });
    await waitFor("both deliveries to have failed every scheduled attempt", async () => {
      const endpoints = await sys.clinicClient.endpoints.list.query();
      const { items } = await sys.staff.deliveries.list.query({
        endpointId: endpoints[0]!.id,
        status: "failed",
      });
      return items.length === 2;
    });
    expect(proxy.refused()).toBeGreaterThan(2);

    staffConsole = await browser.newPage();
    await signInToConsole(staffConsole, sys.insurerUrl, STAFF_API_KEY);
    await staffConsole.getByRole("link", { name: "Clinics" }).click();
    await staffConsole.getByRole("link", { name: "E2E Clinic" }).click();
    await staffConsole.getByRole("heading", { name: "E2E Clinic: endpoints" }).waitFor();
    const endpointRow = staffConsole.getByRole("row").filter({ hasText: proxy.url });
    await endpointRow.getByText("HTTP 500").waitFor();
    expect(await endpointRow.getByRole("cell").last().textContent()).toBe("0 / 2");
    await screenshot(staffConsole, "console-endpoints-health");

    await staffConsole.getByRole("link", { name: `${proxy.url}/webhooks/insurer` }).click();
    // claim.submitted was delivered before the break; both decisions failed.
    const health = staffConsole.getByRole("region", { name: "Health" });
    await health.getByText("1 delivered, 0 waiting, 2 failed").waitFor();
    expect(await health.textContent()).toContain("HTTP 500");
    const failed = deliveryRow(staffConsole, "claim.approved");
    await failed.getByText("Failed").waitFor();
    await failed.getByRole("button", { name: "Attempts" }).click();
    const attempts = staffConsole.getByRole("list", { name: /^Attempts of / });
    await attempts.first().waitFor();
    expect(await attempts.first().textContent()).toContain(BROKEN_BODY);
    await expectChartsToShowFailures(staffConsole);
    await expectOverviewToShowFailures();
    // The clinic never heard of the decision: its list still says submitted.
    expect(
      await clinic.getByTestId("claim-row").filter({ hasText: reference }).textContent(),
    ).toContain("submitted");
    expect(browser.errors).toEqual([]);
  });

  it("after the endpoint is fixed, resent messages land and the console follows them", async () => {
    await markDocument(clinic);
    await markDocument(staffConsole);
    proxy.fix();
    const health = staffConsole.getByRole("region", { name: "Health" });
    const refresh = staffConsole.getByRole("button", { name: "Refresh" });

    // Oldest first, as the clinic applies a claim's versions in order. The first is resent
    // through the API, behind the console's back: Refresh brings the whole view up to date
    // (the row, the endpoint's health and state), sooner than its own refetch (10 to 15 s).
    const inReview = deliveryRow(staffConsole, "claim.in_review");
    const inReviewId = await inReview.getAttribute("data-delivery-id");
    await sys.staff.deliveries.resend.mutate({ deliveryId: inReviewId! });
    const [endpoint] = await sys.clinicClient.endpoints.list.query();
    await waitFor("the resent claim.in_review to be delivered", async () => {
      const { items } = await sys.staff.deliveries.list.query({ endpointId: endpoint!.id });
      return items.find((delivery) => delivery.id === inReviewId)?.status === "delivered";
    });
    await refresh.click();
    const soon = { timeout: 5_000 };
    await inReview.getByText("Delivered").waitFor(soon);
    await health.getByText("2 delivered, 0 waiting, 1 failed").waitFor(soon);
    await health.getByText("Healthy").waitFor(soon);

    // The second from the console, with its attempts open (since the first test): the row,
    // the open attempts and the health follow the new attempt on their own.
    const approved = deliveryRow(staffConsole, "claim.approved");
    await approved.getByRole("button", { name: "Resend" }).click();
    await staffConsole.getByText(/queued to be sent again/).waitFor();
    const attempts = staffConsole.getByRole("list", { name: /^Attempts of / });
    await attempts.getByText("manual").waitFor();
    await approved.getByText("Delivered").waitFor();
    await health.getByText("3 delivered, 0 waiting, 0 failed").waitFor();
    // Its attempts: the scheduled failures, then the manual success.
    expect(await attempts.getByText(/^#\d+ Failed$/).count()).toBeGreaterThan(0);
    expect(await attempts.getByText(/^#\d+ Delivered$/).count()).toBe(1);
    expect(await isSameDocument(staffConsole)).toBe(true);

    const clinicRow = clinic.getByTestId("claim-row").filter({ hasText: reference });
    await clinicRow.getByText("approved").waitFor();
    expect(await isSameDocument(clinic)).toBe(true);
    await screenshot(staffConsole, "console-message-log");
    expect(browser.errors).toEqual([]);
  });
});
