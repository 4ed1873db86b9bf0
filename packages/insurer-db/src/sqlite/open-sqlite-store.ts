import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Db, Store, Tables } from "../store.ts";
import * as schema from "./schema.ts";

const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle/sqlite", import.meta.url));

export type SqliteStore = Store & {
  /** The writing connection, for tests and tools that need SQLite itself. */
  sqlite: Database.Database;
};

/**
 * Opens (creating if needed) and migrates a SQLite file, the embedded default: one
 * insurer process per file. Production and every test go through this one function, so
 * a test database is exactly what start-up would build.
 *
 * Two connections: transactions run on the writing one, one at a time, because an open
 * transaction on a connection would take in any other statement sent on it meanwhile;
 * reads go to a read-only one, which in WAL mode sees every committed write at once and
 * never an uncommitted one.
 */
export function openSqliteStore(path: string): SqliteStore {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets readers run beside the writer; NORMAL is durable across process crashes in
  // WAL mode (only an OS crash can lose the last commits) and ~30× faster than FULL
  // (measured on the 2-core reference machine; see docs/delivery.md).
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  const writer = drizzle({ client: sqlite, schema });
  migrateWithForeignKeysOff(writer, sqlite);
  sqlite.pragma("foreign_keys = ON");
  const reading = new Database(path, { readonly: true });
  reading.pragma("busy_timeout = 5000");
  // Both dialects' builders share the API the domain uses (../store.ts).
  const db = drizzle({ client: reading, schema }) as unknown as Db;
  const txDb = writer as unknown as Db;

  // Prepared once: exec() parses its SQL again on every transaction.
  // IMMEDIATE: take the write lock before the first read.
  const begin = sqlite.prepare("BEGIN IMMEDIATE");
  const commit = sqlite.prepare("COMMIT");
  const rollback = sqlite.prepare("ROLLBACK");
  let queue: Promise<unknown> = Promise.resolve();
  return {
    dialect: "sqlite",
    tables: schema as unknown as Tables,
    db,
    sqlite,
    transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const run = async (): Promise<T> => {
        begin.run();
        try {
          const result = await fn(txDb);
          commit.run();
          return result;
        } catch (err) {
          if (sqlite.inTransaction) rollback.run();
          throw err;
        }
      };
      const result = queue.then(run, run);
      queue = result.catch(() => {});
      return result;
    },
    async appendingEvents() {},
    onEventsCommitted: () => () => {},
    lease(_name, handlers) {
      let held = true;
      queueMicrotask(() => {
        if (held) handlers.onHeld();
      });
      return {
        async release() {
          held = false;
        },
      };
    },
    async close() {
      await queue;
      reading.close();
      sqlite.close();
    },
  };
}

/**
 * SQLite changes a column's constraints by copying the table (drizzle-kit's
 * `__new_<table>` migrations). Their `PRAGMA foreign_keys=OFF` is a no-op inside the
 * migrator's transaction, and with keys on, dropping the old table would fail on the
 * rows that reference it; so keys are off for the migration and checked after it, which
 * is SQLite's documented procedure for schema changes (https://sqlite.org/lang_altertable.html).
 */
function migrateWithForeignKeysOff(
  db: BetterSQLite3Database<typeof schema>,
  sqlite: Database.Database,
): void {
  sqlite.pragma("foreign_keys = OFF");
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  const violations = sqlite.pragma("foreign_key_check") as unknown[];
  if (violations.length > 0) {
    throw new Error(
      `Migration left ${violations.length} foreign key violation(s): ${JSON.stringify(violations.slice(0, 5))}`,
    );
  }
}
