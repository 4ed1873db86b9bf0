import { startTestSmtpServer, type TestSmtpServer } from "@claimwire/clinic-api/testing/smtp";
import { waitFor } from "@claimwire/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type TestBrowser } from "../src/browser/chromium.ts";
import { signInToConsole } from "../src/browser/insurer-console.ts";
import { isSameDocument, markDocument } from "../src/browser/page-checks.ts";
import { screenshot } from "../src/browser/screenshots.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { type RunningSystem, STAFF_API_KEY, startSystem } from "../src/harness/system.ts";

// a claim goes from the clinic's web app to the insurer console and back,
// in a real browser against the whole system (insurer, worker and clinic as processes).
// Clinic staff submit it, insurer staff approve it in the console, and the clinic's list,
// left open, shows the decision without a reload; so does the patient's page. The patient
// gave an e-mail address: the clinic e-mails them (through a real SMTP server in this
// process) when the claim is sent and when it is approved, and the link opens their page.

const REFERENCE = "INV-2026-0042";
const PATIENT_EMAIL = "jane.doe@example.org";

let sys: RunningSystem;
let browser: TestBrowser;
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  const clinicEnv = {
    CLINIC_SMTP_HOST: "127.0.0.1",
    CLINIC_SMTP_PORT: String(smtp.port),
    CLINIC_SMTP_TLS: "none",
    CLINIC_SMTP_FROM: "E2E Clinic <clinic@claimwire.test>",
  };
  [sys, browser] = await Promise.all([startSystem({ clinicEnv }), launchChromium()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
  await smtp?.close();
});

describe("a claim from the clinic's web app to the insurer console and back", () => {
  let clinic: Page;
  let claimPath: string;
  let patientPath: string;

  it("clinic staff submit a claim: errors beside their fields first, then the claim's page", async () => {
    clinic = await browser.newPage();
    await clinic.goto(sys.clinicUrl);
    await clinic.getByRole("heading", { name: "Claims" }).waitFor();
    await clinic.getByText("No claims yet.").waitFor();

    await clinic.getByRole("main").getByRole("link", { name: "New claim" }).click();
    await clinic.getByRole("heading", { name: "New claim" }).waitFor();
    await clinic.getByLabel("Clinic reference").fill(REFERENCE);
    await clinic.getByLabel("Patient reference").fill("Jane Doe"); // a name, not a token
    await clinic.getByLabel("Unit amount (EUR)").fill("12.345"); // three decimals
    await clinic.getByRole("button", { name: "Submit claim" }).click();

    const summary = clinic.getByRole("alert");
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/Please correct \d+ fields marked below/);
    for (const field of ["Patient reference", "Policy number", "Procedure code"]) {
      expect(await clinic.getByLabel(field).getAttribute("aria-invalid"), field).toBe("true");
    }
    // The person is taken to the first field to correct.
    expect(await clinic.evaluate(() => document.activeElement?.id)).toBe("field-patientRef");
    await screenshot(clinic, "clinic-new-claim-errors");

    await clinic.getByLabel("Patient reference").fill("pat_7f3k2m9x");
    await clinic.getByLabel("Policy number").fill("POL-123456");
    await clinic.getByLabel("Procedure code").fill("99213");
    await clinic.getByLabel("Unit amount (EUR)").fill("125.00");
    await clinic.getByRole("button", { name: "Add service line" }).click();
    await clinic.getByLabel("Procedure code").nth(1).fill("85025");
    await clinic.getByLabel("Quantity").nth(1).fill("2");
    await clinic.getByLabel("Unit amount (EUR)").nth(1).fill("30");
    await clinic.getByLabel("Patient's e-mail address").fill(PATIENT_EMAIL);
    await clinic.getByRole("button", { name: "Submit claim" }).click();

    await clinic.getByRole("heading", { name: `Claim ${REFERENCE}` }).waitFor();
    claimPath = new URL(clinic.url()).pathname;
    expect(claimPath).toMatch(/^\/claims\/clm_/);
    expect(await clinic.getByTestId("timeline-entry").count()).toBe(1);
    patientPath = (await clinic.getByTestId("patient-link").getAttribute("href")) ?? "";
    expect(patientPath).toMatch(/^\/p\//);

    await clinic.getByRole("link", { name: "← All claims" }).click();
    const row = clinic.getByTestId("claim-row").filter({ hasText: REFERENCE });
    await row.getByText("submitted").waitFor();
    expect(await row.textContent()).toContain("€185.00");
    expect(browser.errors).toEqual([]);
  });

  it("insurer staff approve it in the console; the clinic's open list shows it without a reload", async () => {
    const patient = await browser.newPage({ width: 375, height: 740 });
    await patient.goto(`${sys.clinicUrl}${patientPath}`);
    expect(await patient.getByTestId("patient-status").textContent()).toBe("Sent to your insurer");
    await patient.getByText("This page updates by itself.").waitFor();
    await markDocument(patient);

    // Two more claims from elsewhere (the clinic's integration, through the insurer's API),
    // so that the queue and the list have neighbours; the clinic learns of them by webhook.
    for (const [reference, moves] of [
      ["INV-2026-0038", ["in_review"]],
      ["INV-2026-0043", []],
    ] as const) {
      const other = await sys.clinicClient.claims.submit.mutate(
        sampleClaim({ clinicReference: reference }),
      );
      for (const to of moves) await sys.staff.claims.decide.mutate({ claimId: other.id, to });
      await clinic.getByTestId("claim-row").filter({ hasText: reference }).waitFor();
    }
    await clinic
      .getByTestId("claim-row")
      .filter({ hasText: "INV-2026-0038" })
      .getByText("in review")
      .waitFor();

    await markDocument(clinic);
    const staffConsole = await browser.newPage();
    await signInToConsole(staffConsole, sys.insurerUrl, STAFF_API_KEY);
    await staffConsole.getByRole("heading", { name: "Review queue" }).waitFor();
    await staffConsole.getByRole("link", { name: REFERENCE }).waitFor();
    await staffConsole.getByRole("link", { name: "INV-2026-0043" }).waitFor();
    await screenshot(staffConsole, "console-review-queue");

    await staffConsole.getByRole("link", { name: REFERENCE }).click();
    await staffConsole.getByRole("heading", { name: `Claim ${REFERENCE}` }).waitFor();
    await staffConsole.getByRole("button", { name: "Start review" }).click();
    await staffConsole.getByText(`Claim ${REFERENCE} is now in review.`).waitFor();
    await staffConsole.getByRole("button", { name: "Approve", exact: true }).click();
    await staffConsole.getByText(`Claim ${REFERENCE} is now approved.`).waitFor();

    // The clinic's list, open all along, is told by the clinic (server-sent events).
    const row = clinic.getByTestId("claim-row").filter({ hasText: REFERENCE });
    await row.getByText("approved").waitFor();
    expect(await isSameDocument(clinic)).toBe(true);
    expect(await clinic.getByTestId("live-announcement").textContent()).toBe(
      `Claim ${REFERENCE} is now approved.`,
    );
    await screenshot(clinic, "clinic-claims-list");

    // The patient's page, open all along, is told too (server-sent events), without a reload.
    await patient.getByTestId("patient-status").getByText("Approved").waitFor();
    expect(await isSameDocument(patient)).toBe(true);
    expect(await patient.getByText("Being reviewed").count()).toBe(1);
    await screenshot(patient, "clinic-patient-page");
    expect(browser.errors).toEqual([]);
  });

  it("the patient is e-mailed when the claim is sent and when it is approved, and the link opens their page", async () => {
    await waitFor("two e-mails", () => smtp.received.length >= 2);
    // "Being reviewed" is on the page only; no e-mail for it.
    expect(smtp.received.map((mail) => mail.parsed.subject)).toEqual([
      `Your claim ${REFERENCE} was sent to your insurer`,
      `Claim ${REFERENCE} approved`,
    ]);
    const approved = smtp.received[1];
    expect(approved?.to).toEqual([PATIENT_EMAIL]);
    const text = approved?.parsed.text ?? "";
    expect(text).not.toMatch(/185|€|EUR|POL-123456|pat_7f3k2m9x|clm_/);
    const link = /https?:\/\/\S+\/p\/\S+/.exec(text)?.[0];
    expect(link).toBe(`${sys.clinicUrl}${patientPath}`);

    const patient = await browser.newPage({ width: 375, height: 740 });
    await patient.goto(link ?? "");
    await patient.getByTestId("patient-status").getByText("Approved").waitFor();

    // A link with a wrong token shows no claim and opens no live stream.
    const wrong = await browser.newPage({ width: 375, height: 740 });
    const streams: string[] = [];
    wrong.on("request", (request) => {
      if (request.url().includes("/api/patient/events/")) streams.push(request.url());
    });
    const token = patientPath.slice("/p/".length);
    await wrong.goto(`${sys.clinicUrl}/p/${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`);
    await wrong.getByText("This link is not valid").waitFor();
    expect(streams).toEqual([]);
    expect(browser.errors).toEqual([]);
  });

  it("the claim's timeline shows each status, when its webhook arrived and how it came", async () => {
    await clinic.getByRole("link", { name: REFERENCE }).click();
    await clinic.getByRole("heading", { name: `Claim ${REFERENCE}` }).waitFor();
    const entries = clinic.getByTestId("timeline-entry");
    // The page shows what it had in memory at once, and the fresh timeline right after.
    await entries.nth(2).waitFor();
    expect(await entries.count()).toBe(3);
    const texts = await entries.allTextContents();
    expect(texts[0]).toContain("submitted");
    expect(texts[1]).toContain("in review");
    expect(texts[2]).toContain("approved");
    expect(texts[2]).toContain("webhook");
    expect(await clinic.getByTestId("patient-notification").count()).toBe(3);
    const emails = await clinic.getByTestId("patient-email").allTextContents();
    expect(emails).toHaveLength(2);
    for (const email of emails) expect(email).toContain("sent");
    await screenshot(clinic, "clinic-claim-timeline");
    expect(browser.errors).toEqual([]);
  });
});
