import type { createCaller } from "../src/routers/root.ts";

type Caller = ReturnType<typeof createCaller>;

/** Every procedure path of a caller's type: `claims.submit`, `me`, … */
type ProcedurePaths<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends (...args: never[]) => unknown
    ? `${Prefix}${K}`
    : ProcedurePaths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/**
 * Every procedure of the insurer's router, in router order. tRPC has no public API that
 * lists a router's procedures at run time; the type system lists them instead: this
 * object must name each path of the router's caller type exactly once (`satisfies` fails
 * the typecheck on a missing or an unknown path).
 */
export const PROCEDURE_PATHS = Object.keys({
  "claims.submit": true,
  "claims.byId": true,
  "claims.list": true,
  "claims.withdraw": true,
  "claims.decide": true,
  "claims.queue": true,
  "endpoints.create": true,
  "endpoints.list": true,
  "endpoints.byId": true,
  "endpoints.stats": true,
  "endpoints.deliveryStats": true,
  "endpoints.sendTest": true,
  "endpoints.update": true,
  "endpoints.delete": true,
  "endpoints.enable": true,
  "endpoints.disable": true,
  "endpoints.rotateSecret": true,
  "endpoints.recover": true,
  "deliveries.list": true,
  "deliveries.attempts": true,
  "deliveries.resend": true,
  "clinics.create": true,
  "clinics.list": true,
  "apiKeys.create": true,
  "apiKeys.list": true,
  "apiKeys.revoke": true,
  "events.list": true,
  "events.wait": true,
  "events.byId": true,
  "eventTypes.list": true,
  "ops.overview": true,
  me: true,
} satisfies Record<ProcedurePaths<Caller>, true>);
