import { TRPCClientError } from "@trpc/client";

/** The HTTP status of a failed call, if the insurer answered. */
export function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const status = (error.data as { httpStatus?: unknown } | undefined)?.httpStatus;
  return typeof status === "number" ? status : undefined;
}

/** A message for the user: the insurer's own (it names what is wrong), or a network hint. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    if (httpStatusOf(error) === undefined && /fetch/i.test(error.message)) {
      return "The insurer could not be reached. Check that it is running and try again.";
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
