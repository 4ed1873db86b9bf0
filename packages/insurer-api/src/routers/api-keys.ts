import {
  ApiKeyListSchema,
  ApiKeySchema,
  CreateApiKeyInputSchema,
  CreateApiKeyOutputSchema,
  ListApiKeysInputSchema,
  RevokeApiKeyInputSchema,
} from "@claimwire/contracts";
import { createApiKey, listApiKeys, revokeApiKey } from "@claimwire/insurer-domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure } from "./trpc.ts";

/**
 * A clinic manages its own API keys; staff manage any clinic's (naming it with
 * `clinicId`). A key is shown once, when created; lists show its prefix only.
 */
export const apiKeysRouter = {
  create: authedProcedure
    .meta({
      idempotent: true,
      openapi: {
        method: "POST",
        path: "/api-keys",
        tags: ["api-keys"],
        summary: "Create an API key, shown once (clinic: its own; staff: clinicId's)",
        protect: true,
      },
    })
    .input(CreateApiKeyInputSchema)
    .output(CreateApiKeyOutputSchema)
    .mutation(({ ctx, input }) => createApiKey(ctx.services, ctx.principal, input)),

  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/api-keys",
        tags: ["api-keys"],
        summary: "List a clinic's API keys by prefix, revoked ones included",
        protect: true,
      },
    })
    .input(ListApiKeysInputSchema)
    .output(ApiKeyListSchema)
    .query(({ ctx, input }) => listApiKeys(ctx.services, ctx.principal, input)),

  revoke: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/api-keys/{keyId}/revoke",
        tags: ["api-keys"],
        summary: "Revoke an API key at once (a clinic cannot revoke its last active key)",
        protect: true,
      },
    })
    .input(RevokeApiKeyInputSchema)
    .output(ApiKeySchema)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.services, ctx.principal, input.keyId)),
} satisfies TRPCRouterRecord;
