import { type InsurerApiError, isInsurerApiError } from "../insurer-api-error.ts";
import { createInsurerClient, type InsurerClient } from "../insurer-client.ts";
import { CliError } from "./cli-error.ts";

/**
 * The insurer API for following the feed: one HTTP request per call (`batch: false`), as
 * docs/event-feed.md asks of `events.wait`.
 */
export function createFeedClient(insurerUrl: string, apiKey: string): InsurerClient {
  return createInsurerClient({ baseUrl: insurerUrl, apiKey, batch: false });
}

/**
 * Whether a failed call is worth trying again later with the same input: the insurer
 * did not answer (down, restarting, network gone), answered with a server-side error or
 * a gateway's, or asked to slow down. Refusals (key, input, not found) are final.
 */
export function isTransientFailure(error: unknown): boolean {
  if (!isInsurerApiError(error)) return false;
  const status = error.data?.httpStatus;
  return status === undefined || status === 429 || status >= 500;
}

/**
 * Turns a final API refusal into the CLI's error. Never names the key itself.
 */
export function apiFailure(error: unknown, insurerUrl: string): CliError {
  if (!isInsurerApiError(error)) return new CliError(String(error));
  const code = (error as InsurerApiError).data?.code;
  if (code === "UNAUTHORIZED") {
    return new CliError(
      `The insurer at ${insurerUrl} refused the API key (UNAUTHORIZED): check --api-key`,
    );
  }
  if (code === undefined) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return new CliError(`Could not reach the insurer at ${insurerUrl}: ${causeText(error, cause)}`);
  }
  return new CliError(`The insurer refused the request (${code}): ${error.message}`);
}

/** The innermost reason of a failed fetch ("connect ECONNREFUSED 127.0.0.1:4000"). */
function causeText(error: InsurerApiError, fallback: string): string {
  let cause: unknown = error.cause;
  let text = fallback;
  while (cause instanceof Error) {
    text = cause.message;
    cause = cause.cause;
  }
  return text;
}
