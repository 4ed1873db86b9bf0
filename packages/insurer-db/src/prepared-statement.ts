import type { Db, Store, Tables } from "./store.ts";

/**
 * A statement of a hot path, built with the query builder once per database handle and
 * run with `execute({ …placeholders })` (drizzle's `sql.placeholder`), instead of built and
 * prepared afresh on every call (on SQLite that was a quarter of the insurer's CPU).
 *
 * SQLite: `store.db` and the transaction handle live as long as the store, so each
 * statement is built and prepared once. PostgreSQL: a transaction's handle is new every
 * time, so the statement is built per transaction, and runs as a named statement that the
 * server parses once per connection. Either way the domain keeps one code path.
 *
 * @example
 * const claimById = preparedStatement("claim_by_id", (db, { claims }) =>
 *   db.select().from(claims).where(eq(claims.id, sql.placeholder("id"))),
 * );
 * const [row] = await claimById(store, tx).execute({ id });
 */
export function preparedStatement<P>(
  name: string,
  build: (db: Db, tables: Tables) => { prepare(name: string): P },
): (store: Store, db: Db) => P {
  const built = new WeakMap<Db, P>();
  return (store, db) => {
    let statement = built.get(db);
    if (statement === undefined) {
      statement = build(db, store.tables).prepare(name);
      built.set(db, statement);
    }
    return statement;
  };
}
