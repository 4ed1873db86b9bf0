// The package's public API: what other packages and apps import.
export * from "./open-store.ts";
export { leaseHolderPid, openPostgresStore, pgErrorCode } from "./postgres/open-postgres-store.ts";
export type { RetiringSecret } from "./postgres/schema.ts";
export { preparedStatement } from "./prepared-statement.ts";
export { openSqliteStore, type SqliteStore } from "./sqlite/open-sqlite-store.ts";
export * from "./store.ts";
