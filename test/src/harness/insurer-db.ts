import Database from "better-sqlite3";

/**
 * Reads the insurer's real SQLite file read-only while the insurer keeps writing it (WAL
 * lets both happen at once). For the benchmark's measurements (bench/) and the chaos fault
 * that looks into a dead insurer's outbox; tests otherwise ask the insurer's API.
 */
export function readInsurerDb<T>(path: string | undefined, read: (db: Database.Database) => T): T {
  if (path === undefined) {
    throw new Error(
      "this reads the insurer's SQLite file, and this system's insurers run on PostgreSQL",
    );
  }
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
