// The English catalogue: the source of every key. ru.ts must have the same keys (checked by
// its type and by catalogues.test.ts); plurals use i18next's suffixes (_one, _other; Russian
// adds _few and _many), chosen by Intl.PluralRules.
export const en = {
  language: { label: "Language", en: "English", ru: "Русский" },
  status: {
    submitted: "Sent to your insurer",
    in_review: "Being reviewed",
    needs_info: "More information requested",
    approved: "Approved",
    partially_approved: "Partly approved",
    rejected: "Not approved",
    paid: "Paid",
    withdrawn: "Withdrawn",
  },
  explanation: {
    submitted: "Your clinic sent this claim to your insurer, who will now look at it.",
    in_review: "Your insurer is reviewing this claim.",
    needs_info:
      "Your insurer asked your clinic for more information. Your clinic is taking care of it and will contact you if needed.",
    approved: "Your insurer approved this claim. Payment will follow.",
    partially_approved:
      "Your insurer approved part of this claim. Your clinic will explain the rest.",
    rejected: "Your insurer did not approve this claim. Your clinic will contact you.",
    paid: "Your insurer has paid this claim.",
    withdrawn: "Your clinic withdrew this claim; nothing will be paid for it.",
  },
  patient: {
    title: "Your claim",
    loading: "Loading your claim…",
    invalidLink: "This link is not valid. Please check it, or ask your clinic for a new one.",
    loadFailed: "We could not load your claim just now. Please try again later.",
    claim: "Claim {{reference}}",
    dueBy: "Your insurer is due to decide by <strong>{{date}}</strong>.",
    dueByWithDays_one:
      "Your insurer is due to decide by <strong>{{date}}</strong> ({{count}} working day from now).",
    dueByWithDays_other:
      "Your insurer is due to decide by <strong>{{date}}</strong> ({{count}} working days from now).",
    history: "What has happened so far",
    lastUpdated: "Last updated {{date}}. Questions? Please contact your clinic.",
    live: "This page updates by itself.",
    polling: "This page checks for news every minute.",
  },
} as const;
