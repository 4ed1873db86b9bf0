import { TRPCError } from "@trpc/server";

/** Messages keyed by field path ("clinicReference", "serviceLines.0.unitAmount"). */
export type FieldErrors = Record<string, string>;

type Issue = { path?: readonly PropertyKey[]; message: string };

function hasIssues(value: unknown): value is { issues: readonly Issue[] } {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as { issues?: unknown }).issues)
  );
}

/** The first message per field of an input validation error; null for any other error. */
export function fieldErrorsOf(error: unknown): FieldErrors | null {
  const cause = error instanceof TRPCError ? error.cause : undefined;
  if (hasIssues(cause)) {
    const fields: FieldErrors = {};
    for (const issue of cause.issues) {
      const path = (issue.path ?? []).map(String).join(".");
      fields[path] ??= issue.message;
    }
    return fields;
  }
  if (cause instanceof FieldError) return cause.fields;
  return null;
}

/** A refusal that belongs to particular fields (e.g. the insurer's answer to a submission). */
export class FieldError extends Error {
  constructor(
    message: string,
    readonly fields: FieldErrors,
  ) {
    super(message);
    this.name = "FieldError";
  }
}
