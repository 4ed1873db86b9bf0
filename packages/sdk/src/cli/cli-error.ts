/**
 * A failure the CLI reports as one line on stderr and an exit code, without a stack:
 * 2 for bad usage (a flag, a URL, a filter), 1 for everything else (the key refused, an
 * event not found, the insurer unreachable). Its message never holds the API key.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** Bad command-line input: exit code 2. */
export const usageError = (message: string) => new CliError(message, 2);
