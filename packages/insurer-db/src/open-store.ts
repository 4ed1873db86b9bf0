import { openPostgresStore, type PostgresStoreOptions } from "./postgres/open-postgres-store.ts";
import { openSqliteStore } from "./sqlite/open-sqlite-store.ts";
import type { Store } from "./store.ts";

export type StoreLocation =
  /** A PostgreSQL connection string (DATABASE_URL): several insurer processes may share it. */
  | ({ databaseUrl: string } & PostgresStoreOptions)
  /** A SQLite file (INSURER_DB_PATH), the embedded default: one insurer process per file. */
  | { sqlitePath: string };

/** Opens and migrates the insurer's store, whichever dialect the location names. */
export async function openStore(location: StoreLocation): Promise<Store> {
  if ("databaseUrl" in location) {
    const { databaseUrl, ...options } = location;
    return openPostgresStore(databaseUrl, options);
  }
  return openSqliteStore(location.sqlitePath);
}
