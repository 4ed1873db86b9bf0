import Database from "better-sqlite3";

/**
 * Reads the clinic's real SQLite file, opening it read-only for each look so the running
 * clinic process keeps ownership of it. For the benchmark's measurements (bench/) only:
 * tests ask the clinic's API.
 */
export function readClinicDb<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
