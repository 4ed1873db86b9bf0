import type { PatientLanguage } from "@claimwire/clinic-db";
import type { ClaimStatus } from "@claimwire/contracts";
import i18next from "i18next";
import { EMAIL_CATALOGUES } from "./email-catalogues.ts";

/**
 * The statuses a patient is e-mailed about: the ones that ask something of them or tell
 * them an outcome. "in_review" and "withdrawn" show on the page only.
 */
export const PATIENT_EMAIL_STATUSES = [
  "submitted",
  "needs_info",
  "approved",
  "partially_approved",
  "rejected",
  "paid",
] as const satisfies readonly ClaimStatus[];
export type PatientEmailStatus = (typeof PATIENT_EMAIL_STATUSES)[number];

export function isPatientEmailStatus(status: string): status is PatientEmailStatus {
  return (PATIENT_EMAIL_STATUSES as readonly string[]).includes(status);
}

export type PatientEmailInput = {
  status: PatientEmailStatus;
  /** The clinic's reference, which the patient page shows too. */
  clinicReference: string;
  /** The patient page: `<base>/p/<token>`. */
  link: string;
  language: PatientLanguage;
};

// Synchronous: the catalogues are in the bundle. Values are plain text (no HTML e-mail),
// so nothing is escaped.
const i18n = i18next.createInstance();
void i18n.init({
  resources: Object.fromEntries(
    Object.entries(EMAIL_CATALOGUES).map(([language, words]) => [language, { translation: words }]),
  ),
  lng: "en",
  fallbackLng: false,
  initAsync: false,
  interpolation: { escapeValue: false },
});

/**
 * The e-mail a patient gets about one status change. It names the claim by the clinic's
 * reference and links to the patient page; like that page, it carries no amount, reason,
 * diagnosis, policy number or insurer id (docs/clinic-app.md, "E-mail to the patient").
 */
export function patientEmail({ status, clinicReference, link, language }: PatientEmailInput): {
  subject: string;
  text: string;
} {
  const t = i18n.getFixedT(language);
  return {
    subject: t(`subject.${status}`, { reference: clinicReference }),
    text: [t(`body.${status}`), "", t("link"), link, "", t("footer"), ""].join("\n"),
  };
}
