/** The closed set of ways a domain operation refuses; routers/trpc.ts maps each to tRPC. */
export type DomainErrorCode =
  | "NOT_FOUND"
  | "CONFLICT"
  | "FORBIDDEN"
  | "UNAUTHORIZED"
  | "BAD_REQUEST"
  /** A per-clinic limit is reached (e.g. open long polls, events.wait); try again later. */
  | "TOO_MANY_REQUESTS";

/**
 * The one error class domain code throws for an expected refusal. The message names the
 * thing (`No claim with id 'clm_…'`) because it is shown to the API caller as is.
 *
 * @example
 * throw new DomainError("NOT_FOUND", `No claim with id '${claimId}'`);
 */
export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}
