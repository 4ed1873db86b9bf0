import { z } from "zod";

/** Where variables come from: `process.env` in `main.ts`, a plain object in tests. */
export type EnvSource = Record<string, string | undefined>;

/**
 * Validates a process's environment against its zod schema, the one way every app does:
 * on failure it throws `Invalid <app> environment:` followed by zod's prettified error,
 * which names each bad variable and what is wrong with it.
 *
 * @example
 * ```ts
 * const env = parseEnv(EnvSchema, process.env, "insurer");
 * // Error: Invalid insurer environment:
 * // ✖ Invalid input: expected number, received NaN
 * //   → at INSURER_PORT
 * ```
 */
export function parseEnv<Schema extends z.ZodType>(
  schema: Schema,
  source: EnvSource,
  appName: string,
): z.output<Schema> {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new Error(`Invalid ${appName} environment:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
