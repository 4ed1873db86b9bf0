import { isTRPCClientError } from "@claimwire/sdk";
import { TRPCError } from "@trpc/server";
import { FieldError, type FieldErrors } from "./field-errors.ts";

/**
 * The insurer's refusal of a submission as the clinic's own error: what the person at the
 * form can act on, by field where the insurer names one ("serviceLines.0.code: must be …").
 * Anything that is not an insurer API error is rethrown (an internal error).
 */
export function submitErrorFrom(error: unknown): TRPCError {
  if (!isTRPCClientError(error)) throw error;
  const code = error.data?.code;
  if (code === undefined) {
    return new TRPCError({
      code: "BAD_GATEWAY",
      message: "The insurer could not be reached. Please try again shortly.",
    });
  }
  if (code === "UNAUTHORIZED" || code === "FORBIDDEN") {
    return new TRPCError({
      code: "BAD_GATEWAY",
      message: "The insurer refused this clinic's API key (CLINIC_API_KEY).",
    });
  }
  const message = `The insurer refused the claim: ${error.message}`;
  if (code === "CONFLICT") {
    // The insurer's only conflict on submit: the reference is taken by a different claim.
    const fields = { clinicReference: error.message };
    return new TRPCError({ code: "CONFLICT", message, cause: new FieldError(message, fields) });
  }
  if (code === "BAD_REQUEST") {
    const fields = parseIssueList(error.message);
    return new TRPCError({ code: "BAD_REQUEST", message, cause: new FieldError(message, fields) });
  }
  return new TRPCError({ code: "BAD_GATEWAY", message });
}

/** "patientRef: must be …; serviceLines.0.code: must be …" (the insurer's format) by field. */
function parseIssueList(text: string): FieldErrors {
  const fields: FieldErrors = {};
  for (const part of text.split("; ")) {
    const match = /^([A-Za-z0-9_.]+): (.+)$/.exec(part);
    if (match?.[1] && match[2]) fields[match[1]] ??= match[2];
  }
  return fields;
}
