import {
  businessDaysBetween,
  type ClaimStatus,
  formatMoney as formatAmount,
  minorUnitDigits,
} from "@claimwire/contracts";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : "—";
}

/**
 * Amounts in the browser's locale, or in `locale` (contracts/src/money.ts: integers in
 * minor units).
 */
export function formatMoney(
  { amount, currency }: { amount: number; currency: string },
  locale?: string,
): string {
  return formatAmount(amount, currency, locale);
}

/** An amount typed in major units ("12.50") as minor units for the API. */
export function toMinorUnits(major: string, currency: string): number {
  return Math.round(Number(major) * 10 ** minorUnitDigits(currency));
}

/** The input step for an amount in major units: 0.01 for EUR, 1 for JPY. */
export function amountStep(currency: string): string {
  return String(10 ** -minorUnitDigits(currency));
}

/**
 * An endpoint's payload filter as people read JSON: two-space indents, keys in the order
 * the clinic wrote them (docs/api.md#payload-filters).
 */
export function formatPayloadFilter(filter: Record<string, unknown>): string {
  return JSON.stringify(filter, null, 2);
}

export function formatPercent(ratio: number | null): string {
  return ratio === null ? "—" : `${(ratio * 100).toFixed(ratio === 1 || ratio === 0 ? 0 : 1)} %`;
}

/** "1 endpoint", "3 endpoints", "1 delivery", "2 deliveries": a count and its noun. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

const UNITS: readonly [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["min", 60_000],
];

/** "3 d 4 h", "12 min", "< 1 min": the two largest units of a duration. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.abs(ms);
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0 || parts.length > 0) parts.push(`${count} ${unit}`);
    rest -= count * size;
    if (parts.length === 2) break;
  }
  return parts.length === 0 ? "< 1 min" : parts.filter((p) => !p.startsWith("0 ")).join(" ");
}

/**
 * Time left until a decision deadline, in the business days the deadline is set in (as
 * the clinic shows it) and in clock time: "19 business days left (26 d 23 h)", or
 * "overdue by 1 business day (1 d 5 h)".
 */
export function timeLeft(deadlineIso: string, now: number): { text: string; overdue: boolean } {
  const deadline = new Date(deadlineIso);
  const ms = deadline.getTime() - now;
  const days = plural(Math.abs(businessDaysBetween(new Date(now), deadline)), "business day");
  return ms >= 0
    ? { text: `${days} left (${formatDuration(ms)})`, overdue: false }
    : { text: `overdue by ${days} (${formatDuration(ms)})`, overdue: true };
}

const STATUS_LABELS: Record<ClaimStatus, string> = {
  submitted: "Submitted",
  in_review: "In review",
  needs_info: "Needs info",
  approved: "Approved",
  partially_approved: "Partially approved",
  rejected: "Rejected",
  paid: "Paid",
  withdrawn: "Withdrawn",
};

export function claimStatusLabel(status: ClaimStatus): string {
  return STATUS_LABELS[status];
}

/**
 * "HTTP 500: read-only", "connection refused", "HTTP 404": a failure's status code and
 * message, without saying the status twice when the message already starts with it.
 */
export function describeFailure(statusCode: number | null, message: string | null): string {
  const status = statusCode === null ? null : `HTTP ${statusCode}`;
  if (!message) return status ?? "—";
  if (status === null || message.startsWith(status)) return message;
  return `${status}: ${message}`;
}
