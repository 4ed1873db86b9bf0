import { TRPCClientError as ClientError, isTRPCClientError as isClientError } from "@trpc/client";
import type { AnyTRPCRouter } from "@trpc/server";
import type { InsurerRouter } from "./insurer-router.ts";

/**
 * What an insurer API call throws: tRPC's client error, typed for the insurer's router.
 * `data` is set when the insurer answered (its tRPC `code`, `httpStatus` and the
 * procedure's `path`); it is `undefined` when the request never got an answer (network
 * failure: see `cause`). `message` names the thing (`No claim with id 'clm_…'`).
 *
 * | code | when |
 * |---|---|
 * | `UNAUTHORIZED` | missing or unknown API key |
 * | `FORBIDDEN` | a clinic key on a staff procedure, or the other way round |
 * | `NOT_FOUND` | no such claim/endpoint/delivery, or another clinic's |
 * | `CONFLICT` | an illegal status change, or a resubmission with a different body |
 * | `BAD_REQUEST` | input that breaks the schema; the message names each field |
 *
 * @example
 * try {
 *   await insurer.claims.withdraw.mutate({ claimId });
 * } catch (error) {
 *   if (isInsurerApiError(error) && error.data?.code === "CONFLICT") {
 *     console.warn(`Too late to withdraw: ${error.message}`);
 *   } else {
 *     throw error;
 *   }
 * }
 */
export type InsurerApiError = ClientError<InsurerRouter>;

/**
 * The tRPC error codes an {@link InsurerApiError} can carry in `error.data.code`.
 *
 * @example
 * function httpStatusFor(code: InsurerErrorCode): number {
 *   return code === "NOT_FOUND" ? 404 : code === "CONFLICT" ? 409 : 502;
 * }
 */
export type InsurerErrorCode = NonNullable<InsurerApiError["data"]>["code"];

/**
 * Whether `error` came from an insurer API call (an answer with an error code, or a
 * request that failed), narrowing it to a typed {@link InsurerApiError}.
 *
 * @example
 * try {
 *   return await insurer.claims.byId.query({ claimId });
 * } catch (error) {
 *   if (isInsurerApiError(error) && error.data?.code === "NOT_FOUND") return null;
 *   throw error;
 * }
 */
export function isInsurerApiError(error: unknown): error is InsurerApiError {
  return isClientError<InsurerRouter>(error);
}

/**
 * The same guard as {@link isInsurerApiError}, under tRPC's name.
 *
 * @example
 * const code = isTRPCClientError(error) ? error.data?.code : undefined;
 */
export const isTRPCClientError: (error: unknown) => error is InsurerApiError = isInsurerApiError;

/**
 * tRPC's client error class, for `instanceof` checks; every {@link InsurerApiError} is
 * one. As a type without a type argument, it is typed for the insurer's router.
 *
 * @example
 * if (error instanceof TRPCClientError) console.error(error.data?.httpStatus, error.message);
 */
export const TRPCClientError: typeof ClientError = ClientError;
export type TRPCClientError<TRouter extends AnyTRPCRouter = InsurerRouter> = ClientError<TRouter>;
