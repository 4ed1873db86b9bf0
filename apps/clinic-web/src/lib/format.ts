import { minorUnitDigits } from "@claimwire/contracts";
import type { TFunction } from "i18next";
import { createI18n, intlLocale } from "../i18n/i18n.ts";

// The words come from the catalogues; callers pass their `t` (useTranslation). Without one,
// English, as the unit tests read it.
const english = createI18n("en").t;

/** All times are UTC (the house rule): "2026-11-30 09:10 UTC". */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return "—";
  return `${iso.replace("T", " ").slice(0, 16)} UTC`;
}

/** A date for a patient: "30 November 2026", "30 ноября 2026 г.". */
export function formatLongDate(iso: string, language = "en"): string {
  return new Intl.DateTimeFormat(intlLocale(language), {
    dateStyle: "long",
    timeZone: "UTC",
  }).format(new Date(iso));
}

/** An amount in minor units in the language's form: "€185.00", "185,00 €". */
export function formatAmount(amount: number, currency: string, language = "en"): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(intlLocale(language), {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
}

/** "in_review" → "in review" (in the reader's language); a status we do not know as it is. */
export function statusLabel(status: string, t: TFunction = english): string {
  return t(`statusLabel.${status}`, { defaultValue: status.replaceAll("_", " ") });
}

/** "12 business days left", "due today", "overdue by 3 business days", or "decided". */
export function timeLeftLabel(businessDaysLeft: number | null, t: TFunction = english): string {
  if (businessDaysLeft === null) return t("timeLeft.stopped");
  if (businessDaysLeft < 0) return t("timeLeft.overdue", { count: -businessDaysLeft });
  if (businessDaysLeft === 0) return t("timeLeft.dueToday");
  return t("timeLeft.left", { count: businessDaysLeft });
}

/** "Last reconciled: 2026-11-30 09:00 UTC (3 events applied)", as the clinic words it too. */
export function reconciliationLine(
  state: {
    lastRunAt: string | null;
    lastRunNew: number;
    lastRunError: string | null;
    lastSuccessAt: string | null;
  },
  t: TFunction = english,
): { text: string; failed: string | null } {
  if (state.lastRunAt === null) return { text: t("reconciliation.never"), failed: null };
  if (state.lastRunError === null) {
    return {
      text: t("reconciliation.ran", { at: formatUtc(state.lastRunAt), count: state.lastRunNew }),
      failed: null,
    };
  }
  return {
    text: state.lastSuccessAt
      ? t("reconciliation.lastGood", { at: formatUtc(state.lastSuccessAt) })
      : t("reconciliation.never"),
    failed: t("reconciliation.failed", {
      at: formatUtc(state.lastRunAt),
      error: state.lastRunError,
    }),
  };
}
