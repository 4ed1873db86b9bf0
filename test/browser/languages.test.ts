import { en } from "@claimwire/clinic-web/i18n/en.ts";
import { ru } from "@claimwire/clinic-web/i18n/ru.ts";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type TestBrowser } from "../src/browser/chromium.ts";
import { isSameDocument, markDocument } from "../src/browser/page-checks.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";

// The patient's page and the clinic's staff pages in the browser's language, Russian or
// English, with a switch: every word from the catalogue of that language, none left in the
// other; dates and money in the language's own form; the live update arriving in the
// language being read; the main staff flow (the list, a claim with mistakes, then right,
// its page) in Russian.

let sys: RunningSystem;
let browser: TestBrowser;
let claimId: string;
let patientUrl: string;
let dueAt: string;

/**
 * Every UI text of a catalogue, split at its placeholders and markup into plain fragments.
 * `phrases`: only fragments of several words (a single word such as "submitted" is also
 * part of identifiers the staff pages show as they are, like the event type
 * "claim.submitted").
 */
function fragments(catalogue: object, { phrases = false } = {}): string[] {
  const out: string[] = [];
  const walk = (node: object, path: string) => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value !== "string") walk(value, `${path}${key}.`);
      // A language's own name stays in that language on both pages (the switch).
      else if (!path.startsWith("language.") || key === "label") {
        out.push(
          ...value
            .split(/\{\{\w+\}\}|<\/?\w+>/)
            .map((part) =>
              part
                .trim()
                .replace(/^[(.,;]+|[).,;]+$/g, "")
                .trim(),
            )
            .filter((part) => part.length > 3 && (!phrases || part.includes(" ")))
            // The switch names each language in itself on every page.
            .filter((part) => part !== en.language.en && part !== ru.language.ru),
        );
      }
    }
  };
  walk(catalogue, "");
  return out;
}

async function visibleText(page: Page): Promise<string> {
  return await page.evaluate(() => document.body.textContent ?? "");
}

beforeAll(async () => {
  [sys, browser] = await Promise.all([startSystem(), launchChromium()]);
  const claim = await sys.clinicApi.claims.submit.mutate(sampleClaim());
  claimId = claim.claimId;
  const detail = await sys.clinicApi.claims.byId.query({ claimId });
  patientUrl = `${sys.clinicUrl}${detail.patientPath}`;
  dueAt = detail.deadline.dueAt;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

describe("the patient's page in Russian and English", () => {
  it("opens in Russian for a browser that prefers Russian, with no English left and the date in Russian", async () => {
    const page = await browser.newPage({ width: 375, height: 740, locale: "ru-RU" });
    await page.goto(patientUrl);
    await page.getByTestId("patient-status").getByText("Отправлено страховщику").waitFor();
    await page.getByText("Страница обновляется сама.").waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("ru");
    expect(await page.title()).toBe("Ваше обращение");

    const text = await visibleText(page);
    for (const english of fragments(en)) expect(text, english).not.toContain(english);
    const dueInRussian = new Intl.DateTimeFormat("ru-RU", {
      dateStyle: "long",
      timeZone: "UTC",
    }).format(new Date(dueAt));
    expect(await page.getByTestId("patient-deadline").textContent()).toContain(dueInRussian);
    expect(await page.getByTestId("patient-deadline").textContent()).toMatch(
      /через \d+ рабоч(ий день|их дня|их дней)/,
    );
    expect(browser.errors).toEqual([]);
  });

  it("switches to English and back without a reload, keeps the choice, and updates live in the language read", async () => {
    const page = await browser.newPage({ width: 375, height: 740, locale: "ru-RU" });
    await page.goto(patientUrl);
    await page.getByTestId("patient-status").getByText("Отправлено страховщику").waitFor();
    await page.getByText("Страница обновляется сама.").waitFor();
    await markDocument(page);

    await page.getByRole("button", { name: "English" }).click();
    await page.getByTestId("patient-status").getByText("Sent to your insurer").waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    const english = await visibleText(page);
    // No Russian UI text is left (the switch names Russian in Russian, as switches do).
    expect(english.replace("Русский", "")).not.toMatch(/[А-Яа-яЁё]/);
    for (const russian of fragments(ru)) expect(english, russian).not.toContain(russian);
    expect(await page.getByRole("button", { name: "English" }).getAttribute("aria-pressed")).toBe(
      "true",
    );

    // The choice outlives a reload, whatever the browser prefers.
    await page.reload();
    await page.getByTestId("patient-status").getByText("Sent to your insurer").waitFor();

    await page.getByRole("button", { name: "Русский" }).click();
    await page.getByText("Страница обновляется сама.").waitFor();
    await markDocument(page);
    await sys.staff.claims.decide.mutate({ claimId, to: "in_review" });
    await page.getByTestId("patient-status").getByText("На рассмотрении").waitFor();
    expect(await isSameDocument(page)).toBe(true);
    expect(browser.errors).toEqual([]);
  });

  it("opens in English for a browser that prefers English, with no Russian at all", async () => {
    const page = await browser.newPage({ width: 375, height: 740, locale: "en-US" });
    await page.goto(patientUrl);
    await page.getByTestId("patient-status").getByText("Being reviewed").waitFor();
    const text = await visibleText(page);
    expect(text.replace("Русский", "")).not.toMatch(/[А-Яа-яЁё]/);
    const dueInEnglish = new Intl.DateTimeFormat("en-GB", {
      dateStyle: "long",
      timeZone: "UTC",
    }).format(new Date(dueAt));
    expect(await page.getByTestId("patient-deadline").textContent()).toContain(dueInEnglish);
    expect(browser.errors).toEqual([]);
  });
});

describe("the clinic's staff pages in Russian", () => {
  it("shows the list, the form with its errors, and a new claim's page in Russian, with nothing left in English", async () => {
    const page = await browser.newPage({ locale: "ru-RU" });
    await page.goto(sys.clinicUrl);
    await page.getByRole("heading", { name: "Обращения" }).waitFor();
    await page.getByText("На связи").waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("ru");
    const englishPhrases = fragments(en, { phrases: true });
    const noEnglish = async (where: string) => {
      const text = await visibleText(page);
      for (const english of englishPhrases)
        expect(text, `${where}: ${english}`).not.toContain(english);
    };
    const row = page.getByTestId("claim-row").first();
    await row.waitFor();
    // Money in the Russian form: "185,00 €" (a narrow no-break space before the sign).
    expect((await row.textContent())?.replace(/\s/g, " ")).toMatch(/\d+,\d\d €/);
    await noEnglish("claims list");

    await page.getByRole("main").getByRole("link", { name: "Новое обращение" }).click();
    await page.getByRole("heading", { name: "Новое обращение" }).waitFor();
    await page.getByLabel("Номер в клинике").fill("INV-RU-0001");
    await page.getByLabel("Код пациента").fill("Иван Петров"); // a name, not a token
    await page.getByRole("button", { name: "Отправить обращение" }).click();
    await page
      .getByRole("alert")
      .getByText(/Исправьте \d+ пол/)
      .waitFor();
    expect(await page.getByText("Код пациента: нужен псевдоним пациента, а не имя").count()).toBe(
      1,
    );
    await noEnglish("form with errors");

    await page.getByLabel("Код пациента").fill("pat_7f3k2m9x");
    await page.getByLabel("Номер полиса").fill("POL-123456");
    await page.getByLabel("Код процедуры").fill("99213");
    await page.getByLabel("Цена за единицу (EUR)").fill("125,00");
    await page.getByLabel("Адрес электронной почты пациента").fill("ivan@example.org");
    await page.getByRole("button", { name: "Отправить обращение" }).click();
    await page.getByRole("heading", { name: "Обращение INV-RU-0001" }).waitFor();
    await page.getByText("Страница статуса для пациента").waitFor();
    expect(await page.getByTestId("decision-deadline").textContent()).toMatch(
      /осталось? \d+ рабоч(ий день|их дня|их дней)/,
    );
    await noEnglish("claim page");

    // The switch turns the same page English, without a reload.
    await markDocument(page);
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Claim INV-RU-0001" }).waitFor();
    expect(await isSameDocument(page)).toBe(true);
    expect(browser.errors).toEqual([]);
  });
});
