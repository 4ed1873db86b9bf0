import {
  EventTypeCatalogSchema,
  type EventTypeInfo,
  WEBHOOK_EVENT_EXAMPLES,
  WEBHOOK_EVENT_SCHEMAS,
  WEBHOOK_EVENT_TYPES,
} from "@claimwire/contracts";
import { jsonSchemaArtefact, parseEventType } from "@claimwire/contracts/compat";
import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure } from "./trpc.ts";

let catalog: EventTypeInfo[] | undefined;

/**
 * The catalog, generated from the contracts (nothing listed by hand): each type's
 * description, its JSON Schema as in `contracts/generated/events/<type>.json` (without the
 * generated-file comment) and its example. Built once, on first use.
 */
export function eventTypeCatalog(): EventTypeInfo[] {
  catalog ??= WEBHOOK_EVENT_TYPES.map((type) => {
    const zodSchema = WEBHOOK_EVENT_SCHEMAS[type];
    const { family, version } = parseEventType(type);
    const { $comment: _generatedHeader, ...schema } = jsonSchemaArtefact(
      zodSchema,
      { kind: "event", io: "output", eventType: type, family, version },
      type,
    );
    return {
      type,
      description: zodSchema.description ?? "",
      schema,
      example: WEBHOOK_EVENT_EXAMPLES[type],
    };
  });
  return catalog;
}

export const eventTypesRouter = {
  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/event-types",
        tags: ["event-types"],
        summary: "List every webhook event type with its description, JSON Schema and example",
        protect: true,
      },
    })
    .output(EventTypeCatalogSchema)
    .query(() => eventTypeCatalog()),
} satisfies TRPCRouterRecord;
