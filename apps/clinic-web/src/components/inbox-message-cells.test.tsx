import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import type { Language } from "../i18n/catalogue.ts";
import { createI18n } from "../i18n/i18n.ts";
import { MessageOutcome } from "./inbox-message-cells.tsx";

const textOf = (element: React.ReactElement, language: Language = "en") =>
  renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(language)}>{element}</I18nextProvider>,
  ).replace(/<[^>]+>/g, "");

describe("MessageOutcome", () => {
  it("reads the state as staff do on both the inbox and the claim page, with attempts, error and note", () => {
    expect(
      textOf(
        <MessageOutcome
          message={{ state: "failed", attempts: 2, error: "boom", note: "kept for operators" }}
        />,
      ),
    ).toBe("Refused (2 failed attempts) — boom — kept for operators");
    expect(
      textOf(
        <MessageOutcome message={{ state: "applied", attempts: 0, error: null, note: null }} />,
      ),
    ).toBe("Applied");
    expect(
      textOf(
        <MessageOutcome message={{ state: "failed", attempts: 2, error: "boom", note: null }} />,
        "ru",
      ),
    ).toBe("Отклонено (2 неудачные попытки) — boom");
  });
});
