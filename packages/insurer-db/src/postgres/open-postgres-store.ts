import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { Db, LeaseName, Store, Tables } from "../store.ts";
import { EVENTS_CHANNEL, openControlSession } from "./control-session.ts";
import * as schema from "./schema.ts";

const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle/postgres", import.meta.url));

/** Advisory lock keys: any constants no other application on the server uses. */
const MIGRATION_LOCK = 0x636c61696d01n;
const EVENT_APPEND_LOCK = 0x636c61696d02n;
const LEASES: Record<LeaseName, bigint> = {
  dispatcher: 0x636c61696d10n,
  simulator: 0x636c61696d11n,
};

/** A transaction a concurrent one made fail is run again this many times at most. */
const MAX_TRANSACTION_RUNS = 20;
/**
 * serialization_failure and deadlock_detected: PostgreSQL asks for the transaction again.
 * unique_violation too: the domain looks before it inserts a row with a unique key (a
 * clinic reference, an idempotency key), so a violation means a concurrent transaction
 * inserted it after our look, and the next run sees it and answers as if they had run one
 * after the other. (A key that stays taken fails after the last run, as it should.)
 */
const RETRYABLE = new Set(["40001", "40P01", "23505"]);

export type PostgresStoreOptions = {
  /** Connections in this process's pool (DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** Errors of the session that holds leases and listens (it reconnects by itself). */
  onSessionError?: (err: unknown) => void;
};

/**
 * Opens a pool to PostgreSQL and migrates the database: several insurer processes may
 * share it. Concurrent start-ups migrate one at a time (an advisory lock), so the second
 * finds the schema current and applies nothing.
 */
export async function openPostgresStore(
  url: string,
  opts: PostgresStoreOptions = {},
): Promise<Store> {
  // Named in pg_stat_activity, so an operator sees which process holds what (docs/deploy.md,
  // leaseHolderPid).
  const applicationName = `claimwire-insurer:${process.pid}`;
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    application_name: applicationName,
  });
  // An idle client's error (the server restarted) must not crash the process; the pool
  // drops that client and the next query gets a new one.
  pool.on("error", () => {});
  try {
    await migrateOnce(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  const self = randomUUID();
  const control = openControlSession(
    { connectionString: url, application_name: applicationName },
    self,
    opts.onSessionError ?? (() => {}),
  );
  return {
    dialect: "postgres",
    tables: schema as unknown as Tables,
    db,
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      for (let run = 1; ; run++) {
        try {
          return await db.transaction((tx) => fn(tx as unknown as Db), {
            isolationLevel: "serializable",
          });
        } catch (err) {
          if (run >= MAX_TRANSACTION_RUNS || !RETRYABLE.has(pgErrorCode(err) ?? "")) throw err;
          // A random wait, growing with each run (up to 0.5 s), so that transactions that
          // keep colliding on one hot row (an endpoint's health, under many reports from
          // several processes) spread out instead of using up their runs together.
          const waitMs = Math.random() * Math.min(2 ** run, 500);
          await new Promise((resolve) => setTimeout(resolve, waitMs));
        }
      }
    },
    async appendingEvents(tx) {
      await tx.execute(
        sql`select pg_advisory_xact_lock(${EVENT_APPEND_LOCK}), pg_notify(${EVENTS_CHANNEL}, ${self})`,
      );
    },
    onEventsCommitted: (listener) => control.onEventsCommitted(listener),
    lease: (name, handlers) => control.lease(LEASES[name], handlers),
    async close() {
      await control.close();
      await pool.end();
    },
  };
}

async function migrateOnce(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/**
 * The operating-system pid of the insurer process that holds `name`'s lease now, or
 * undefined: each insurer names its connections `claimwire-insurer:<pid>`, and the lease
 * is an advisory lock of one of its sessions (for benchmarks and operators' tools).
 */
export async function leaseHolderPid(url: string, name: LeaseName): Promise<number | undefined> {
  const key = LEASES[name];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // A bigint advisory key shows in pg_locks as its high and low 32 bits, objsubid 1.
    const { rows } = await client.query<{ name: string }>(
      `select a.application_name as name from pg_locks l join pg_stat_activity a using (pid)
        where l.locktype = 'advisory' and l.granted and l.objsubid = 1
          and l.classid = $1 and l.objid = $2
          and l.database = (select oid from pg_database where datname = current_database())`,
      [Number(key >> 32n), Number(key & 0xffffffffn)],
    );
    const holder = rows[0]?.name;
    return holder?.startsWith("claimwire-insurer:") ? Number(holder.split(":")[1]) : undefined;
  } finally {
    await client.end();
  }
}

/** The SQLSTATE of a PostgreSQL error, also when drizzle wraps it. */
export function pgErrorCode(err: unknown): string | undefined {
  for (let e = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
