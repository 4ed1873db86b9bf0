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
