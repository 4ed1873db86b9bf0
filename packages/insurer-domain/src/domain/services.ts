import type { AllowList } from "@claimwire/address-policy";
import type { Store } from "@claimwire/insurer-db";
import type { Queue } from "@claimwire/queue";
import type { Logger } from "pino";
import type { RetryPolicy } from "../delivery/retry-schedule.ts";
import type { InsurerMetrics } from "../metrics/insurer-metrics.ts";
import type { FeedWaiters } from "./feed-waiters.ts";
import type { IdempotencyConfig } from "./idempotency.ts";
import type { OutboxSignal } from "./outbox.ts";
import type { RateLimiter } from "./rate-limiter.ts";

/** The delivery settings domain code needs (from env.ts; tests compress them). */
export type DeliveryConfig = {
  retry: RetryPolicy;
  /** An endpoint failing continuously this long is disabled ("failing"). */
  disableAfterMs: number;
  /** A delivery's failed attempts that raise `delivery.failing` (once, on reaching it). */
  failingAfterAttempts: number;
  /** How long a rotated-out key keeps signing beside the new one. */
  secretOverlapMs: number;
  /** Whether endpoint URLs may use plain http (dev and tests). */
  allowHttp: boolean;
  /** Private ranges an endpoint URL's IP literal may be in (ENDPOINT_ALLOW_PRIVATE_NETWORKS). */
  allowedNetworks: AllowList;
};

/**
 * What domain functions need, passed explicitly so tests build the same object the
 * process does (create-insurer.ts). No tRPC here: routers call domain, never the reverse.
 */
export type Services = {
  /** The insurer's database, SQLite or PostgreSQL (@claimwire/insurer-db's Store). */
  store: Store;
  /** Wakes the dispatcher and the long polls after a transaction that wrote events or due deliveries commits. */
  outbox: OutboxSignal;
  /** The NATS KV bucket delivery workers read endpoint URLs and secrets from. */
  endpointConfigs: Queue["endpoints"];
  /** JetStream, for the attempt reports the recorder consumes. */
  js: Queue["js"];
  /** sha256 (hex) of the insurer staff API key; the key itself is not kept. */
  staffKeyHash: string;
  delivery: DeliveryConfig;
  /** The event feed (events.list, events.wait; docs/event-feed.md). */
  feed: {
    /** Events committed longer ago than this are no longer in the feed (EVENT_RETENTION_DAYS). */
    retentionMs: number;
    /** The long polls waiting for a commit. */
    waiters: FeedWaiters;
  };
  metrics: InsurerMetrics;
  /** Creating calls with an `Idempotency-Key` (domain/idempotency.ts). */
  idempotency: IdempotencyConfig;
  /** Requests per API key (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST; per process). */
  rateLimiter: RateLimiter;
  log: Logger;
};
