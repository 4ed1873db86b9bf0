/** All times are UTC (the house rule): "2026-11-30 09:10 UTC". */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return "—";
  return `${iso.replace("T", " ").slice(0, 16)} UTC`;
}

/** A date for a patient: "30 November 2026". */
export function formatLongDate(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(iso),
  );
}

/** "in_review" → "in review". */
export function statusLabel(status: string): string {
  return status.replaceAll("_", " ");
}

/** "12 business days left", "due today", "overdue by 3 business days", or "decided". */
export function timeLeftLabel(businessDaysLeft: number | null): string {
  if (businessDaysLeft === null) return "no longer running";
  const days = (n: number) => `${n} business day${n === 1 ? "" : "s"}`;
  if (businessDaysLeft < 0) return `overdue by ${days(-businessDaysLeft)}`;
  if (businessDaysLeft === 0) return "due today";
  return `${days(businessDaysLeft)} left`;
}

/** "Last reconciled: 2026-11-30 09:00 UTC (3 events applied)", as the clinic words it too. */
export function reconciliationLine(state: {
  lastRunAt: string | null;
  lastRunNew: number;
  lastRunError: string | null;
  lastSuccessAt: string | null;
}): { text: string; failed: string | null } {
  if (state.lastRunAt === null) return { text: "Last reconciled: never", failed: null };
  const applied = `${state.lastRunNew} event${state.lastRunNew === 1 ? "" : "s"} applied`;
  if (state.lastRunError === null) {
    return { text: `Last reconciled: ${formatUtc(state.lastRunAt)} (${applied})`, failed: null };
  }
  const lastGood = state.lastSuccessAt ? formatUtc(state.lastSuccessAt) : "never";
  return {
    text: `Last reconciled: ${lastGood}`,
    failed: `The latest attempt, ${formatUtc(state.lastRunAt)}, failed: ${state.lastRunError}`,
  };
}
