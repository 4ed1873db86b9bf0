/**
 * Reads a `Retry-After` value (RFC 9110 §10.2.3) as milliseconds from `nowMs`: either
 * delta-seconds (`120`) or an HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`; a date in the
 * past means 0). Returns null for anything else. Not clamped: the insurer, which owns the
 * retry schedule, decides how much of it to honour.
 *
 * @example
 * parseRetryAfter("120", Date.now()); // 120000
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, Number.MAX_SAFE_INTEGER);
  // All three HTTP-date forms (IMF-fixdate, RFC 850, asctime) start with a day name;
  // requiring it keeps Date.parse from reading "1.5" or "soon-ish" as some date.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.round(at - nowMs));
}
