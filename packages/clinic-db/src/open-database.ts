import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema.ts";

export type ClinicDatabase = BetterSQLite3Database<typeof schema>;
/** The database or a transaction on it: what a function that reads and writes takes. */
export type DbExecutor =
  | ClinicDatabase
  | Parameters<Parameters<ClinicDatabase["transaction"]>[0]>[0];

const MIGRATIONS = fileURLToPath(new URL("../drizzle", import.meta.url));

/**
 * Opens (creating if needed) the clinic's SQLite file and applies the committed
 * migrations — the same path in production and in tests.
 */
export function openDatabase(path: string): { db: ClinicDatabase; close: () => void } {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  // NORMAL in WAL mode keeps every commit across a crash of this process (kill -9), which
  // is what answering 204 after the inbox commit relies on; only an OS crash or power
  // loss could drop the last commits, and FULL would cost ~30x the write throughput.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  // Other processes (the cross-process tests, sqlite3 CLI) read this file concurrently.
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return { db, close: () => sqlite.close() };
}
