const DAY_MS = 24 * 60 * 60 * 1000;

/** A `datetime-local` value (local wall time, to the minute) for an instant. */
export function toLocalInput(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}`;
}

/** The recovery form's default start: 24 hours before `now`. */
export function defaultSince(now: number): string {
  return toLocalInput(now - DAY_MS);
}

/** The range as `endpoints.recover` takes it: UTC instants; no `until` means now. */
export type RecoverRange = { since: string; until?: string };

/**
 * The range typed in the recovery form (`datetime-local` values, the user's local time)
 * as UTC instants, or what is wrong with it, naming the field as the form labels it.
 */
export function parseRecoverRange(
  since: string,
  until: string,
): { ok: true; range: RecoverRange } | { ok: false; error: string } {
  const from = parseLocal(since);
  if (from === null) return { ok: false, error: "From must be a date and time." };
  if (until.trim() === "") return { ok: true, range: { since: from.toISOString() } };
  const to = parseLocal(until);
  if (to === null) {
    return { ok: false, error: "Until must be a date and time, or empty for now." };
  }
  if (to <= from) return { ok: false, error: "Until must be later than From." };
  return { ok: true, range: { since: from.toISOString(), until: to.toISOString() } };
}

/** A `datetime-local` value ("2026-11-30T09:00"), read in the local time zone. */
function parseLocal(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value.trim())) return null;
  const date = new Date(value.trim());
  return Number.isNaN(date.getTime()) ? null : date;
}
