/**
 * Business-day arithmetic lives here and nowhere else. All time is UTC; a business day
 * is Monday to Friday. (Public holidays differ per insurer and country; pass them in
 * when that matters — none are assumed.)
 */
export const DECISION_DEADLINE_BUSINESS_DAYS = 20;

const DAY_MS = 86_400_000;

function isBusinessDay(date: Date, holidays: ReadonlySet<string>): boolean {
  const weekday = date.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  // Only with holidays to check: the date string is most of the cost of a call otherwise
  // (a decision deadline looks at 28 days on every claim submitted).
  return holidays.size === 0 || !holidays.has(date.toISOString().slice(0, 10));
}

/** The instant `days` business days after `from`, at the same UTC time of day. */
export function addBusinessDays(
  from: Date,
  days: number,
  holidays: ReadonlySet<string> = new Set(),
): Date {
  let at = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    at = new Date(at.getTime() + DAY_MS);
    if (isBusinessDay(at, holidays)) left--;
  }
  return at;
}

/** The decision deadline for a claim submitted at `submittedAt`. */
export function decisionDeadline(submittedAt: Date): Date {
  return addBusinessDays(submittedAt, DECISION_DEADLINE_BUSINESS_DAYS);
}

/**
 * Whole business days from `from` until `to` (negative once `to` has passed): what the
 * clinic shows as "time left".
 */
export function businessDaysBetween(
  from: Date,
  to: Date,
  holidays: ReadonlySet<string> = new Set(),
): number {
  const sign = to >= from ? 1 : -1;
  const [start, end] = sign > 0 ? [from, to] : [to, from];
  let count = 0;
  let at = new Date(start.getTime());
  while (at.getTime() + DAY_MS <= end.getTime()) {
    at = new Date(at.getTime() + DAY_MS);
    if (isBusinessDay(at, holidays)) count++;
  }
  return sign * count;
}
