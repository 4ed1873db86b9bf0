import type { NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";
import type * as tables from "./postgres/schema.ts";

/**
 * The insurer's tables as the domain sees them. Both schemas declare the same tables with
 * the same columns and TypeScript types; the domain is typed against the PostgreSQL one,
 * and each store hands it the runtime tables of its own dialect (`store.tables`).
 */
export type Tables = {
  clinics: typeof tables.clinics;
  apiKeys: typeof tables.apiKeys;
  claims: typeof tables.claims;
  events: typeof tables.events;
  endpoints: typeof tables.endpoints;
  deliveries: typeof tables.deliveries;
  attempts: typeof tables.attempts;
  idempotencyKeys: typeof tables.idempotencyKeys;
  rateLimits: typeof tables.rateLimits;
};

/**
 * A query builder, outside a transaction or inside one. The domain uses only what both
 * dialects' builders share (select, insert … returning, on conflict, update, delete, awaited
 * as arrays); what differs is a method of the Store.
 */
export type Db = PgDatabase<NodePgQueryResultHKT>;

export type StoreDialect = "sqlite" | "postgres";

/** The background work that runs in one process at a time. */
export type LeaseName = "dispatcher" | "simulator";

/**
 * The one thin layer between the domain and its database: the domain is written once
 * against this, and docs/decisions/0002-two-stores-one-domain.md says why it looks so.
 *
 * - Reads that need no transaction use `db`.
 * - Every write runs in `transaction`: all its statements commit or none do. (One
 *   exception, PostgreSQL only: the API rate limit's single atomic upsert runs on `db`, so
 *   that concurrent requests of one key queue on its row instead of failing SERIALIZABLE.) SQLite runs
 *   one transaction at a time in the process (one writer, as SQLite allows); PostgreSQL
 *   runs them concurrently at SERIALIZABLE, retrying one that a concurrent transaction
 *   made fail, so `fn` may run more than once and must do nothing but database work.
 */
export type Store = {
  dialect: StoreDialect;
  tables: Tables;
  db: Db;
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction that appends to the event log, before the append: waits until no
   * other such transaction is open, so events commit in `seq` order and a reader of the
   * feed that has seen `seq` n never later finds a smaller one committed; and announces
   * the commit to the other processes (onEventsCommitted). SQLite: nothing to do, its
   * transactions already run one at a time, in one process.
   */
  appendingEvents(tx: Db): Promise<void>;
  /**
   * Calls `listener` after another process commits events (PostgreSQL's LISTEN/NOTIFY),
   * and once after a lost connection comes back. Commits of this process are announced
   * in-process (the outbox signal). SQLite: never, there is no other process.
   */
  onEventsCommitted(listener: () => void): () => void;
  /**
   * Work that one process at a time may do (the dispatcher): `onHeld` runs when this
   * process takes the lease, `onLost` if it loses it. A lease ends with its holder: on
   * PostgreSQL it is an advisory lock of the holder's session, so when the process dies
   * another takes it over within about a second (see docs/deploy.md). SQLite: held at once.
   */
  lease(
    name: LeaseName,
    handlers: { onHeld(): void; onLost(): void },
  ): { release(): Promise<void> };
  /** Closes the connections; queries after it fail. */
  close(): Promise<void>;
};
