import type { Catalogue } from "./catalogue.ts";

// The Russian catalogue: every key of en.ts (its type says so), with Russian plural forms.
export const ru = {
  language: { label: "Язык", en: "English", ru: "Русский" },
  status: {
    submitted: "Отправлено страховщику",
    in_review: "На рассмотрении",
    needs_info: "Запрошены сведения",
    approved: "Одобрено",
    partially_approved: "Одобрено частично",
    rejected: "Не одобрено",
    paid: "Оплачено",
    withdrawn: "Отозвано",
  },
  explanation: {
    submitted: "Клиника отправила это обращение страховщику, и он его рассмотрит.",
    in_review: "Страховщик рассматривает это обращение.",
    needs_info:
      "Страховщик запросил у клиники дополнительные сведения. Клиника этим занимается и свяжется с вами, если понадобится.",
    approved: "Страховщик одобрил это обращение. Оплата последует.",
    partially_approved: "Страховщик одобрил часть обращения. Остальное вам объяснит клиника.",
    rejected: "Страховщик не одобрил это обращение. Клиника свяжется с вами.",
    paid: "Страховщик оплатил это обращение.",
    withdrawn: "Клиника отозвала это обращение; оплаты по нему не будет.",
  },
  patient: {
    title: "Ваше обращение",
    loading: "Загружаем ваше обращение…",
    invalidLink: "Эта ссылка недействительна. Проверьте её или попросите в клинике новую.",
    loadFailed: "Сейчас не удалось загрузить обращение. Попробуйте позже.",
    claim: "Обращение {{reference}}",
    dueBy: "Страховщик должен принять решение до <strong>{{date}}</strong>.",
    dueByWithDays_one:
      "Страховщик должен принять решение до <strong>{{date}}</strong> (через {{count}} рабочий день).",
    dueByWithDays_few:
      "Страховщик должен принять решение до <strong>{{date}}</strong> (через {{count}} рабочих дня).",
    dueByWithDays_many:
      "Страховщик должен принять решение до <strong>{{date}}</strong> (через {{count}} рабочих дней).",
    dueByWithDays_other:
      "Страховщик должен принять решение до <strong>{{date}}</strong> (через {{count}} рабочего дня).",
    history: "Что уже произошло",
    lastUpdated: "Обновлено {{date}}. Вопросы? Обратитесь в клинику.",
    live: "Страница обновляется сама.",
    polling: "Страница проверяет новости раз в минуту.",
  },
} satisfies Catalogue;
