import { WebhookVerificationError } from "../webhook-verification-error.ts";

/**
 * What a verification came to, for tests: "accepted", or the rejection's reason
 * (e.g. "invalid_signature"). Any other error is rethrown.
 */
export function verificationOutcome(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
  return "accepted";
}
