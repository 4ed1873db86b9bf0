import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { useTitle } from "../lib/use-title.ts";

export function NotFoundPage() {
  const { t } = useTranslation();
  useTitle(t("notFound.title"));
  return (
    <>
      <h1>{t("notFound.heading")}</h1>
      <p>
        {t("notFound.text")} <Link href="/">{t("notFound.link")}</Link>
      </p>
    </>
  );
}
