/** How many minor-unit digits a currency has (EUR 2, JPY 0); 2 for a code Intl does not know. */
export function minorUnitDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits as number;
  } catch {
    return 2;
  }
}

/**
 * Formats an amount in minor units for people: `formatMoney(18_500, "EUR")` → "€185.00".
 *
 * @example
 * formatMoney(1_250, "EUR"); // "€12.50"
 */
export function formatMoney(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const major = amount / 10 ** digits;
  try {
    return new Intl.NumberFormat("en-IE", { style: "currency", currency }).format(major);
  } catch {
    return `${major.toFixed(digits)} ${currency}`;
  }
}

/**
 * Converts an amount typed by a person ("12.50", "12,5", "1200") into minor units, or
 * returns `null` when it is not a plain non-negative amount with at most the currency's
 * decimals. Done on the digits, never through floating point.
 *
 * @example
 * toMinorUnits("12.50", "EUR"); // 1250
 */
export function toMinorUnits(text: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const match = /^(\d{1,12})(?:[.,](\d*))?$/.exec(text.trim());
  if (!match) return null;
  const [, whole = "0", fraction = ""] = match;
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}
