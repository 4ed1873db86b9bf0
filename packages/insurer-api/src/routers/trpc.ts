import type { IncomingHttpHeaders } from "node:http";
import type { Services } from "@claimwire/insurer-domain";
import {
  abandonIdempotentCall,
  bearerToken,
  beginIdempotentCall,
  completeIdempotentCall,
  DomainError,
  type DomainErrorCode,
  hashApiKey,
  type IdempotentCall,
  type Principal,
  parseIdempotencyKey,
  principalScope,
  resolvePrincipalByHash,
  responseSecret,
} from "@claimwire/insurer-domain";
import { initTRPC, type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";

/** The only initTRPC in the app (create-t3-turbo's packages/api/src/trpc.ts layout). */

export type Context = {
  principal: Principal | null;
  services: Services;
  /** The request's headers (`idempotency-key`); tests may pass them to `createCaller` too. */
  headers?: IncomingHttpHeaders;
  /** Sets a response header (`Retry-After`, `Idempotent-Replayed`); absent in-process. */
  setHeader?: (name: string, value: string) => void;
  /** Whose token bucket a request draws on: the API key's; else the principal's. */
  rateLimitKey?: string;
  /** Encrypts the responses stored for `Idempotency-Key` (derived from the API key). */
  idempotencySecret?: Buffer;
};

/** The context without HTTP: tests pass a principal straight to `createCaller`. */
export function createContextInner(opts: Context): Context {
  return opts;
}

/** What createHttpContext needs of an HTTP exchange. */
type HttpExchange = {
  /** The request's headers (a fetch `Request`'s). */
  headers: Headers;
  /** Sets a header of the response to come. */
  setHeader: (name: string, value: string) => void;
};

/** A fetch `Headers` as node's header object (lower-case names). */
function headersObject(headers: Headers): IncomingHttpHeaders {
  const object: IncomingHttpHeaders = {};
  headers.forEach((value, name) => {
    object[name] = value;
  });
  return object;
}

/**
 * The context of an HTTP request: the principal its `Authorization` header names. The
 * key is hashed once per request, and the idempotency secret (an HKDF, 2% of the
 * insurer's CPU when derived for every call) only for a request that sends a key to use it.
 */
export async function createHttpContext(
  services: Services,
  { headers, setHeader }: HttpExchange,
): Promise<Context> {
  const token = bearerToken(headers.get("authorization") ?? undefined);
  const hash = token ? hashApiKey(token) : undefined;
  return createContextInner({
    principal: hash ? await resolvePrincipalByHash(services, hash) : null,
    services,
    headers: headersObject(headers),
    setHeader,
    ...(token ? { rateLimitKey: `key:${hash}` } : {}),
    ...(token && headers.has("idempotency-key")
      ? { idempotencySecret: responseSecret(token) }
      : {}),
  });
}

/**
 * What a procedure declares about itself: `openapi` exposes it as a REST route too
 * (rest/rest-handler.ts, docs/api.md); `idempotent` makes a mutation honour
 * `Idempotency-Key` (the mutations that create something, a new secret or new attempts).
 */
export type ProcedureMeta = OpenApiMeta<{ idempotent?: boolean }>;

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
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
    // The cause is tRPC's error, which keeps the ZodError as its own cause.
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: describeIssues(issues),
      cause: result.error,
    });
  }
  return result;
});

/**
 * Token bucket per API key (domain/rate-limiter.ts), before anything else is done for a
 * known key: over the limit is TOO_MANY_REQUESTS with `Retry-After` (seconds). A long
 * poll is one call, so it counts once. Unknown keys are refused by authentication.
 */
const rateLimit = t.middleware(async ({ ctx, next }) => {
  if (!ctx.principal) return next();
  const key = ctx.rateLimitKey ?? principalScope(ctx.principal);
  const taken = await ctx.services.rateLimiter.take(key);
  if (!taken.ok) {
    ctx.setHeader?.("Retry-After", String(taken.retryAfterSeconds));
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `Rate limit exceeded for this API key; retry after ${taken.retryAfterSeconds} s`,
    });
  }
  return next();
});

/**
 * `Idempotency-Key` on the mutations whose meta says `idempotent: true` (domain/idempotency.ts): a repeat with the same
 * input within IDEMPOTENCY_TTL_MS gets the first result (and `Idempotent-Replayed: true`)
 * without running again; another input under the key is CONFLICT. Failed calls are not
 * stored. Keyed per principal and procedure.
 */
const idempotency = t.middleware(async ({ ctx, meta, path, type, getRawInput, next }) => {
  if (!ctx.principal || type !== "mutation" || meta?.idempotent !== true) return next();
  const key = parseIdempotencyKey(ctx.headers?.["idempotency-key"]);
  if (key === undefined) return next();
  const call: IdempotentCall = {
    scope: principalScope(ctx.principal),
    procedure: path,
    key,
    input: await getRawInput(),
    ...(ctx.idempotencySecret ? { secret: ctx.idempotencySecret } : {}),
  };
  const begun = await beginIdempotentCall(ctx.services, call);
  if (begun.replay) {
    ctx.setHeader?.("Idempotent-Replayed", "true");
    // The stored output passed the output schema when it was first returned.
    return { ok: true as const, data: begun.response, marker: undefined as never };
  }
  let result: Awaited<ReturnType<typeof next>>;
  try {
    result = await next();
  } catch (err) {
    await abandonIdempotentCall(ctx.services, call);
    throw err;
  }
  if (result.ok) await completeIdempotentCall(ctx.services, call, result.data);
  else await abandonIdempotentCall(ctx.services, call);
  return result;
});

const publicProcedure = t.procedure.use(mapErrors).use(rateLimit);

/** Any valid key: a clinic or insurer staff. Runs before input parsing, so no key → 401. */
export const authedProcedure = publicProcedure
  .use(({ ctx, next }) => {
    if (!ctx.principal) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Missing or unknown API key" });
    }
    return next({ ctx: { principal: ctx.principal } });
  })
  .use(idempotency);

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
