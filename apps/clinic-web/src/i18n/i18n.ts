import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { LANGUAGES, type Language } from "./catalogue.ts";
import { en } from "./en.ts";
import { ru } from "./ru.ts";

const STORAGE_KEY = "claimwire.language";

function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

/**
 * The language to start in: the one chosen with the switch before (kept in this browser),
 * else the first of the browser's languages we have ("ru-RU" → "ru"), else English.
 */
export function detectLanguage(
  preferred: readonly string[] = typeof navigator === "undefined" ? [] : navigator.languages,
  stored: string | null = readStored(),
): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

function readStored(): string | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage refused (private mode): the browser's language decides
  }
}

/** Switches the language, keeps the choice in this browser, and tells the document. */
export function chooseLanguage(instance: i18n, language: Language) {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not kept; the switch still works for this visit.
  }
  void instance.changeLanguage(language);
}

/** A ready i18next for the app (synchronous: the catalogues are bundled). */
export function createI18n(language: Language = detectLanguage()): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    resources: { en: { translation: en }, ru: { translation: ru } },
    initAsync: false,
    // React escapes what it renders; the few strings with markup go through <Trans>.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const setDocumentLanguage = (lng: string) => {
    if (typeof document !== "undefined") document.documentElement.lang = lng;
  };
  setDocumentLanguage(language);
  instance.on("languageChanged", setDocumentLanguage);
  return instance;
}

/** The Intl locale for a language: dates, money and numbers in its usual form. */
export function intlLocale(language: string): string {
  return language === "ru" ? "ru-RU" : "en-GB";
}
