import type { AppRouter } from "@claimwire/insurer-api";
import type {
  AnyTRPCProcedure,
  AnyTRPCRouter,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from "@trpc/server";

/** A procedure as a client sees it: its input, output and error shape, nothing of the server. */
type PublicProcedureDef<P> = P extends {
  _def: { $types: { input: infer I; output: infer O; errorShape: infer E } };
}
  ? { input: I; output: O; meta: object; errorShape: E }
  : never;

type PublicEntry<T> = T extends AnyTRPCProcedure
  ? T extends TRPCQueryProcedure<infer _>
    ? TRPCQueryProcedure<PublicProcedureDef<T>>
    : T extends TRPCMutationProcedure<infer _>
      ? TRPCMutationProcedure<PublicProcedureDef<T>>
      : TRPCSubscriptionProcedure<PublicProcedureDef<T>>
  : { [K in keyof T]: PublicEntry<T[K]> };

type RootTypes<R extends AnyTRPCRouter> = R["_def"]["_config"]["$types"];

/**
 * A router type with the same procedures, inputs, outputs and error shape, and nothing
 * else. The server's router type also carries the server's own types (its context:
 * drizzle, pino, NATS; its procedure meta: trpc-to-openapi), none of which a client needs.
 */
declare function publicRouterOf<R extends AnyTRPCRouter>(): TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: RootTypes<R>["errorShape"];
    transformer: RootTypes<R>["transformer"];
  },
  { [K in keyof R["_def"]["record"]]: PublicEntry<R["_def"]["record"][K]> }
>;

/**
 * Never called (publicRouterOf has no body): only its inferred return type is used.
 * Declaration emit prints an inferred return type in full, so the SDK's bundled `.d.ts`
 * spells out each procedure's input and output and needs nothing but `@trpc/server`'s
 * types — not the insurer's source.
 */
function insurerRouter() {
  return publicRouterOf<AppRouter>();
}

/**
 * The insurer's tRPC router as clients see it: every procedure with its input and output
 * types (the contracts' schemas), without any server internals. Use it with tRPC's type
 * helpers when you need a procedure's types by name.
 *
 * @example
 * import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
 * import type { InsurerRouter } from "@claimwire/sdk";
 *
 * type DecideInput = inferRouterInputs<InsurerRouter>["claims"]["decide"];
 * type EndpointList = inferRouterOutputs<InsurerRouter>["endpoints"]["list"];
 */
export type InsurerRouter = ReturnType<typeof insurerRouter>;
