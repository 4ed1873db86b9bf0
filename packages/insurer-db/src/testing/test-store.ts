import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openPostgresStore } from "../postgres/open-postgres-store.ts";
import { openSqliteStore } from "../sqlite/open-sqlite-store.ts";
import type { Store, StoreDialect } from "../store.ts";

/**
 * The server the PostgreSQL runs of the tests use (trust authentication); each store
 * gets a database of its own, dropped when the store is. CLAIMWIRE_TEST_POSTGRES_URL
 * overrides it.
 */
export const TEST_POSTGRES_URL =
  process.env.CLAIMWIRE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Which store the tests of this process run on: CLAIMWIRE_TEST_STORE=postgres, else SQLite. */
export function testStoreDialect(): StoreDialect {
  const value = process.env.CLAIMWIRE_TEST_STORE ?? "sqlite";
  if (value !== "sqlite" && value !== "postgres") {
    throw new Error(`CLAIMWIRE_TEST_STORE must be sqlite or postgres, not '${value}'`);
  }
  return value;
}

export type TestStore = {
  store: Store;
  /** Where another process opens the same store: DATABASE_URL or INSURER_DB_PATH. */
  env: { DATABASE_URL: string } | { INSURER_DB_PATH: string };
  /** Closes the store and deletes its database. */
  drop(): Promise<void>;
};

/** A fresh, migrated store of `dialect` (default: testStoreDialect()), private to the caller. */
export async function createTestStore(dialect = testStoreDialect()): Promise<TestStore> {
  if (dialect === "sqlite") {
    const dir = await mkdtemp(join(tmpdir(), "claimwire-insurer-"));
    const path = join(dir, "insurer.sqlite");
    const store = openSqliteStore(path);
    return {
      store,
      env: { INSURER_DB_PATH: path },
      async drop() {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await createTestDatabase();
  const store = await openPostgresStore(database.url);
  return {
    store,
    env: { DATABASE_URL: database.url },
    async drop() {
      await store.close();
      await database.drop();
    },
  };
}

/** An empty PostgreSQL database of its own on the test server; `drop` deletes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `claimwire_test_${randomBytes(6).toString("hex")}`;
  await admin(`create database ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // WITH (FORCE) ends the sessions a killed process left behind.
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL for the tests is not reachable at ${TEST_POSTGRES_URL} (${(err as Error).message}); start it, or run the tests on SQLite`,
    );
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
