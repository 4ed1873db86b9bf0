import { describe, expect, it } from "vitest";
import { en } from "./en.ts";
import { detectLanguage } from "./i18n.ts";
import { ru } from "./ru.ts";

type Flat = Record<string, string>;
function flatten(catalogue: object, prefix = ""): Flat {
  const out: Flat = {};
  for (const [key, value] of Object.entries(catalogue)) {
    if (typeof value === "string") out[`${prefix}${key}`] = value;
    else Object.assign(out, flatten(value as object, `${prefix}${key}.`));
  }
  return out;
}
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, "");
const variables = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

const english = flatten(en);
const russian = flatten(ru);

describe("the catalogues", () => {
  it("have the same keys in both languages (plural forms aside)", () => {
    expect([...new Set(Object.keys(russian).map(base))].sort()).toEqual(
      [...new Set(Object.keys(english).map(base))].sort(),
    );
  });

  it("give Russian every plural form it needs", () => {
    for (const key of Object.keys(english).filter((k) => k.endsWith("_one"))) {
      for (const form of ["one", "few", "many", "other"]) {
        expect(russian, key).toHaveProperty([`${base(key)}_${form}`]);
      }
    }
  });

  it("use the same placeholders and markup in both languages", () => {
    for (const [key, text] of Object.entries(russian)) {
      const englishText = english[key] ?? english[`${base(key)}_other`] ?? "";
      expect(variables(text), key).toEqual(variables(englishText));
      expect(text.match(/<\/?\w+>/g), key).toEqual(englishText.match(/<\/?\w+>/g));
    }
  });

  it("leave no English text in the Russian catalogue", () => {
    for (const [key, text] of Object.entries(russian)) {
      if (key === "language.en") continue; // a language's own name, on the switch
      const words = text.replace(/\{\{\w+\}\}/g, "").replace(/<\/?\w+>/g, "");
      expect(words, key).not.toMatch(/[A-Za-z]/);
    }
  });
});

describe("detectLanguage", () => {
  it("takes the choice made with the switch first, then the browser's languages, then English", () => {
    expect(detectLanguage(["ru-RU", "en"], "en")).toBe("en");
    expect(detectLanguage(["de-DE", "ru-RU", "en"], null)).toBe("ru");
    expect(detectLanguage(["en-US"], null)).toBe("en");
    expect(detectLanguage(["de", "fr"], null)).toBe("en");
    expect(detectLanguage([], "xx")).toBe("en");
  });
});
