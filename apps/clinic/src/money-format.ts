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
