import type { PatientLanguage } from "@claimwire/clinic-db";
import type { ClaimStatus } from "@claimwire/contracts";

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

type Wording = { subject: (ref: string) => string; lines: readonly string[] };

const WORDING: Record<PatientLanguage, Record<PatientEmailStatus, Wording>> = {
  en: {
    submitted: {
      subject: (ref) => `Your claim ${ref} was sent to your insurer`,
      lines: ["Your clinic sent your claim to your insurer, who will now look at it."],
    },
    needs_info: {
      subject: (ref) => `Your insurer asked about claim ${ref}`,
      lines: [
        "Your insurer asked your clinic for more information.",
        "Your clinic is taking care of it and will contact you if needed.",
      ],
    },
    approved: {
      subject: (ref) => `Claim ${ref} approved`,
      lines: ["Your insurer approved your claim. Payment will follow."],
    },
    partially_approved: {
      subject: (ref) => `Claim ${ref} partly approved`,
      lines: ["Your insurer approved part of your claim. Your clinic will explain the rest."],
    },
    rejected: {
      subject: (ref) => `Claim ${ref} not approved`,
      lines: ["Your insurer did not approve your claim. Your clinic will contact you."],
    },
    paid: {
      subject: (ref) => `Claim ${ref} paid`,
      lines: ["Your insurer has paid your claim."],
    },
  },
  ru: {
    submitted: {
      subject: (ref) => `Ваше обращение ${ref} отправлено страховщику`,
      lines: ["Клиника отправила ваше обращение страховщику, и он его рассмотрит."],
    },
    needs_info: {
      subject: (ref) => `Страховщик запросил сведения по обращению ${ref}`,
      lines: [
        "Страховщик запросил у клиники дополнительные сведения.",
        "Клиника этим занимается и свяжется с вами, если понадобится.",
      ],
    },
    approved: {
      subject: (ref) => `Обращение ${ref} одобрено`,
      lines: ["Страховщик одобрил ваше обращение. Оплата последует."],
    },
    partially_approved: {
      subject: (ref) => `Обращение ${ref} одобрено частично`,
      lines: ["Страховщик одобрил часть обращения. Остальное вам объяснит клиника."],
    },
    rejected: {
      subject: (ref) => `Обращение ${ref} не одобрено`,
      lines: ["Страховщик не одобрил ваше обращение. Клиника свяжется с вами."],
    },
    paid: {
      subject: (ref) => `Обращение ${ref} оплачено`,
      lines: ["Страховщик оплатил ваше обращение."],
    },
  },
};

const LINK_LINE: Record<PatientLanguage, string> = {
  en: "See your claim's status at any time:",
  ru: "Статус обращения всегда можно посмотреть здесь:",
};

const FOOTER: Record<PatientLanguage, string> = {
  en: "This message was sent automatically by your clinic. Please do not reply to it.",
  ru: "Это письмо отправлено клиникой автоматически. Пожалуйста, не отвечайте на него.",
};

/**
 * The e-mail a patient gets about one status change. It names the claim by the clinic's
 * reference and links to the patient page; like that page, it carries no amount, reason,
 * diagnosis, policy number or insurer id (docs/clinic-app.md, "E-mail to the patient").
 */
export function patientEmail({ status, clinicReference, link, language }: PatientEmailInput): {
  subject: string;
  text: string;
} {
  const wording = WORDING[language][status];
  return {
    subject: wording.subject(clinicReference),
    text: [...wording.lines, "", LINK_LINE[language], link, "", FOOTER[language], ""].join("\n"),
  };
}
