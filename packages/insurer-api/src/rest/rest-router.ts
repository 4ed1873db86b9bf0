import type { OpenApiMeta } from "trpc-to-openapi";
import { z } from "zod";
import type { ProcedureMeta } from "../routers/trpc.ts";

export type OpenApiRouteMeta = NonNullable<OpenApiMeta["openapi"]>;

/** A procedure that is also a REST route (it has `meta.openapi`). */
export type RestRoute = {
  /** The tRPC path, e.g. `claims.byId`. */
  procedure: string;
  type: "query" | "mutation";
  meta: OpenApiRouteMeta;
  /** Whether the procedure honours `Idempotency-Key` (its `meta.idempotent`). */
  idempotent: boolean;
  /** The procedure's own input schema; undefined when it takes none. */
  input: z.ZodType | undefined;
  output: z.ZodType | undefined;
};

/** What a built procedure holds of its declaration (`.meta()`, `.input()`, `.output()`). */
type ProcedureDef = {
  type: string;
  inputs: unknown[];
  output?: unknown;
  meta?: ProcedureMeta;
};

/**
 * Every procedure of a router with what it declares, in router order. tRPC has no public
 * API to list a router's procedures (trpc-to-openapi reads the same table); this is the
 * only place the app reads it, and it throws naming what is missing if a tRPC upgrade
 * changes its shape, instead of generating an empty document.
 */
function procedureTable(router: object): [string, ProcedureDef][] {
  const procedures = (router as { _def?: { procedures?: Record<string, { _def?: ProcedureDef }> } })
    ._def?.procedures;
  if (!procedures || typeof procedures !== "object") {
    throw new Error("The router has no procedure table (router._def.procedures): tRPC changed");
  }
  return Object.entries(procedures).map(([path, procedure]) => {
    const def = procedure._def;
    if (!def || !Array.isArray(def.inputs) || typeof def.type !== "string") {
      throw new Error(`Procedure '${path}' has no readable definition: tRPC changed`);
    }
    return [path, def];
  });
}

function zodSchema(value: unknown, what: string): z.ZodType | undefined {
  if (value === undefined) return undefined;
  if (value instanceof z.ZodType) return value;
  throw new Error(`${what} is not a zod schema`);
}

/** Every procedure exposed as a REST route, in router order. */
export function restRoutes(router: object): RestRoute[] {
  return procedureTable(router).flatMap(([procedure, def]) => {
    const meta = def.meta?.openapi;
    if (!meta || meta.enabled === false) return [];
    if (def.type !== "query" && def.type !== "mutation") {
      throw new Error(`Procedure '${procedure}' is a ${def.type}: it cannot be a REST route`);
    }
    if (def.inputs.length > 1) {
      throw new Error(`Procedure '${procedure}' chains inputs: a REST route takes one`);
    }
    return [
      {
        procedure,
        type: def.type,
        meta,
        idempotent: def.meta?.idempotent === true,
        input: zodSchema(def.inputs[0], `The input of '${procedure}'`),
        output: zodSchema(def.output, `The output of '${procedure}'`),
      },
    ];
  });
}

/** The schema under optional / nullable / default / prefault / readonly wrappers. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodNullable ||
    current instanceof z.ZodDefault ||
    current instanceof z.ZodPrefault ||
    current instanceof z.ZodReadonly
  ) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/** The fields of an object input (under its wrappers); undefined for anything else. */
export function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  if (!schema) return undefined;
  const inner = unwrapSchema(schema);
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : undefined;
}
