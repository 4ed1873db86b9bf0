import { getPathParameters, type OpenApiMeta, type OpenApiRouter } from "trpc-to-openapi";
import { z } from "zod";

/**
 * What trpc-to-openapi reads of a procedure: its `_def` (meta, type, input and output
 * parsers). It calls procedures through the router's `createCaller`, never directly.
 */
type ProcedureDef = {
  type: "query" | "mutation" | "subscription";
  inputs: z.ZodType[];
  output?: z.ZodType;
  meta?: OpenApiMeta;
};
type ProcedureLike = { _def: ProcedureDef };
export type OpenApiRouteMeta = NonNullable<OpenApiMeta["openapi"]>;

/** A procedure that is also a REST route (it has `meta.openapi`). */
export type RestRoute = {
  /** The tRPC path, e.g. `claims.byId`. */
  procedure: string;
  meta: OpenApiRouteMeta;
  /** The procedure's own input schema; undefined when it takes none. */
  input: z.ZodType | undefined;
  output: z.ZodType | undefined;
};

type Def = {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  coerce?: boolean;
};
export const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under optional / nullable / default / prefault / readonly wrappers. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let def = defOf(current); def.innerType; def = defOf(current)) current = def.innerType;
  return current;
}

/** The fields of an object input (under its wrappers); undefined for anything else. */
export function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  if (!schema) return undefined;
  const def = defOf(unwrapSchema(schema));
  return def.type === "object" ? def.shape : undefined;
}

function procedureEntries(router: object): [string, ProcedureLike][] {
  const { procedures } = (router as { _def: { procedures: Record<string, ProcedureLike> } })._def;
  return Object.entries(procedures);
}

/** Every procedure exposed as a REST route, in router order. */
export function restRoutes(router: object): RestRoute[] {
  return procedureEntries(router).flatMap(([procedure, { _def }]) => {
    const meta = _def.meta?.openapi;
    if (!meta || meta.enabled === false) return [];
    return [{ procedure, meta, input: _def.inputs[0], output: _def.output }];
  });
}

/**
 * trpc-to-openapi sets `coerce` on the number, boolean, bigint and date schemas inside a
 * procedure's input on every request: on the shared contract schemas, which would then
 * take `"12"`, `true` or `null` as numbers on every transport (tRPC too). Pinning `coerce`
 * to its original value keeps validation strict; rest-handler.ts converts query-string
 * values itself, field by field (query-input.ts).
 */
function pinCoercion(schema: z.ZodType, seen = new Set<object>()): void {
  const def = defOf(unwrapSchema(schema));
  if (seen.has(def)) return;
  seen.add(def);
  if (def.type === "array" && def.element) {
    pinCoercion(def.element, seen);
    return;
  }
  if (def.type === "object" && def.shape) {
    for (const field of Object.values(def.shape)) pinCoercion(field, seen);
    return;
  }
  if (!["number", "boolean", "bigint", "date"].includes(def.type)) return;
  if (Object.getOwnPropertyDescriptor(def, "coerce")?.set) return; // pinned already
  const original = def.coerce;
  Object.defineProperty(def, "coerce", {
    get: () => original,
    set: () => {},
    enumerable: true,
    configurable: false,
  });
}

/**
 * The router as trpc-to-openapi sees it. It needs an object input; a procedure whose
 * input is anything else (claims.decide takes a discriminated union) is shown with a
 * loose object of its path parameters, so the request body reaches the procedure
 * untouched and the procedure parses it with its own schema (openapi-document.ts
 * documents the real body). Calls go to the real router's `createCaller` (with the
 * request's abort signal), so REST and tRPC share every middleware: authentication,
 * roles, error mapping.
 */
export function restRouterView(
  router: object,
  /** The request's abort signal for a context (long polls end when the client leaves). */
  signalOf: (ctx: unknown) => AbortSignal | undefined = () => undefined,
): OpenApiRouter {
  const procedures: Record<string, ProcedureLike> = {};
  for (const [path, procedure] of procedureEntries(router)) {
    const meta = procedure._def.meta?.openapi;
    const input = procedure._def.inputs[0];
    procedures[path] = procedure;
    if (!meta || !input) continue;
    pinCoercion(input);
    if (objectShape(input)) continue;
    const params = Object.fromEntries(getPathParameters(meta.path).map((p) => [p, z.string()]));
    procedures[path] = { _def: { ...procedure._def, inputs: [z.looseObject(params)] } };
  }
  const real = router as OpenApiRouter;
  return {
    ...real,
    _def: { ...real._def, procedures: procedures as unknown as typeof real._def.procedures },
    createCaller: ((ctx: unknown) => {
      const signal = signalOf(ctx);
      return real.createCaller(ctx, signal ? { signal } : undefined);
    }) as typeof real.createCaller,
  };
}
