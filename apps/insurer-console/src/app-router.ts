import type { AppRouter } from "@claimwire/insurer-api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

// The insurer's router, by type only: erased from the bundle, so the console ships no
// server code.
export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
