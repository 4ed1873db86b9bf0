import type { PatientLanguage } from "@claimwire/clinic-db";

// The patient e-mails' words, one catalogue per language (read by i18next in
// patient-email.ts). Russian's type requires every English key.
const en = {
  subject: {
    submitted: "Your claim {{reference}} was sent to your insurer",
    needs_info: "Your insurer asked about claim {{reference}}",
    approved: "Claim {{reference}} approved",
    partially_approved: "Claim {{reference}} partly approved",
    rejected: "Claim {{reference}} not approved",
    paid: "Claim {{reference}} paid",
  },
  body: {
    submitted: "Your clinic sent your claim to your insurer, who will now look at it.",
    needs_info:
      "Your insurer asked your clinic for more information.\nYour clinic is taking care of it and will contact you if needed.",
    approved: "Your insurer approved your claim. Payment will follow.",
    partially_approved:
      "Your insurer approved part of your claim. Your clinic will explain the rest.",
    rejected: "Your insurer did not approve your claim. Your clinic will contact you.",
    paid: "Your insurer has paid your claim.",
  },
  link: "See your claim's status at any time:",
  footer: "This message was sent automatically by your clinic. Please do not reply to it.",
} as const;

type EmailCatalogue = {
  [Key in keyof typeof en]: (typeof en)[Key] extends string
    ? string
    : { [Inner in keyof (typeof en)[Key]]: string };
};

const ru = {
  subject: {
    submitted: "Ваше обращение {{reference}} отправлено страховщику",
    needs_info: "Страховщик запросил сведения по обращению {{reference}}",
    approved: "Обращение {{reference}} одобрено",
    partially_approved: "Обращение {{reference}} одобрено частично",
    rejected: "Обращение {{reference}} не одобрено",
    paid: "Обращение {{reference}} оплачено",
  },
  body: {
    submitted: "Клиника отправила ваше обращение страховщику, и он его рассмотрит.",
    needs_info:
      "Страховщик запросил у клиники дополнительные сведения.\nКлиника этим занимается и свяжется с вами, если понадобится.",
    approved: "Страховщик одобрил ваше обращение. Оплата последует.",
    partially_approved: "Страховщик одобрил часть обращения. Остальное вам объяснит клиника.",
    rejected: "Страховщик не одобрил ваше обращение. Клиника свяжется с вами.",
    paid: "Страховщик оплатил ваше обращение.",
  },
  link: "Статус обращения всегда можно посмотреть здесь:",
  footer: "Это письмо отправлено клиникой автоматически. Пожалуйста, не отвечайте на него.",
} satisfies EmailCatalogue;

export const EMAIL_CATALOGUES: Record<PatientLanguage, EmailCatalogue> = { en, ru };
