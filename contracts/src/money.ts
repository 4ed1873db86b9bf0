import { z } from "zod";

/** ISO 4217 code. Amounts are integers in the currency's minor unit (cents), never floats. */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code like 'EUR'");

export const MinorUnitsSchema = z
  .number()
  .int("must be a whole number of minor units (e.g. cents)")
  .nonnegative()
  .max(1_000_000_000_00, "is larger than any claim we accept");

export const MoneySchema = z.object({
  amount: MinorUnitsSchema,
  currency: CurrencySchema,
});
export type Money = z.infer<typeof MoneySchema>;

/**
 * Building an Intl.NumberFormat costs far more than formatting with one (the clinic made
 * two for every webhook it applied, 5% of its CPU): one per locale and currency, kept.
 * Null: the runtime does not know the currency.
 */
const formats = new Map<string, Intl.NumberFormat | null>();
function currencyFormat(locale: string | undefined, currency: string): Intl.NumberFormat | null {
  const key = `${locale ?? ""} ${currency}`;
  let format = formats.get(key);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(locale, { style: "currency", currency });
    } catch {
      format = null;
    }
    formats.set(key, format);
  }
  return format;
}

/** How many minor-unit digits a currency has (EUR 2, JPY 0); 2 for a code Intl does not know. */
export function minorUnitDigits(currency: string): number {
  const format = currencyFormat("en", currency);
  return format ? (format.resolvedOptions().maximumFractionDigits as number) : 2;
}

/**
 * Formats an amount in minor units for people: by default in the same words in the
 * clinic's patient notices and its web app (`en-IE`); `locale: undefined` uses the
 * runtime's own (the insurer console follows the browser).
 *
 * @example
 * formatMoney(18_500, "EUR"); // "€185.00"
 * formatMoney(1_200, "JPY"); // "JP¥1,200"
 */
export function formatMoney(
  amount: number,
  currency: string,
  locale: string | undefined = "en-IE",
): string {
  const digits = minorUnitDigits(currency);
  const major = amount / 10 ** digits;
  const format = currencyFormat(locale, currency);
  return format ? format.format(major) : `${major.toFixed(digits)} ${currency}`;
}
