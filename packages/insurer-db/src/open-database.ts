import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema.ts";

export type Db = BetterSQLite3Database<typeof schema>;

export type OpenedDatabase = { db: Db; sqlite: Database.Database; close(): void };

const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/**
 * Opens (creating if needed) and migrates the database. Production and every test go
 * through this one function, so a test database is exactly what start-up would build.
 */
export function openDatabase(path: string): OpenedDatabase {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets readers run beside the writer; NORMAL is durable across process crashes in
  // WAL mode (only an OS crash can lose the last commits) and ~30× faster than FULL
  // (measured on the 2-core reference machine; see docs/delivery.md).
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle({ client: sqlite, schema });
  migrateWithForeignKeysOff(db, sqlite);
  sqlite.pragma("foreign_keys = ON");
  return { db, sqlite, close: () => sqlite.close() };
}

/**
 * SQLite changes a column's constraints by copying the table (drizzle-kit's
 * `__new_<table>` migrations). Their `PRAGMA foreign_keys=OFF` is a no-op inside the
 * migrator's transaction, and with keys on, dropping the old table would fail on the
 * rows that reference it; so keys are off for the migration and checked after it, which
 * is SQLite's documented procedure for schema changes (https://sqlite.org/lang_altertable.html).
 */
function migrateWithForeignKeysOff(db: Db, sqlite: Database.Database): void {
  sqlite.pragma("foreign_keys = OFF");
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  const violations = sqlite.pragma("foreign_key_check") as unknown[];
  if (violations.length > 0) {
    throw new Error(
      `Migration left ${violations.length} foreign key violation(s): ${JSON.stringify(violations.slice(0, 5))}`,
    );
  }
}
