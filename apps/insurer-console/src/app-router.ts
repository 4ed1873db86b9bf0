import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@claimwire/insurer-api";

// The insurer's router, by type only (erased from the bundle). apps/insurer depends on
// this package to serve dist/, so a workspace dependency back would be a cycle; hence the
// relative path. turbo.json lists the insurer's sources as inputs of `typecheck`.
export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
