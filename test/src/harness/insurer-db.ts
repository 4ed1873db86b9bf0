import Database from "better-sqlite3";

/**
 * Reads the insurer's real SQLite file read-only, as an auditor would, while the insurer
 * keeps writing it (WAL lets both happen at once).
 */
export function readInsurerDb<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Ids of every event the insurer committed for one clinic (its outbox/event log). */
export function committedEventIds(insurerDbPath: string, clinicId: string): string[] {
  return readInsurerDb(insurerDbPath, (db) =>
    (
      db.prepare("SELECT id FROM events WHERE clinic_id = ? ORDER BY seq").all(clinicId) as {
        id: string;
      }[]
    ).map((row) => row.id),
  );
}
