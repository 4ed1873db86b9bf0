import { useTranslation } from "react-i18next";
import { LANGUAGES } from "./catalogue.ts";
import { chooseLanguage } from "./i18n.ts";

/** Buttons to read the app in another language; the current one is marked pressed. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <fieldset className="language-switch">
      <legend className="visually-hidden">{t("language.label")}</legend>
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          className="button-secondary"
          aria-pressed={i18n.language === language}
          onClick={() => chooseLanguage(i18n, language)}
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </fieldset>
  );
}
