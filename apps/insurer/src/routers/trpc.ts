import { initTRPC, type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { bearerToken, type Principal, resolvePrincipal } from "../domain/api-keys.ts";
import { DomainError, type DomainErrorCode } from "../domain/domain-error.ts";
import type { Services } from "../domain/services.ts";

/** The only initTRPC in the app (create-t3-turbo's packages/api/src/trpc.ts layout). */

export type Context = { principal: Principal | null; services: Services };

/** The context without HTTP: tests pass a principal straight to `createCaller`. */
export function createContextInner(opts: Context): Context {
  return opts;
}

/** The context of an HTTP request: the principal its `Authorization` header names. */
export function createHttpContext(services: Services, authorization: string | undefined): Context {
  return createContextInner({
    principal: resolvePrincipal(services, bearerToken(authorization)),
    services,
  });
}

// `meta.openapi` exposes a procedure as a REST route too (rest/rest-handler.ts, docs/api.md).
const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    // Callers are integrators, not us: no stack traces, and no internals in the message
    // of an unexpected failure (it is logged by the HTTP server with its cause).
    isDev: false,
    errorFormatter: ({ shape, error }) =>
      error.code === "INTERNAL_SERVER_ERROR"
        ? { ...shape, message: "Internal server error" }
        : shape,
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

const TRPC_CODE_OF: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  BAD_REQUEST: "BAD_REQUEST",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
};

type Issue = { path?: readonly unknown[]; message: string };

/** "patientRef: must be a pseudonymous token…; serviceLines.0.unitAmount: …" */
function describeIssues(issues: readonly Issue[]): string {
  return issues
    .map((issue) => {
      const path = (issue.path ?? [])
        .map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p))
        .join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

/**
 * Turns the errors callers should see into tRPC errors with a readable message:
 * DomainError by its code, and input validation failures as one line naming each field
 * (tRPC's default message is the validator's JSON dump). Anything else stays an
 * INTERNAL_SERVER_ERROR whose details are not sent.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof DomainError) {
    throw new TRPCError({ code: TRPC_CODE_OF[cause.code], message: cause.message, cause });
  }
  if (result.error.code === "BAD_REQUEST" && cause && "issues" in cause) {
    const issues = (cause as { issues: readonly Issue[] }).issues;
    // The cause is tRPC's error, not the ZodError: the REST adapter would otherwise replace
    // this message with "Input validation failed".
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: describeIssues(issues),
      cause: result.error,
    });
  }
  return result;
});

const publicProcedure = t.procedure.use(mapErrors);

/** Any valid key: a clinic or insurer staff. Runs before input parsing, so no key → 401. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Missing or unknown API key" });
  }
  return next({ ctx: { principal: ctx.principal } });
});

export const clinicProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.role !== "clinic") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This procedure needs a clinic API key" });
  }
  return next({ ctx: { principal: ctx.principal } });
});

export const staffProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.role !== "insurer") {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "This procedure needs the insurer staff key",
    });
  }
  return next({ ctx: { principal: ctx.principal } });
});
