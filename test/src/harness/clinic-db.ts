import Database from "better-sqlite3";

/**
 * Reads the clinic's real SQLite file, as an auditor would, opening it read-only for
 * each look so the running clinic process keeps ownership of it.
 */
export function readClinicDb<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export type InboxRow = {
  webhook_id: string;
  event_type: string;
  claim_id: string;
  version: number;
  body: string;
  webhook_timestamp: number;
  webhook_signature: string;
  state: string;
};

export type HistoryRow = { version: number; status: string; webhook_id: string | null };
