import {
  EventByIdInputSchema,
  EventPageSchema,
  FeedEventSchema,
  ListEventsInputSchema,
  WaitEventsInputSchema,
} from "@claimwire/contracts";
import { eventById, listEvents, waitForEvents } from "@claimwire/insurer-domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure } from "./trpc.ts";

/**
 * The event feed (docs/event-feed.md): a clinic reads its own events, staff one clinic's
 * (`clinicId`) or every clinic's. Both answer with the same page and cursor.
 */
export const eventsRouter = {
  /** Polling: the events after `after`, oldest first. */
  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/events",
        tags: ["events"],
        summary: "The event feed: events after a cursor, oldest first (polling)",
        protect: true,
      },
    })
    .input(ListEventsInputSchema)
    .output(EventPageSchema)
    .query(({ ctx, input }) => listEvents(ctx.services, ctx.principal, input)),

  /** Long polling: answers as soon as an event newer than `after` exists, or after `timeoutMs`. */
  wait: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/events/wait",
        tags: ["events"],
        summary:
          "The event feed, held open until an event newer than the cursor exists (long polling)",
        protect: true,
      },
    })
    .input(WaitEventsInputSchema)
    .output(EventPageSchema)
    .query(({ ctx, input, signal }) => waitForEvents(ctx.services, ctx.principal, input, signal)),

  /** One event of the feed by its id (`webhook-id`): to look at, or to replay, one delivery. */
  byId: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/events/{eventId}",
        tags: ["events"],
        summary: "One event of the feed, by the id its webhooks carry as webhook-id",
        protect: true,
      },
    })
    .input(EventByIdInputSchema)
    .output(FeedEventSchema)
    .query(({ ctx, input }) => eventById(ctx.services, ctx.principal, input.eventId)),
} satisfies TRPCRouterRecord;
